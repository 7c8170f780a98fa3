import {
  BACKWARDS,
  convertToCommandError,
  END,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  START,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import type { AllStreamResolvedEvent, Filter, ResolvedEvent } from '@kurrent/kurrentdb-client';
import {
  AppendRequest,
  AppendResult,
  assertDistinctStreams,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  matchesFilter,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import {
  assertAppendFits,
  assertDistinctIgnoringCase,
  connectionStringProblem,
  DEFAULT_MAX_APPEND_BYTES,
  fromPortPosition,
  fromRecordedEvent,
  isStreamNotFound,
  isSystemEvent,
  isNotLeader,
  isUnavailable,
  KurrentRecordedEventLike,
  mapClientError,
  planServerFilter,
  serverTooOld,
  supportsMultiStreamAppend,
  toPortPosition,
  toStoredMetadata,
  toStoredProperties,
  toStreamState,
} from './kurrentdb-mapping';

/** Events per page of a read of the log: each page is one bounded server read, closed when it is done. */
export const READ_PAGE = 4_096;

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false` (also accepts `kurrent://`, `kdb://` and the deprecated `esdb://`). */
  readonly url: string;
  /** Back-off before re-subscribing after the connection drops. */
  readonly resubscribeDelayMs?: number;
  /** The largest append sent (DEFAULT_MAX_APPEND_BYTES, the server's default); a larger batch is refused whole. */
  readonly maxAppendBytes?: number;
}

/** The client's protected server-features probe, read to check the server's version at connect. */
interface WithCapabilities {
  readonly capabilities: Promise<{ readonly serverVersion: string }>;
}

/**
 * The production event store: EventStoreDB / KurrentDB through the official gRPC client.
 * Stream semantics match the embedded store; the contract suite runs against both.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDBClient;
  private readonly subscriptions = new Set<Subscription>();

  private constructor(private readonly options: KurrentDbEventStoreOptions) {
    const problem = connectionStringProblem(options.url);
    if (problem) throw new RangeError(problem);
    this.client = KurrentDBClient.connectionString(options.url);
  }

  /**
   * Connects, proves the server answers and that it is KurrentDB 25.1 or later (multi-stream append), or fails
   * with a message that says what to check.
   */
  static async connect(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(options);
    let version: string;
    try {
      await store.headPosition();
      version = (await (store.client as unknown as WithCapabilities).capabilities).serverVersion;
    } catch (error) {
      await store.client.dispose().catch(() => undefined);
      throw mapClientError(convertToCommandError(error as never), { url: options.url });
    }
    if (!supportsMultiStreamAppend(version)) {
      await store.client.dispose().catch(() => undefined);
      throw serverTooOld(version, options.url);
    }
    return store;
  }

  /**
   * Runs an append once more if the server answered that it is not the leader: it refused without writing, and
   * the client has reconnected to the leader it named. Any other error is mapped for an append.
   */
  private async appending<T>(append: () => Promise<T>, context: { streamName?: string; expected?: ExpectedRevision }): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await append();
      } catch (raw) {
        const error = convertToCommandError(raw as never);
        if (attempt === 0 && isNotLeader(error)) continue;
        throw mapClientError(error, { ...context, url: this.options.url, appending: true });
      }
    }
  }

  async append(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const result = await this.appending(
      () =>
        this.client.appendToStream(
          streamName,
          events.map((event) => jsonEvent({ id: event.id, type: event.type, data: { ...event.data }, metadata: toStoredMetadata(event.metadata) })),
          { streamState: toStreamState(expected) },
        ),
      { streamName, expected },
    );
    return {
      nextExpectedRevision: result.nextExpectedRevision,
      position: result.position ? toPortPosition(result.position) : undefined,
    };
  }

  /**
   * KurrentDB 25.1+'s multi-stream append: the whole batch is one atomic server transaction, or is refused whole
   * (above `maxAppendBytes`, or naming a stream twice, even in another case). The server reports the
   * transaction's position, not each event's, so results carry revisions only.
   */
  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    assertDistinctStreams(requests);
    assertDistinctIgnoringCase(requests);
    const writing = requests.filter((request) => request.events.length > 0);
    assertAppendFits(writing, this.options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES);
    const revisions = new Map<string, bigint>();
    if (writing.length > 0) {
      const result = await this.appending(
        () =>
          this.client.multiStreamAppend(
            writing.map((request) => ({
              streamName: request.streamName,
              expectedState: toStreamState(request.expected),
              events: request.events.map((event) =>
                jsonEvent({ id: event.id, type: event.type, data: { ...event.data }, metadata: toStoredProperties(event.metadata) }),
              ),
            })),
          ),
        {},
      );
      for (const response of result.responses) revisions.set(response.streamName, response.revision);
    }
    const results: AppendResult[] = [];
    for (const request of requests) {
      const revision = revisions.get(request.streamName) ?? (await this.currentRevision(request.streamName));
      results.push({ nextExpectedRevision: revision });
    }
    return results;
  }

  private async currentRevision(streamName: string): Promise<bigint> {
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : -1n;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        ...(options.maxCount !== undefined ? { maxCount: BigInt(options.maxCount) } : {}),
      });
      for await (const resolved of read) {
        const mapped = mapResolved(resolved);
        if (mapped) events.push(mapped);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw mapClientError(error, { streamName, url: this.options.url });
    }
    return events;
  }

  /**
   * Reads the log a page at a time, each page a server read of at most READ_PAGE events (the server filters by
   * prefix, the exact filter is applied here), until `maxCount` events matched or the log ends: a short answer
   * means the head, as the port promises, even where the server returned events the filter then dropped.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    let after = options.after;
    try {
      for (;;) {
        // The client's fromPosition is inclusive and the port's `after` is not: one more, in case it comes back.
        const asked = Math.min(READ_PAGE, Math.max(1, limit - events.length)) + (after === undefined ? 0 : 1);
        let served = 0;
        const read = this.client.readAll({
          direction: FORWARDS,
          fromPosition: after === undefined ? START : fromPortPosition(after),
          filter: toClientFilter(options.filter),
          maxCount: BigInt(asked),
        });
        for await (const resolved of read) {
          served += 1;
          const at = resolved.event?.position ? toPortPosition(resolved.event.position) : undefined;
          if (at === undefined || (after !== undefined && at <= after)) continue;
          after = at;
          const mapped = mapResolvedAll(resolved);
          if (!mapped || !matchesFilter(options.filter, mapped.streamName, mapped.type)) continue;
          events.push(mapped);
        }
        // Fewer than asked: the server has no more.
        if (events.length >= limit || served < asked) break;
      }
    } catch (error) {
      throw mapClientError(convertToCommandError(error as never), { url: this.options.url });
    }
    return events.length > limit ? events.slice(0, limit) : events;
  }

  /** The last event's position: one event read backwards, its server read closed at once. */
  async headPosition(): Promise<bigint> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, filter: excludeSystemEvents(), maxCount: 1n });
    for await (const resolved of read) {
      const mapped = mapResolvedAll(resolved);
      if (mapped) return mapped.position;
    }
    return -1n;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription = new ResubscribingSubscription(this.client, options, this.options);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }
}

