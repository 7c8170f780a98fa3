import { type CommandContext, ConcurrencyConflict, deterministicUuid, DomainError, NotFound, RuleViolation } from '#shared-kernel';
import type { EventStore, EventToAppend, ExpectedRevision } from './event-store.port';
import { WrongExpectedRevisionError } from './event-store.port';
import { streamName } from './stream-name';

export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

export interface StreamDecider<C, E extends DomainEvent, S> {
  readonly initialState: S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S) => readonly E[] | DomainError;
}

export interface CommandOutcome {
  readonly streamName: string;
  /** The events this command appended (or, on a replay, had appended). */
  readonly events: readonly { readonly type: string; readonly revision: string }[];
  /** Revision of the stream after the command, -1 for a stream that still does not exist. */
  readonly streamRevision: string;
  /** True when an earlier request with the same idempotency key already did this. */
  readonly replayed: boolean;
}

export interface ExecuteOptions<C, E extends DomainEvent, S> {
  readonly streamName: string;
  readonly decider: StreamDecider<C, E, S>;
  readonly command: C;
  readonly context: CommandContext;
  /** Domain error codes that mean "the addressed thing does not exist" (HTTP 404). */
  readonly notFoundCodes?: readonly string[];
  /** Checks the caller may act on this state; throws Forbidden or NotFound. */
  readonly authorize?: (state: S) => void | Promise<void>;
  /** Runs after a successful decision and before the append (e.g. reserving a payment reference). */
  readonly beforeAppend?: (state: S, events: readonly E[]) => Promise<void>;
  readonly schemaVersion?: (event: E) => number;
}

interface RecordedCommand {
  readonly requestHash?: string;
  readonly events: { readonly type: string; readonly revision: string }[];
}

/** A stream's folded state as of `revision`, with the commands that produced it (for idempotent replays). */
interface StreamSnapshot {
  readonly decider: object;
  readonly revision: bigint;
  readonly state: unknown;
  readonly commands: ReadonlyMap<string, RecordedCommand>;
}

/**
 * Load → fold → decide → append with the revision read. A concurrent writer makes the append fail; the
 * whole cycle then runs again on fresh state, a bounded number of times, before giving up with a conflict.
 * Event ids derive from the command id, so a retried command is recognised by the store as well as here.
 *
 * Folded states are kept in a bounded LRU cache; a load reads only the events after the cached revision (nothing at
 * all when the store knows the stream has not moved since), so the cache can never serve a stale state, whoever else
 * writes to the store.
 */
/** Told when a command is decided again, or given up, because its stream kept changing (metrics). */
export interface ExecutorObserver {
  retried(streamName: string): void;
  conflicted(streamName: string): void;
}

