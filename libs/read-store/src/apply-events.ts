import type { RecordedEvent } from '#event-store';
import { isSelection, type DocRef, type DocSelection, type Projection, type ProjectionContext } from './projection';
import { assertFieldTypes, assertIndexedScalars, type FieldType, isOfFieldType, matchesDoc, type Doc, type DocWrite, type StoredDoc, valueAtKeys } from './read-store.port';

/** Documents of one batch, keyed by `<collection>\u0000<id>`. */
export type WorkingSet = Map<string, StoredDoc>;

export const workingKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

export interface ApplyResult {
  /** Position of the last event applied (or skipped as already applied). */
  readonly lastPosition: bigint | undefined;
  /**
   * The event that threw, with its error; nothing from it onwards was applied. `redo` when it was settling or
   * deriving a document the event changed that threw: the working set then holds later events too, so the caller
   * applies the events before it again, alone, before it commits.
   */
  readonly failed?: { readonly event: RecordedEvent; readonly error: unknown; readonly redo?: boolean };
  readonly applied: number;
  /**
   * With `pauseOver`: the event (its index in the events given) whose selections match more documents than that,
   * and those documents; nothing from it onwards was applied, and what came before is settled and derived.
   */
  readonly paused?: { readonly index: number; readonly refs: readonly DocRef[] };
}

