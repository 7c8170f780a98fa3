/**
 * Pure translation between the port and the KurrentDB client's types. Everything here is unit-tested
 * without a server: revisions and stream states, positions, recorded events, filters and errors.
 */
import type { EventMetadata } from '#shared-kernel';
import {
  AllFilter,
  AppendOutcomeUnknownError,
  AppendRequest,
  AppendTooLargeError,
  EventStoreUnavailableError,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';

/** The client's `{ commit, prepare }` log position. */
export interface KurrentPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** The subset of a client-recorded event that the mapping reads. */
export interface KurrentRecordedEventLike {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: KurrentPosition;
}

const SHIFT = 64n;
const MASK = (1n << SHIFT) - 1n;

/**
 * The port's global position is one bigint. Commit and prepare positions are both below 2^64, so packing
 * them as `commit * 2^64 + prepare` is lossless and preserves $all order (by commit, then prepare), which
 * keeps the position strictly increasing even where events of one append share a commit position.
 */
export const toPortPosition = (position: KurrentPosition): bigint => {
  if (position.commit < 0n || position.prepare < 0n || position.commit > MASK || position.prepare > MASK) {
    throw new RangeError(`Log position out of range: ${position.commit}/${position.prepare}`);
  }
  return (position.commit << SHIFT) | position.prepare;
};

export const fromPortPosition = (position: bigint): KurrentPosition => {
  if (position < 0n) throw new RangeError(`Log position must not be negative: ${position}`);
  return { commit: position >> SHIFT, prepare: position & MASK };
};

/** The port's expected revision as the client's `streamState`. */
export const toStreamState = (expected: ExpectedRevision): 'any' | 'no_stream' | 'stream_exists' | bigint => {
  if (typeof expected === 'bigint') {
    if (expected < 0n) throw new RangeError(`Expected revision must not be negative: ${expected}`);
    return expected;
  }
  return expected;
};

/** The client's current stream state (`no_stream` or a revision) as the port's actual revision. */
export const fromCurrentState = (state: unknown): bigint | undefined => {
  if (state === 'no_stream') return -1n;
  if (typeof state === 'bigint') return state;
  if (typeof state === 'number' && Number.isInteger(state)) return BigInt(state);
  return undefined;
};

/**
 * Metadata as stored in KurrentDB: ours plus `$correlationId` / `$causationId`, which the server's
 * system projections understand. `recordedAt` is not stored: the server's `created` time is the truth.
 */
export const toStoredMetadata = (metadata: Omit<EventMetadata, 'recordedAt'>): Record<string, unknown> => ({
  ...metadata,
  $correlationId: metadata.correlationId,
  $causationId: metadata.causationId,
});

/**
 * Metadata for a multi-stream append, whose records carry properties with string values only: the actor is
 * split into `actorId`/`actorRole` and numbers become strings. `fromStoredMetadata` reads both shapes back.
 */
export const toStoredProperties = (metadata: Omit<EventMetadata, 'recordedAt'>): Record<string, string> => {
  const properties: Record<string, string> = {
    commandId: metadata.commandId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    actorId: metadata.actor.id,
    actorRole: metadata.actor.role,
    occurredAt: metadata.occurredAt,
    schemaVersion: String(metadata.schemaVersion),
    $correlationId: metadata.correlationId,
    $causationId: metadata.causationId,
  };
  if (metadata.requestHash !== undefined) properties.requestHash = metadata.requestHash;
  if (metadata.origin !== undefined) properties.origin = metadata.origin;
  return properties;
};

/** Stored metadata in either shape (nested from `append`, flat strings from `appendMany`) as the port's. */
export const fromStoredMetadata = (stored: Record<string, unknown>): Record<string, unknown> => {
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    // The server's own keys ($correlationId, $schema.*) are not the application's.
    if (!key.startsWith('$')) metadata[key] = value;
  }
  if (metadata.actor === undefined && typeof metadata.actorId === 'string' && typeof metadata.actorRole === 'string') {
    metadata.actor = { id: metadata.actorId, role: metadata.actorRole };
    delete metadata.actorId;
    delete metadata.actorRole;
  }
  if (typeof metadata.schemaVersion === 'string' && /^\d+$/.test(metadata.schemaVersion)) metadata.schemaVersion = Number(metadata.schemaVersion);
  return metadata;
};

/**
 * KurrentDB's default maximum size of one append (`MaxAppendSize`, 256 MiB from 25.1). A server configured lower
 * refuses a larger append whole; so does this adapter, before sending it, above `maxAppendBytes`.
 */
export const DEFAULT_MAX_APPEND_BYTES = 256 * 1024 * 1024;

/**
 * The bytes a multi-stream append puts on the server, as it counts them: each record's id, type, UTF-8 JSON data
 * and string properties, and each stream's name. UTF-8, not UTF-16 characters: a Chinese company name counts 3.
 */
