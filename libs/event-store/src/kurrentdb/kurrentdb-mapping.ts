/**
 * Pure translation between the port and the KurrentDB client's types. Everything here is unit-tested
 * without a server: revisions and stream states, positions, recorded events, filters and errors.
 */
import type { EventMetadata } from '#shared-kernel';
import {
  AllFilter,
  AppendRequest,
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
 * Splits a multi-stream append into consecutive chunks of whole requests, each at most `maxBytes` of
 * estimated payload (a single larger request gets a chunk of its own), so no server transaction exceeds its cap.
 */
export const chunkAppendRequests = (requests: readonly AppendRequest[], maxBytes: number): AppendRequest[][] => {
  const chunks: AppendRequest[][] = [];
  let current: AppendRequest[] = [];
  let size = 0;
  for (const request of requests) {
    const bytes = estimatedBytes(request);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(request);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

const estimatedBytes = (request: AppendRequest): number =>
  request.events.reduce((sum, event) => sum + event.type.length + 64 + JSON.stringify(event.data).length + JSON.stringify(event.metadata).length, request.streamName.length);

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
const TRANSIENT_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);

export const isWrongExpectedVersion = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as ClientErrorLike).type === 'wrong-expected-version';

export const isStreamNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as ClientErrorLike).type === 'stream-not-found';

export const isUnavailable = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type, code } = error as ClientErrorLike;
  return code === GRPC_UNAVAILABLE || (typeof type === 'string' && TRANSIENT_TYPES.has(type));
};

/** Translates a client error into the port's errors; anything else passes through unchanged. */
export const mapClientError = (error: unknown, context: { streamName?: string; expected?: ExpectedRevision; url?: string }): unknown => {
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