/** Settling or deriving a document threw: the error, and the position of the last event that changed the document. */
class SettleError extends Error {
  constructor(
    readonly position: bigint,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** The failure a settling error stands for: the event that last changed the document (or the event at hand). */
const settleFailure = (error: SettleError, events: readonly RecordedEvent[], fallback: RecordedEvent | undefined) => {
  const found = events.find((candidate) => candidate.position === error.position);
  if (found) return { event: found, error: error.cause, redo: true };
  // A document left unsettled by an earlier call (see `unsettled`): its event is not at hand, so the error names it.
  const message = error.cause instanceof Error ? error.cause.message : String(error.cause);
  const cause = new Error(`settling a document last changed at position ${error.position}: ${message}`);
  return { event: fallback ?? events[events.length - 1]!, error: cause, redo: true };
};

/** The documents of the working set a selection matches now (the caller loaded every stored match first). */
export const selectedIn = (working: WorkingSet, selection: DocSelection): DocRef[] => {
  const prefix = `${selection.collection}\u0000`;
  const refs: DocRef[] = [];
  for (const [key, stored] of working) {
    if (key.startsWith(prefix) && matchesDoc(stored.doc, selection.where)) refs.push({ collection: selection.collection, id: stored.doc.id });
  }
  return refs;
};

/** What checking a projection's documents needs of each of its collections, worked out once per projection. */
interface CollectionChecks {
  /** The fields the collection indexes (other than the id), each split into its keys. */
  readonly indexedPaths: readonly (readonly string[])[];
  /** Its declared field types, if any, and each declared field split into its keys with its type. */
  readonly fieldTypes: Readonly<Record<string, FieldType>> | undefined;
  readonly typedPaths: readonly (readonly [keys: readonly string[], type: FieldType])[];
  /** Declared `derived`: the only collections `derive` may write. */
  readonly derived: boolean;
}

const checksCache = new WeakMap<Projection, ReadonlyMap<string, CollectionChecks>>();

const checksOf = (projection: Projection, collection: string): CollectionChecks | undefined => {
  let byCollection = checksCache.get(projection);
  if (!byCollection) {
    byCollection = new Map(
      projection.collections.map((spec) => [
        spec.name,
        {
          indexedPaths: [...new Set(spec.indexes.flatMap((index) => index.fields.map(([field]) => field)))].filter((field) => field !== 'id').map((field) => field.split('.')),
          fieldTypes: spec.fieldTypes && Object.keys(spec.fieldTypes).length > 0 ? spec.fieldTypes : undefined,
          typedPaths: Object.entries(spec.fieldTypes ?? {}).map(([field, type]) => [field.split('.'), type] as const),
          derived: spec.derived === true,
        },
      ]),
    );
    checksCache.set(projection, byCollection);
  }
  return byCollection.get(collection);
};

/** What `derive` returned, each document checked, and each in a collection declared `derived`. */
const derivedFrom = (projection: Projection, doc: Doc, collection: string) =>
  projection.derive!(doc, collection).map((out) => {
    if (checksOf(projection, out.collection)?.derived !== true) {
      throw new Error(`${projection.name} derives document ${out.collection}/${out.doc.id}, but collection ${out.collection} is not declared derived`);
    }
    return { collection: out.collection, doc: checked(projection, out.collection, out.doc) };
  });

/**
 * A document as a projection returns it, checked: its indexed fields hold scalars (`assertIndexedScalars`), and its
 * declared fields the declared types (`assertFieldTypes`).
 */
const checked = <D extends Doc>(projection: Projection, collection: string, doc: D): D => {
  const checks = checksOf(projection, collection);
  if (!checks) return doc;
  for (const keys of checks.indexedPaths) {
    const value = valueAtKeys(doc, keys);
    if (value !== null && typeof value === 'object') assertIndexedScalars(doc, collection, [keys.join('.')]);
  }
  // Checked field by field (a projection deriving a dozen rows per event checks millions of fields in a rebuild);
  // the first wrong one is reported as `assertFieldTypes` words it.
  for (const [keys, type] of checks.typedPaths) {
    if (!isOfFieldType(valueAtKeys(doc, keys), type)) assertFieldTypes(doc, collection, checks.fieldTypes!);
  }
  return doc;
};

const contextOf = (working: WorkingSet): ProjectionContext => ({
  get: <D extends Doc>(collection: string, id: string) => (working.get(workingKey(collection, id))?.doc as D | undefined) ?? null,
});

/**
 * Applies events in order to the documents they touch. A document whose stored position is at or past an
 * event's position already holds that event, so it is left alone: replaying a batch never counts twice.
 * Stops at the first event whose `evolve` (or `touches`) throws. Changed documents are settled once at the end,
 * then the documents they derive are written beside them.
 */
export const applyEvents = (
  projection: Projection,
  events: readonly RecordedEvent[],
  working: WorkingSet,
  changed: Set<string>,
  /** Receives the keys of derived documents among the changed ones (never loaded again, so not worth caching). */
  derived?: Set<string>,
  /**
   * The documents an event's selections are applied to, instead of every match in the working set: one chunk of
   * a selection too large to hold with what it derives (the caller resolved it with `selectedIn`, after settling).
   */
  selected?: readonly DocRef[],
  /** Stops before an event whose selections match more documents than this (see `ApplyResult.paused`). */
  pauseOver?: number,
  /**
   * The documents changed and not yet settled, kept by the caller across calls (a rebuild in memory, which never
   * shows a document before it writes it): documents are then settled (and derive) only before a selection that
   * needs it, and the caller settles the rest with `settlePending` before it writes them. By the contracts of
   * `settle` and `derive` the documents are the same; what is spared is settling every document once per business
   * day. Not with `selected`: a chunk of a large selection derives its documents as it goes, to bound memory.
   */
  unsettled?: Set<string>,
): ApplyResult => {
  const deferred = unsettled !== undefined && selected === undefined;
  const dirty = deferred ? unsettled : new Set<string>();
  const result = applyInOrder(projection, events, working, changed, dirty, derived, selected, pauseOver);
  // Nothing is settled after a failure either: the caller stops there.
  if (deferred) return result;
  try {
    settleAndDerive(projection, working, changed, dirty, derived);
  } catch (error) {
    if (!(error instanceof SettleError)) throw error;
    const failed = settleFailure(error, events, undefined);
    return { lastPosition: undefined, failed, applied: 0 };
  }
  return result;
};

/**
 * Settles what `applyEvents` left unsettled (its `unsettled` set, emptied). Returns the failure, if settling a
 * document threw: the error and the position of the last event that changed the document.
 */
export const settlePending = (
  projection: Projection,
  working: WorkingSet,
  changed: Set<string>,
  unsettled: Set<string>,
  derived?: Set<string>,
): { readonly position: bigint; readonly error: unknown } | undefined => {
  try {
    settleAndDerive(projection, working, changed, unsettled, derived);
    return undefined;
  } catch (error) {
    if (!(error instanceof SettleError)) throw error;
    return { position: error.position, error: error.cause };
  }
};

/**
 * Whether the documents must be settled before a selection is resolved: when it filters (it matches documents as
 * they are once settled) or the projection derives (what they derive is written from the documents before the
 * event). A selection of every document of a collection matches the same ones settled or not.
 */
const settlesBefore = (projection: Projection, ref: DocRef | DocSelection): boolean =>
  isSelection(ref) && (projection.derive !== undefined || Object.keys(ref.where).length > 0);

/**
 * Settles the documents changed since they were last settled (settling is idempotent, so once is enough), then
 * writes what they derive beside them.
 */
const settleAndDerive = (projection: Projection, working: WorkingSet, changed: Set<string>, dirty: Set<string>, derived?: Set<string>): void => {
  const context = contextOf(working);
  const collectionOf = (key: string) => key.slice(0, key.indexOf('\u0000'));
  const guarded = <T>(position: bigint, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw new SettleError(position, error);
    }
  };
  if (projection.settle) {
    for (const key of dirty) {
      const stored = working.get(key);
      if (stored) {
        const collection = collectionOf(key);
        working.set(key, { doc: guarded(stored.position, () => checked(projection, collection, projection.settle!(stored.doc, collection, context))), position: stored.position });
      }
    }
  }
  if (projection.derive) {
    for (const key of dirty) {
      const stored = working.get(key);
      if (!stored) continue;
      const derivedDocs = guarded(stored.position, () => derivedFrom(projection, stored.doc, collectionOf(key)));
      for (const { collection, doc } of derivedDocs) {
        const derivedKey = workingKey(collection, doc.id);
        working.set(derivedKey, { doc, position: stored.position });
        changed.add(derivedKey);
        derived?.add(derivedKey);
      }
    }
  }
  dirty.clear();
};

const applyInOrder = (
  projection: Projection,
  events: readonly RecordedEvent[],
  working: WorkingSet,
  changed: Set<string>,
  dirty: Set<string>,
  derived: Set<string> | undefined,
  selected: readonly DocRef[] | undefined,
  pauseOver: number | undefined,
): ApplyResult => {
  let lastPosition: bigint | undefined;
  let applied = 0;
  const context = contextOf(working);
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index]!;
    try {
      const touched = projection.touches(event);
      // A selection matches documents as they are once settled (and what they derive is written, from the
      // documents as they are before the event), as after a commit: where a log is cut into batches never changes
      // which documents an event selects, nor what they derive.
      let refs = touched as readonly DocRef[];
      // Most events name their documents: selections are resolved only where there are some.
      if (touched.some(isSelection)) {
        if (touched.some((ref) => settlesBefore(projection, ref))) settleAndDerive(projection, working, changed, dirty, derived);
        const fixed = touched.filter((ref): ref is DocRef => !isSelection(ref));
        refs = selected ? [...fixed, ...selected] : touched.flatMap((ref) => (isSelection(ref) ? selectedIn(working, ref) : [ref]));
        if (pauseOver !== undefined && !selected && refs.length - fixed.length > pauseOver) {
          return { lastPosition, applied, paused: { index, refs: refs.filter((ref) => !fixed.includes(ref)) } };
        }
      }
      const updates: [string, StoredDoc][] = [];
      for (const ref of refs) {
        const key = workingKey(ref.collection, ref.id);
        const current = working.get(key);
        if (current && current.position >= event.position) continue;
        const next = checked(projection, ref.collection, projection.evolve((current?.doc as never) ?? null, event, ref, context));
        if (next.id !== ref.id) throw new Error(`${projection.name} returned document ${next.id} for ${ref.collection}/${ref.id}`);
        updates.push([key, { doc: next, position: event.position }]);
      }
      // All documents of one event change together, or none do.
      for (const [key, stored] of updates) {
        working.set(key, stored);
        changed.add(key);
        dirty.add(key);
      }
      applied += 1;
      lastPosition = event.position;
    } catch (error) {
      if (error instanceof SettleError) return { lastPosition: undefined, failed: settleFailure(error, events, event), applied: 0 };
      return { lastPosition, failed: { event, error }, applied };
    }
  }
  return { lastPosition, applied };
};