export const appendBytes = (requests: readonly AppendRequest[]): number => {
  let bytes = 0;
  for (const request of requests) {
    bytes += Buffer.byteLength(request.streamName, 'utf8');
    for (const event of request.events) {
      bytes += 16 + Buffer.byteLength(event.type, 'utf8') + Buffer.byteLength(JSON.stringify(event.data), 'utf8');
      for (const [key, value] of Object.entries(toStoredProperties(event.metadata))) bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
    }
  }
  return bytes;
};

/** One batch is one atomic append, or is refused whole before anything is sent. */
export const assertAppendFits = (requests: readonly AppendRequest[], maxBytes: number): void => {
  const bytes = appendBytes(requests);
  if (bytes > maxBytes) throw new AppendTooLargeError(bytes, maxBytes);
};

/**
 * Stream names that differ only in case are one stream to KurrentDB's multi-stream append: refused before sending,
 * like a name given twice, instead of a server error after.
 */
export const assertDistinctIgnoringCase = (requests: readonly AppendRequest[]): void => {
  const seen = new Map<string, string>();
  for (const { streamName } of requests) {
    const key = streamName.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined && other !== streamName) {
      throw new RangeError(`appendMany names streams ${other} and ${streamName}, which differ only in case and are one stream to KurrentDB`);
    }
    seen.set(key, streamName);
  }
};

/** The first KurrentDB release with multi-stream append, which telemetry batches are written with. */
export const MINIMUM_SERVER_VERSION = '25.1';

/**
 * Whether a server version (as the server reports it, e.g. `25.1.0.2187`) has multi-stream append. Unknown or
 * unreadable versions do not: the service refuses to start rather than answer 500 on the first telemetry batch.
 */
export const supportsMultiStreamAppend = (serverVersion: string): boolean => {
  const match = /^(\d+)\.(\d+)/.exec(serverVersion.trim());
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 25 || (major === 25 && minor >= 1);
};

export const serverTooOld = (serverVersion: string, url: string): EventStoreUnavailableError =>
  new EventStoreUnavailableError(
    `The event store at ${redactUrl(url)} is ${serverVersion ? `version ${serverVersion}` : 'of an unknown version'}; this service needs KurrentDB ${MINIMUM_SERVER_VERSION} or later ` +
      '(a telemetry batch is one multi-stream append, which EventStoreDB 23/24 and KurrentDB 25.0 do not have). Upgrade the server, or run without EVENTSTORE_URL on the embedded store.',
  );

/** The URL schemes the official client accepts (`esdb` is deprecated but still read). */
const CLIENT_SCHEMES = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i;

/**
 * Why a connection string cannot be used, or null. The client would reject an unknown scheme only when it first
 * connects, and `throwOnAppendFailure=false` would make a failed append look like a success: no concurrency check,
 * no idempotency. Both are refused when the configuration is read.
 */
export const connectionStringProblem = (url: string): string | null => {
  if (!CLIENT_SCHEMES.test(url.trim())) {
    return 'EVENTSTORE_URL must start with kurrentdb://, kurrent://, kdb:// or esdb:// (each optionally +discover), e.g. kurrentdb://localhost:2113?tls=false';
  }
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const pair of query.split('&')) {
    const [key, value] = pair.split('=');
    if (key?.toLowerCase() === 'throwonappendfailure' && value?.toLowerCase() !== 'true') {
      return 'EVENTSTORE_URL must not set throwOnAppendFailure=false: a failed append would then look stored, and conflicts and duplicates would go unseen';
    }
  }
  return null;
};

export const fromRecordedEvent = (event: KurrentRecordedEventLike, position?: bigint): RecordedEvent => {
  const metadata = fromStoredMetadata(decodeJson(event.metadata, event.isJson) as Record<string, unknown>);
  const at = position ?? (event.position ? toPortPosition(event.position) : -1n);
  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    position: at,
    type: event.type,
    data: decodeJson(event.data, event.isJson) as Record<string, unknown>,
    metadata: { ...(metadata as unknown as EventMetadata), recordedAt: event.created.toISOString() },
  };
};

const decodeJson = (value: unknown, isJson: boolean): unknown => {
  if (value === undefined || value === null) return {};
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    return JSON.parse(Buffer.from(value).toString('utf8'));
  }
  if (!isJson && typeof value === 'string') return JSON.parse(value);
  return value;
};

/** System streams and types ($-prefixed) are the server's own and never reach the application. */
export const isSystemEvent = (streamName: string, type: string): boolean => streamName.startsWith('$') || type.startsWith('$');

/**
 * KurrentDB filters server-side on stream names *or* event types, by prefix. Pick one for the server
 * (event types narrow most) and let the caller apply the exact filter client-side as well.
 */
