import { createHash, randomUUID } from 'node:crypto';

/** Ids are opaque strings: letters, digits, '_', '.', ':' and '-' up to 64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

export const newId = (): string => randomUUID();

/**
 * A name-based UUID (RFC 9562 version 8 layout, SHA-256): the same inputs always give the same id, so a
 * retried command produces events with the same ids and the store can recognise them.
 */
export const deterministicUuid = (...parts: readonly string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A stable hash of a JSON value, key order ignored. */
export const stableHash = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};
