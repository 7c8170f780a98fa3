import type { RecordedEvent } from '#event-store';
import type { CollectionSpec, Doc, Filter } from './read-store.port';

/** A document an event touches: which collection, which id. */
export interface DocRef {
  readonly collection: string;
  readonly id: string;
}

/**
 * Every document of a collection that matches a filter when the event is applied (for example every customer's
 * churn score on a new business day). The runner resolves it against the stored documents and the batch in hand,
 * so the set is the same however the log is cut into batches.
 */
export interface DocSelection {
  readonly collection: string;
  readonly where: Filter;
}

export const isSelection = (ref: DocRef | DocSelection): ref is DocSelection => 'where' in ref;

/** Read-only access, inside `evolve`, to documents of the same projection as they were before the event. */
export interface ProjectionContext {
  get<D extends Doc>(collection: string, id: string): D | null;
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
  touches(event: RecordedEvent): readonly (DocRef | DocSelection)[];
  /** Documents of this projection that `evolve` reads for the event through its context (before the event). */
  reads?(event: RecordedEvent): readonly DocRef[];
  /** The document after the event; `current` is null when the document does not exist yet. */
  evolve(current: D | null, event: RecordedEvent, ref: DocRef, context: ProjectionContext): D;
  /**
   * Derives what a changed document shows from what it (and documents changed with it, read through the context
   * as they are after the batch) holds, once per document per commit instead of once per event, and before an
   * event that selects documents by filter (which then matches settled documents, as it would after a commit).
   * Must be a pure function of those documents, and settling twice must change nothing, so where a log is cut into
   * batches never changes a document.
   */
  settle?(doc: D, collection: string, context: ProjectionContext): D;
  /**
   * Documents of other collections that a settled document alone determines (for example one row per contract
   * term of a customer), written with it, at its position, whenever it changes (and, like settling, before an event
   * that selects documents). Events never touch a derived
   * document; its owner must return it again (with whatever marks it as no longer shown) for as long as an
   * earlier version of it may be stored, since nothing else overwrites it. Must be pure, like `settle`.
   */
  derive?(doc: D, collection: string): readonly DerivedDoc<D>[];
}

export interface DerivedDoc<D extends Doc = Doc> {
  readonly collection: string;
  readonly doc: D;
}

/** A business day as projections accept it (ISO `YYYY-MM-DD`). */
export const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Malformed event data stops the projection at that event with a message naming it, never a silent skip. */
export const failOn = (event: RecordedEvent, field: string, expected: string): never => {
  throw new Error(`${event.type} at position ${event.position}: ${field} is not ${expected}`);
};

export const stringField = (event: RecordedEvent, field: string): string => {
  const value = event.data[field];
  return typeof value === 'string' && value !== '' ? value : failOn(event, field, 'a non-empty string');
};

export const dayField = (event: RecordedEvent, field: string): string => {
  const value = event.data[field];
  return typeof value === 'string' && ISO_DAY.test(value) ? value : failOn(event, field, 'an ISO day');
};

export const oneOfField = <T extends string>(event: RecordedEvent, field: string, values: readonly T[]): T => {
  const value = event.data[field];
  return values.includes(value as T) ? (value as T) : failOn(event, field, `one of ${values.join(', ')}`);
};