export type ServerFilterPlan =
  | { readonly kind: 'exclude-system' }
  | { readonly kind: 'stream-prefixes'; readonly prefixes: string[] }
  | { readonly kind: 'event-type-prefixes'; readonly prefixes: string[] };

export const planServerFilter = (filter: AllFilter | undefined): ServerFilterPlan => {
  if (filter?.eventTypes && filter.eventTypes.length > 0) return { kind: 'event-type-prefixes', prefixes: [...filter.eventTypes] };
  if (filter?.streamNamePrefixes && filter.streamNamePrefixes.length > 0) {
    return { kind: 'stream-prefixes', prefixes: [...filter.streamNamePrefixes] };
  }
  return { kind: 'exclude-system' };
};

interface ClientErrorLike {
  readonly type?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly streamName?: unknown;
  readonly actualState?: unknown;
}

/** gRPC status 14 (UNAVAILABLE): the server cannot be reached. */
const GRPC_UNAVAILABLE = 14;
/** gRPC DEADLINE_EXCEEDED, INTERNAL and DATA_LOSS: after a request was sent, they say nothing about whether it ran. */
const GRPC_OUTCOME_UNKNOWN = new Set([4, 13, 15]);
const TRANSIENT_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);
/** The client's error types of an append whose outcome is unknown: its deadline passed, or the commit timed out. */
const OUTCOME_UNKNOWN_TYPES = new Set(['deadline-exceeded', 'timeout']);

/**
 * The server refused an append for its size (a server configured below the default maximum, or one record above
 * its own limit): nothing was written. The sizes it reports, or -1 where it gives none.
 */
export const sizeRefusal = (error: unknown): { bytes: number; maxBytes: number } | null => {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { type?: unknown; size?: unknown; maxSize?: unknown; maxAppendSize?: unknown };
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : -1);
  if (e.type === 'maximum-append-size-exceeded') return { bytes: -1, maxBytes: number(e.maxAppendSize) };
  if (e.type === 'transaction-max-size-exceeded' || e.type === 'append-record-size-exceeded') return { bytes: number(e.size), maxBytes: number(e.maxSize) };
  return null;
};

/** The leader moved: the server refused the request without running it, and the client reconnects to the new one. */
export const isNotLeader = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as ClientErrorLike).type === 'not-leader';

/**
 * Whether an append that failed with this error may have been written: a deadline or commit timeout, or a gRPC
 * INTERNAL or DATA_LOSS status (which the client reports as `unavailable`, keeping the status code).
 */
export const isOutcomeUnknown = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type, code } = error as ClientErrorLike;
  return (typeof type === 'string' && OUTCOME_UNKNOWN_TYPES.has(type)) || (typeof code === 'number' && GRPC_OUTCOME_UNKNOWN.has(code));
};

export const isWrongExpectedVersion = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as ClientErrorLike).type === 'wrong-expected-version';

export const isStreamNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as ClientErrorLike).type === 'stream-not-found';

export const isUnavailable = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type, code } = error as ClientErrorLike;
  return code === GRPC_UNAVAILABLE || (typeof type === 'string' && TRANSIENT_TYPES.has(type));
};

/**
 * Translates a client error into the port's errors; anything else passes through unchanged. For an append
 * (`appending`), an error after which the write may have happened is an AppendOutcomeUnknownError, never
 * "unreachable": the caller must not report that nothing was stored.
 */
export const mapClientError = (error: unknown, context: { streamName?: string; expected?: ExpectedRevision; url?: string; appending?: boolean }): unknown => {
  const tooLarge = sizeRefusal(error);
  if (tooLarge) return new AppendTooLargeError(tooLarge.bytes, tooLarge.maxBytes);
  if (context.appending && isOutcomeUnknown(error)) {
    return new AppendOutcomeUnknownError(
      `The event store did not confirm the append${context.streamName ? ` to ${context.streamName}` : ''} (${messageOf(error)}): it may have been written. ` +
        'Retry the command with the same Idempotency-Key: if it was stored, the retry answers its outcome and stores nothing again.',
      error,
    );
  }
  if (isWrongExpectedVersion(error)) {
    const e = error as ClientErrorLike;
    return new WrongExpectedRevisionError(
      typeof e.streamName === 'string' ? e.streamName : (context.streamName ?? '?'),
      context.expected ?? 'any',
      fromCurrentState(e.actualState),
    );
  }
  if (isUnavailable(error)) {
    return new EventStoreUnavailableError(
      `EventStoreDB is unreachable${context.url ? ` at ${redactUrl(context.url)}` : ''}: ${messageOf(error)}. ` +
        'Check that the server is running and that EVENTSTORE_URL is right (for docker compose: kurrentdb://localhost:2113?tls=false).',
      error,
    );
  }
  return error;
};

/** Connection strings may carry credentials: never print them. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');

const messageOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as ClientErrorLike).message === 'string'
    ? ((error as ClientErrorLike).message as string).split('\n')[0]!
    : String(error);
