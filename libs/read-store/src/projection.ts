import type { RecordedEvent } from '#event-store';
import { decodeEvent, type EventShapes } from '#shared-kernel';
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
  /**
   * Bumped when `evolve` changes meaning, or how its collections are stored (a layout or declared types apply to the
   * tables of a new generation); a live generation built by an older version is reported as outdated and rebuilt.
   */
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

/** Malformed event data stops the projection at that event with a message naming it, never a silent skip. */
export const failOn = (event: { readonly type: string; readonly position: bigint }, field: string, expected: string): never => {
  throw new Error(`${event.type} at position ${event.position}: ${field} is not ${expected}`);
};

/** A domain event as its context declares it: a type string and the data that type carries. */
export interface DomainEventLike {
  readonly type: string;
  readonly data: object;
}

/** A recorded event (position, stream, metadata) whose data was checked against its domain type. */
export type Recorded<E extends DomainEventLike> = Omit<RecordedEvent, 'type' | 'data'> & E;

/**
 * A projection written against the domain's typed events: `touches`, `reads` and `evolve` receive the event of one of
 * `eventTypes` with its data checked against the domain's shape for its type (after upcasting and repairs), so they
 * read fields, not string paths.
 */
export interface TypedProjection<D extends Doc, E extends DomainEventLike> extends Omit<Projection<D>, 'eventTypes' | 'touches' | 'reads' | 'evolve'> {
  readonly eventTypes: readonly E['type'][];
  touches(event: Recorded<E>): readonly (DocRef | DocSelection)[];
  reads?(event: Recorded<E>): readonly DocRef[];
  evolve(current: D | null, event: Recorded<E>, ref: DocRef, context: ProjectionContext): D;
}

/**
 * The projection the engine runs: each event of a handled type is checked once against its shape (a mismatch stops
 * the projection at that event, naming the field), then handed to the typed projection; any other event touches
 * nothing.
 */
export const typedProjection = <D extends Doc, E extends DomainEventLike>(shapes: EventShapes<E>, spec: TypedProjection<D, E>): Projection<D> => {
  const handled = new Set<string>(spec.eventTypes);
  for (const type of handled) if (!(type in shapes)) throw new Error(`${spec.name} handles ${type} but has no shape for it`);
  const checked = new WeakSet<RecordedEvent>();
  const typed = (event: RecordedEvent): Recorded<E> => {
    if (!handled.has(event.type)) throw new Error(`${event.type} at position ${event.position} is not an event ${spec.name} handles`);
    if (checked.has(event)) return event as unknown as Recorded<E>;
    const decoded = decodeEvent(shapes, event);
    checked.add(event);
    return decoded as unknown as Recorded<E>;
  };
  const { touches, reads, evolve, ...rest } = spec;
  return {
    ...rest,
    touches: (event) => (handled.has(event.type) ? touches(typed(event)) : []),
    ...(reads ? { reads: (event: RecordedEvent) => (handled.has(event.type) ? reads(typed(event)) : []) } : {}),
    evolve: (current, event, ref, context) => evolve(current, typed(event), ref, context),
  };
};