/**
 * The derived documents among the changed ones whose content is what the same documents derived before the batch
 * (`before`: the working set as loaded, its documents settled as they were stored): writing them again would only
 * move their position. A visit changes a few of the dozens of rows a customer derives (its day, week and month), so
 * the commit writes those few. Compared as JSON text: equal text is equal content, and a difference in key order
 * only costs a write.
 */
export const unchangedDerived = (projection: Projection, before: WorkingSet, working: WorkingSet, changed: ReadonlySet<string>, derived: ReadonlySet<string>): Set<string> => {
  const unchanged = new Set<string>();
  if (!projection.derive || derived.size === 0) return unchanged;
  const previous = new Map<string, string>();
  for (const key of changed) {
    if (derived.has(key)) continue;
    const old = before.get(key);
    if (!old) continue;
    let outs;
    try {
      outs = projection.derive(old.doc, key.slice(0, key.indexOf('\u0000')));
    } catch {
      continue; // what it derived before is unknown: everything it derives now is written
    }
    for (const out of outs) previous.set(workingKey(out.collection, out.doc.id), JSON.stringify(out.doc));
  }
  for (const key of derived) {
    const text = previous.get(key);
    const stored = working.get(key);
    if (text !== undefined && stored !== undefined && text === JSON.stringify(stored.doc)) unchanged.add(key);
  }
  return unchanged;
};

/** The writes for the changed documents of a working set. */
export const writesOf = (working: WorkingSet, changed: Iterable<string>): DocWrite[] => {
  const writes: DocWrite[] = [];
  for (const key of changed) {
    const stored = working.get(key);
    if (!stored) continue;
    writes.push({ collection: key.slice(0, key.indexOf('\u0000')), doc: stored.doc as Doc, position: stored.position });
  }
  return writes;
};

/** Projects events in memory from nothing (tests, verification): every document with its position. */
export const projectInMemory = (projection: Projection, events: readonly RecordedEvent[], working: WorkingSet = new Map()): WorkingSet => {
  const result = applyEvents(projection, events, working, new Set());
  if (result.failed) throw result.failed.error;
  return working;
};

/** The documents of one collection from a working set, by id. */
export const docsOf = <D extends Doc>(working: WorkingSet, collection: string): Map<string, D> => {
  const out = new Map<string, D>();
  const prefix = `${collection}\u0000`;
  for (const [key, stored] of working) if (key.startsWith(prefix)) out.set(stored.doc.id, stored.doc as D);
  return out;
};