export class CommandExecutor {
  private readonly snapshots = new Map<string, StreamSnapshot>();
  /** The last command in line for each stream in this process (see `execute`). */
  private readonly inLine = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly retryLimit: number,
    private readonly cacheSize = 10_000,
    private readonly observer?: ExecutorObserver,
  ) {}

  /**
   * Commands to one stream in this process run one after another, each on the state the one before it left: they
   * would otherwise all read the same revision and all but one conflict (appends are written together by group
   * commit). A writer in another process still makes an append conflict, and the command is decided again.
   */
  async execute<C, E extends DomainEvent, S>(options: ExecuteOptions<C, E, S>): Promise<CommandOutcome> {
    const { streamName } = options;
    const before = this.inLine.get(streamName);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const last = before ? before.then(() => mine) : mine;
    this.inLine.set(streamName, last);
    try {
      if (before) await before;
      return await this.decideAndAppend(options);
    } finally {
      done();
      if (this.inLine.get(streamName) === last) this.inLine.delete(streamName);
    }
  }

  private async decideAndAppend<C, E extends DomainEvent, S>(options: ExecuteOptions<C, E, S>): Promise<CommandOutcome> {
    const { streamName, decider, command, context } = options;
    for (let attempt = 0; ; attempt += 1) {
      const snapshot = await this.load(streamName, decider);
      const state = snapshot.state as S;
      // Authorised first: a caller who may not act here learns nothing about requests made here.
      await options.authorize?.(state);
      const replay = this.replayOf(streamName, snapshot, context);
      if (replay) return replay;

      const decision = decider.decide(command, state);
      if (decision instanceof DomainError) {
        if (options.notFoundCodes?.includes(decision.code)) throw new NotFound(decision.message, { code: decision.code, ...decision.details });
        throw RuleViolation.from(decision);
      }
      const revision = snapshot.revision;
      if (decision.length === 0) return { streamName, events: [], streamRevision: revision.toString(), replayed: false };

      if (context.idempotent) await this.claimKey(streamName, context);
      await options.beforeAppend?.(state, decision);
      const expected: ExpectedRevision = revision === -1n ? 'no_stream' : revision;
      try {
        const result = await this.store.append(
          streamName,
          eventsToAppend(context, streamName, decision, options.schemaVersion as ((event: DomainEvent) => number) | undefined),
          expected,
        );
        const first = result.nextExpectedRevision - BigInt(decision.length) + 1n;
        const events = decision.map((event, index) => ({ type: event.type, revision: (first + BigInt(index)).toString() }));
        if (first === revision + 1n) {
          const commands = new Map(snapshot.commands).set(context.commandId, { requestHash: context.requestHash, events });
          this.remember(streamName, { decider, revision: result.nextExpectedRevision, state: decision.reduce(decider.evolve, state), commands });
        } else {
          this.snapshots.delete(streamName);
        }
        return { streamName, events, streamRevision: result.nextExpectedRevision.toString(), replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= this.retryLimit) {
          this.observer?.conflicted(streamName);
          throw new ConcurrencyConflict(
            `${streamName} kept changing while this command was decided (${attempt + 1} attempts); try again`,
            { streamName },
          );
        }
        this.observer?.retried(streamName);
      }
    }
  }

  private async load<C, E extends DomainEvent, S>(streamName: string, decider: StreamDecider<C, E, S>): Promise<StreamSnapshot> {
    const cached = this.snapshots.get(streamName);
    // The store can say the stream has not moved since: nothing to read.
    if (cached && cached.decider === decider && this.store.knownRevision?.(streamName) === cached.revision) {
      this.remember(streamName, cached);
      return cached;
    }
    const base: StreamSnapshot =
      cached && cached.decider === decider ? cached : { decider, revision: -1n, state: decider.initialState, commands: new Map() };
    const tail = await this.store.readStream(streamName, base.revision >= 0n ? { fromRevision: base.revision + 1n } : {});
    if (tail.length === 0) {
      if (cached) this.remember(streamName, base);
      return base;
    }
    let state = base.state as S;
    const commands = new Map(base.commands);
    for (const event of tail) {
      state = decider.evolve(state, { type: event.type, data: event.data } as unknown as E);
      const earlier = commands.get(event.metadata.commandId);
      const entry = { type: event.type, revision: event.revision.toString() };
      commands.set(event.metadata.commandId, {
        ...(event.metadata.requestHash !== undefined ? { requestHash: event.metadata.requestHash } : {}),
        events: earlier ? [...earlier.events, entry] : [entry],
      });
    }
    const snapshot: StreamSnapshot = { decider, revision: tail[tail.length - 1]!.revision, state, commands };
    this.remember(streamName, snapshot);
    return snapshot;
  }

  private remember(streamName: string, snapshot: StreamSnapshot): void {
    this.snapshots.delete(streamName);
    this.snapshots.set(streamName, snapshot);
    if (this.snapshots.size > this.cacheSize) this.snapshots.delete(this.snapshots.keys().next().value as string);
  }

  /**
   * Records, once, which request a client's Idempotency-Key stands for, in a stream of its own, before the command's
   * events are appended anywhere: the same key with another request, on any stream, is then refused. The record's
   * event id derives from the request's fingerprint, so two different requests racing for one key cannot both
   * claim it (the store takes an identical append as a retry, a different one as a conflict).
   */
  private async claimKey(target: string, context: CommandContext): Promise<void> {
    const registry = streamName(IDEMPOTENCY_KEY_CATEGORY, context.commandId);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [claimed] = await this.store.readStream(registry, { maxCount: 1 });
      if (claimed) {
        if (claimed.data.requestHash !== context.requestHash) throw keyReused();
        return;
      }
      try {
        await this.store.append(
          registry,
          [
            {
              id: deterministicUuid(context.commandId, registry, context.requestHash ?? ''),
              type: IDEMPOTENCY_KEY_CLAIMED,
              data: { streamName: target, requestHash: context.requestHash ?? '' },
              metadata: eventMetadata(context),
            },
          ],
          'no_stream',
        );
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new ConcurrencyConflict('This Idempotency-Key is being used by another request at the same time; try again');
  }

  private replayOf(streamName: string, snapshot: StreamSnapshot, context: CommandContext): CommandOutcome | undefined {
    if (!context.idempotent) return undefined;
    const earlier = snapshot.commands.get(context.commandId);
    if (!earlier) return undefined;
    if (earlier.requestHash !== undefined && earlier.requestHash !== context.requestHash) throw keyReused();
    return {
      streamName,
      events: earlier.events,
      streamRevision: earlier.events[earlier.events.length - 1]!.revision,
      replayed: true,
    };
  }
}

/** Streams `idempotencyKey-<command id>` record which request a client's Idempotency-Key was first used for. */
export const IDEMPOTENCY_KEY_CATEGORY = 'idempotencyKey';
export const IDEMPOTENCY_KEY_CLAIMED = 'IdempotencyKeyClaimed';

const keyReused = (): RuleViolation =>
  new RuleViolation('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request');

/** The metadata every event of a command carries (the store adds `recordedAt`). */
export const eventMetadata = (context: CommandContext, schemaVersion = 1): EventToAppend['metadata'] => ({
  commandId: context.commandId,
  correlationId: context.correlationId,
  causationId: context.causationId,
  actor: context.actor,
  occurredAt: context.occurredAt,
  schemaVersion,
  ...(context.requestHash ? { requestHash: context.requestHash } : {}),
});

/** A command's events ready to append, with ids derived from the command so a retry is recognised. */
export const eventsToAppend = (
  context: CommandContext,
  streamName: string,
  events: readonly DomainEvent[],
  schemaVersion: (event: DomainEvent) => number = () => 1,
  firstIndex = 0,
): EventToAppend[] =>
  events.map((event, index) => ({
    id: deterministicUuid(context.commandId, streamName, String(firstIndex + index)),
    type: event.type,
    data: { ...(event.data as Record<string, unknown>) },
    metadata: eventMetadata(context, schemaVersion(event)),
  }));
