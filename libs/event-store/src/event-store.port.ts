import type { EventMetadata } from '#shared-kernel';

/** What the caller expects of the stream before appending (EventStoreDB's semantics). */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** An event as the application hands it to the store. */
export interface EventToAppend {
  /**
   * Deterministic id. What KurrentDB promises, and so the port: the same events appended again with the same
   * expected revision succeed without writing (revision n: where they were first written after n); with `any`
   * or `stream_exists`, only while they are still the stream's last events (KurrentDB remembers them in a bounded
   * cache, so not for ever). Appended again at another revision, they are new events. Exactly-once therefore
   * comes from the expected revision a command read (and its Idempotency-Key), never from the id alone.
   */
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Omit<EventMetadata, 'recordedAt'>;
}

/** An event as read back from the store. */
export interface RecordedEvent {
  readonly id: string;
  readonly streamName: string;
  /** Position within its stream, from 0. */
  readonly revision: bigint;
  /** Position in the global log: strictly increasing, not necessarily contiguous. */
  readonly position: bigint;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (or found already written), when the store reports it. */
  readonly position?: bigint;
}

/** One stream's part of a multi-stream append. */
export interface AppendRequest {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
}

/**
 * An event ready to be written as it is, for a bulk import: its stream revision known, its data and its metadata
 * (without `recordedAt`, which the store adds) already JSON.
 */
export interface PreparedEvent {
  readonly streamName: string;
  /** Revision within its stream: every stream's events come 0, 1, 2, … in log order. */
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  /** The data object as JSON. */
  readonly data: string;
  /** The metadata object as JSON, without `recordedAt`. */
  readonly metadata: string;
}

export interface ImportProgress {
  /** Events written so far (not yet visible: the import commits at the end). */
  readonly events: number;
  /** `writing` while batches arrive; `finishing` while the store indexes, checks and commits the whole. */
  readonly stage: 'writing' | 'finishing';
}

export interface ImportSummary {
  readonly events: number;
  readonly streams: number;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive start revision; defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface AllFilter {
  readonly streamNamePrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to start from the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

export interface SubscribeOptions {
  /** Exclusive: deliver events strictly after this position. Omit for the whole log. */
  readonly after?: bigint;
  readonly filter?: AllFilter;
}

/** A live subscription to the global log: caught up first, then live. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration and releases resources. */
  close(): Promise<void>;
}

export interface EventStore {
  append(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams at once, each request with its own expected revision and the same idempotency
   * as `append`. All requests are written or none: a wrong expected revision anywhere throws and writes nothing.
   * Each stream may appear once. Results are in request order.
   *
   * The embedded store writes the whole call in one transaction. KurrentDB caps the size of one multi-stream
   * transaction, so its adapter writes a large call as consecutive atomic chunks of whole requests: a failure
   * there can leave earlier chunks written, and the caller's requests must be idempotent so a retry completes it.
   */
  appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]>;
  /** Reads a stream; a stream that does not exist reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Reads many streams from their start in one call (at most `maxCount` events each): the answer has one list per
   * name, in the order asked, each as `readStream` would give it. For batches that touch thousands of streams; absent
   * where the store has no cheaper way than one read per stream.
   */
  readStreams?(streamNames: readonly string[], options?: { readonly maxCount?: number }): Promise<RecordedEvent[][]>;
  /**
   * A stream's last revision (-1n: no stream) when the store knows it without reading: the stream was written or read
   * whole through this store, and nothing has been written by any other writer since. `undefined` when it cannot be
   * sure. Lets a command skip reading a stream whose cached state is current; absent where the store cannot tell.
   */
  knownRevision?(streamName: string): bigint | undefined;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the last event in the log, or -1n for an empty log. */
  headPosition(): Promise<bigint>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /**
   * Proves the store takes writes without adding to the log (a read-only or full database fails here), for the
   * readiness check; absent where that cannot be proved without appending an event.
   */
  probeWrite?(): Promise<void>;
  /**
   * Writes a whole log into an empty store, all or nothing: nothing is visible to readers until every event is
   * written, and a failure (a store that is not empty, a stream whose revisions do not run 0, 1, 2, …, a duplicate)
   * leaves the store empty. Appends asked for meanwhile wait and are written after it. For loading generated or
   * migrated history fast; absent where the store has no such path (load through `appendMany` there).
   */
  importLog?(batches: AsyncIterable<readonly PreparedEvent[]>, onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

/** A bulk import was asked of a store that already holds events. */
export class LogNotEmptyError extends Error {
  readonly code = 'LOG_NOT_EMPTY';
  constructor(readonly head: bigint) {
    super(`The event store already holds events (its last is at position ${head}); a log is only imported into an empty one`);
    this.name = 'LogNotEmptyError';
  }
}

/** A bulk import whose events do not form streams (a revision skipped, repeated or out of order): nothing was written. */
export class ImportRejectedError extends Error {
  readonly code = 'IMPORT_REJECTED';
  constructor(message: string) {
    super(`${message}; nothing was imported`);
    this.name = 'ImportRejectedError';
  }
}

/** The stream was not at the expected revision. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The actual revision, -1n if the stream does not exist, or undefined if the server did not say. */
    readonly actual: bigint | undefined,
  ) {
    super(
      `Stream ${streamName} expected ${describeExpected(expected)} but is at ${
        actual === undefined ? 'an unknown revision' : actual === -1n ? 'no stream' : `revision ${actual}`
      }`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The store cannot be reached or refused us; raised at start-up with a message saying what to check. */
export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * The store may or may not have written an append: it timed out, or failed inside the server, after the request
 * was sent. Retrying the same command with the same Idempotency-Key is safe: if the first attempt was stored, the
 * retry finds it and answers its outcome instead of appending again.
 */
export class AppendOutcomeUnknownError extends Error {
  readonly code = 'APPEND_OUTCOME_UNKNOWN';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'AppendOutcomeUnknownError';
  }
}

/** An append larger than the store accepts in one transaction: refused whole, nothing written. */
export class AppendTooLargeError extends Error {
  readonly code = 'APPEND_TOO_LARGE';
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `The batch is ${bytes >= 0 ? `${bytes} bytes, ` : ''}more than the ${maxBytes >= 0 ? `${maxBytes} bytes the event store accepts` : 'event store accepts'} in one append; nothing was stored. Send it in smaller batches.`,
    );
    this.name = 'AppendTooLargeError';
  }
}

/** Refuses a multi-stream append that names a stream twice (its revisions would be ambiguous). */
export const assertDistinctStreams = (requests: readonly AppendRequest[]): void => {
  const seen = new Set<string>();
  for (const { streamName } of requests) {
    if (seen.has(streamName)) throw new RangeError(`appendMany names stream ${streamName} more than once; merge its events into one request`);
    seen.add(streamName);
  }
};

export const describeExpected = (expected: ExpectedRevision): string =>
  typeof expected === 'bigint' ? `revision ${expected}` : expected;

export const matchesFilter = (filter: AllFilter | undefined, streamName: string, type: string): boolean => {
  if (!filter) return true;
  if (filter.eventTypes && filter.eventTypes.length > 0 && !filter.eventTypes.includes(type)) return false;
  if (filter.streamNamePrefixes && filter.streamNamePrefixes.length > 0) {
    return filter.streamNamePrefixes.some((prefix) => streamName.startsWith(prefix));
  }
  return true;
};
