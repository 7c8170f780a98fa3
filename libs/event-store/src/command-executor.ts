import type { CommandContext } from '../../shared-kernel/src/command-context';
import { ConcurrencyConflict, DomainError, NotFound, RuleViolation } from '../../shared-kernel/src/errors';
import { deterministicUuid } from '../../shared-kernel/src/ids';
import type { EventStore, ExpectedRevision, RecordedEvent } from './event-store.port';
import { WrongExpectedRevisionError } from './event-store.port';

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

/**
 * Load → fold → decide → append with the revision read. A concurrent writer makes the append fail; the
 * whole cycle then runs again on fresh state, a bounded number of times, before giving up with a conflict.
 * Event ids derive from the command id, so a retried command is recognised by the store as well as here.
 */
export class CommandExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly retryLimit: number,
  ) {}

  async execute<C, E extends DomainEvent, S>(options: ExecuteOptions<C, E, S>): Promise<CommandOutcome> {
    const { streamName, decider, command, context } = options;
    for (let attempt = 0; ; attempt += 1) {
      const recorded = await this.store.readStream(streamName);
      const replay = this.replayOf(streamName, recorded, context);
      if (replay) return replay;

      const state = recorded.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as unknown as E), decider.initialState);
      await options.authorize?.(state);
      const decision = decider.decide(command, state);
      if (decision instanceof DomainError) {
        if (options.notFoundCodes?.includes(decision.code)) throw new NotFound(decision.message, { code: decision.code, ...decision.details });
        throw RuleViolation.from(decision);
      }
      const revision = recorded.length === 0 ? -1n : recorded[recorded.length - 1]!.revision;
      if (decision.length === 0) return { streamName, events: [], streamRevision: revision.toString(), replayed: false };

      await options.beforeAppend?.(state, decision);
      const expected: ExpectedRevision = revision === -1n ? 'no_stream' : revision;
      try {
        const result = await this.store.append(
          streamName,
          decision.map((event, index) => ({
            id: deterministicUuid(context.commandId, streamName, String(index)),
            type: event.type,
            data: event.data as Record<string, unknown>,
            metadata: {
              commandId: context.commandId,
              correlationId: context.correlationId,
              causationId: context.causationId,
              actor: context.actor,
              occurredAt: context.occurredAt,
              schemaVersion: options.schemaVersion?.(event) ?? 1,
              requestHash: context.requestHash,
            },
          })),
          expected,
        );
        const first = result.nextExpectedRevision - BigInt(decision.length) + 1n;
        return {
          streamName,
          events: decision.map((event, index) => ({ type: event.type, revision: (first + BigInt(index)).toString() })),
          streamRevision: result.nextExpectedRevision.toString(),
          replayed: false,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= this.retryLimit) {
          throw new ConcurrencyConflict(
            `${streamName} kept changing while this command was decided (${attempt + 1} attempts); try again`,
            { streamName },
          );
        }
      }
    }
  }

  private replayOf(streamName: string, recorded: readonly RecordedEvent[], context: CommandContext): CommandOutcome | undefined {
    if (!context.idempotent) return undefined;
    const earlier = recorded.filter((event) => event.metadata.commandId === context.commandId);
    if (earlier.length === 0) return undefined;
    if (earlier[0]!.metadata.requestHash !== undefined && earlier[0]!.metadata.requestHash !== context.requestHash) {
      throw new RuleViolation(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request; use a new key for a new request',
      );
    }
    return {
      streamName,
      events: earlier.map((event) => ({ type: event.type, revision: event.revision.toString() })),
      streamRevision: earlier[earlier.length - 1]!.revision.toString(),
      replayed: true,
    };
  }
}