/**
 * The client's catch-up subscription does not re-subscribe when the connection drops. This one does,
 * from the last position it delivered, after a short back-off; non-transient errors end the iteration.
 */
class ResubscribingSubscription implements Subscription {
  private closed = false;
  private current: { unsubscribe(): Promise<void> } | undefined;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: SubscribeOptions,
    private readonly storeOptions: KurrentDbEventStoreOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let after = this.options.after;
    // The server reports how far a filtered subscription has searched, matched or not: a resume starts there
    // instead of rescanning every event the filter passed over since the last match.
    const checkpointReached = (_: unknown, position: { commit: bigint; prepare: bigint }) => {
      const reached = toPortPosition(position);
      if (after === undefined || reached > after) after = reached;
    };
    while (!this.closed) {
      const subscription = this.client.subscribeToAll({
        fromPosition: after === undefined ? START : fromPortPosition(after),
        filter: toClientFilter(this.options.filter, checkpointReached),
      });
      this.current = subscription;
      try {
        for await (const resolved of subscription) {
          if (this.closed) return;
          const mapped = mapResolvedAll(resolved as AllStreamResolvedEvent);
          if (!mapped || (after !== undefined && mapped.position <= after)) continue;
          after = mapped.position;
          if (!matchesFilter(this.options.filter, mapped.streamName, mapped.type)) continue;
          yield mapped;
        }
        return;
      } catch (error) {
        if (this.closed) return;
        if (!isUnavailable(error)) throw mapClientError(error, { url: this.storeOptions.url });
        await new Promise((resolve) => setTimeout(resolve, this.storeOptions.resubscribeDelayMs ?? 1000));
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.unsubscribe().catch(() => undefined);
  }
}

const toClientFilter = (filter: ReadAllOptions['filter'], checkpointReached?: (subscription: unknown, position: { commit: bigint; prepare: bigint }) => void): Filter => {
  const plan = planServerFilter(filter);
  const checkpoints = checkpointReached ? { checkpointReached } : {};
  switch (plan.kind) {
    case 'event-type-prefixes':
      return eventTypeFilter({ prefixes: plan.prefixes, ...checkpoints });
    case 'stream-prefixes':
      return streamNameFilter({ prefixes: plan.prefixes, ...checkpoints });
    case 'exclude-system':
      return excludeSystemEvents(checkpoints);
    default: {
      const unreachable: never = plan;
      return unreachable;
    }
  }
};

const mapResolved = (resolved: ResolvedEvent): RecordedEvent | undefined => {
  const event = resolved.event as KurrentRecordedEventLike | undefined;
  if (!event || isSystemEvent(event.streamId, event.type)) return undefined;
  return fromRecordedEvent(event);
};

const mapResolvedAll = (resolved: AllStreamResolvedEvent): RecordedEvent | undefined => {
  const event = resolved.event as KurrentRecordedEventLike | undefined;
  if (!event || isSystemEvent(event.streamId, event.type)) return undefined;
  return fromRecordedEvent(event, event.position ? toPortPosition(event.position) : undefined);
};
