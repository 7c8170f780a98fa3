import {
  BACKWARDS,
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
  chunkAppendRequests,
  fromPortPosition,
  fromRecordedEvent,
  isStreamNotFound,
  isSystemEvent,
  isUnavailable,
  KurrentRecordedEventLike,
  mapClientError,
  planServerFilter,
  toPortPosition,
  toStoredMetadata,
  toStoredProperties,
  toStreamState,
} from './kurrentdb-mapping';

/** Half of KurrentDB's default maximum append size (1 MiB), leaving room for the encoding's overhead. */
export const MULTI_APPEND_CHUNK_BYTES = 512 * 1024;

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false` (also accepts `esdb://`). */
  readonly url: string;
  /** Back-off before re-subscribing after the connection drops. */
  readonly resubscribeDelayMs?: number;
}

/**
 * The production event store: EventStoreDB / KurrentDB through the official gRPC client.
 * Stream semantics match the embedded store; the contract suite runs against both.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDBClient;
  private readonly subscriptions = new Set<Subscription>();

  private constructor(private readonly options: KurrentDbEventStoreOptions) {
    this.client = KurrentDBClient.connectionString(options.url);
  }

  /** Connects and proves the server answers, or fails with a message that says what to check. */
  static async connect(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(options);
    try {
      await store.headPosition();
    } catch (error) {
      await store.client.dispose().catch(() => undefined);
      throw mapClientError(error, { url: options.url });
    }
    return store;
  }

  async append(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({ id: event.id, type: event.type, data: { ...event.data }, metadata: toStoredMetadata(event.metadata) }),
        ),
        { streamState: toStreamState(expected) },
      );
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position ? toPortPosition(result.position) : undefined,
      };
    } catch (error) {
      throw mapClientError(error, { streamName, expected, url: this.options.url });
    }
  }

  /**
   * KurrentDB 25.1+'s multi-stream append, one atomic server transaction per chunk of whole requests. The
   * server reports the transaction's position, not each event's, so results carry revisions only.
   */
  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    assertDistinctStreams(requests);
    const results: AppendResult[] = [];
    for (const chunk of chunkAppendRequests(requests, MULTI_APPEND_CHUNK_BYTES)) {
      const writing = chunk.filter((request) => request.events.length > 0);
      const revisions = new Map<string, bigint>();
      if (writing.length > 0) {
        try {
          const result = await this.client.multiStreamAppend(
            writing.map((request) => ({
              streamName: request.streamName,
              expectedState: toStreamState(request.expected),
              events: request.events.map((event) =>
                jsonEvent({ id: event.id, type: event.type, data: { ...event.data }, metadata: toStoredProperties(event.metadata) }),
              ),
            })),
          );
          for (const response of result.responses) revisions.set(response.streamName, response.revision);
        } catch (error) {
          throw mapClientError(error, { url: this.options.url });
        }
      }
      for (const request of chunk) {
        const revision = revisions.get(request.streamName) ?? (await this.currentRevision(request.streamName));
        results.push({ nextExpectedRevision: revision });
      }
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

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: options.after === undefined ? START : fromPortPosition(options.after),
        filter: toClientFilter(options.filter),
      });
      for await (const resolved of read) {
        const mapped = mapResolvedAll(resolved);
        // The client's fromPosition is inclusive; the port's `after` is not.
        if (!mapped || (options.after !== undefined && mapped.position <= options.after)) continue;
        if (!matchesFilter(options.filter, mapped.streamName, mapped.type)) continue;
        events.push(mapped);
        if (events.length >= limit) break;
      }
    } catch (error) {
      throw mapClientError(error, { url: this.options.url });
    }
    return events;
  }

  async headPosition(): Promise<bigint> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, filter: excludeSystemEvents() });
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
    while (!this.closed) {
      const subscription = this.client.subscribeToAll({
        fromPosition: after === undefined ? START : fromPortPosition(after),
        filter: toClientFilter(this.options.filter),
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

const toClientFilter = (filter: ReadAllOptions['filter']): Filter => {
  const plan = planServerFilter(filter);
  switch (plan.kind) {
    case 'event-type-prefixes':
      return eventTypeFilter({ prefixes: plan.prefixes });
    case 'stream-prefixes':
      return streamNameFilter({ prefixes: plan.prefixes });
    case 'exclude-system':
      return excludeSystemEvents();
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
