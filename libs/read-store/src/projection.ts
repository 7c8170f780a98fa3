import type { RecordedEvent } from '../../event-store/src/event-store.port';
import type { CollectionSpec, Doc } from './read-store.port';

/** A document an event touches: which collection, which id. */
export interface DocRef {
  readonly collection: string;
  readonly id: string;
}

/**
 * A projection is pure: which documents an event touches, and each document after the event.
 * Anything that depends on "today" is left to queries, so a rebuilt projection equals the live one.
 */
export interface Projection<D extends Doc = Doc> {
  /** Lower-case name, also used for table and collection names. */
  readonly name: string;
  /** Bumped when `evolve` changes meaning; a live generation built by an older version is reported as outdated. */
  readonly version: number;
  readonly description: string;
  /** The event types it handles; the runner reads only these. */
  readonly eventTypes: readonly string[];
  readonly collections: readonly CollectionSpec[];
  /** The documents an event changes (none for an event it ignores). */
  touches(event: RecordedEvent): readonly DocRef[];
  /** The document after the event; `current` is null when the document does not exist yet. */
  evolve(current: D | null, event: RecordedEvent, ref: DocRef): D;
}

/** Reads a string from event data, failing loudly if the event does not carry it. */
export const requireString = (event: RecordedEvent, field: string): string => {
  const value = event.data[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${event.type} at position ${event.position} has no ${field}`);
  }
  return value;
};
