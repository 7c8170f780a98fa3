import type { RecordedEvent } from '../../event-store/src/event-store.port';
import type { Projection } from './projection';
import type { Doc, DocWrite, StoredDoc } from './read-store.port';

/** Documents of one batch, keyed by `<collection>\u0000<id>`. */
export type WorkingSet = Map<string, StoredDoc>;

export const workingKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

export interface ApplyResult {
  /** Position of the last event applied (or skipped as already applied). */
  readonly lastPosition: bigint | undefined;
  /** The event that threw, with its error; nothing from it onwards was applied. */
  readonly failed?: { readonly event: RecordedEvent; readonly error: unknown };
  readonly applied: number;
}

/**
 * Applies events in order to the documents they touch. A document whose stored position is at or past an
 * event's position already holds that event, so it is left alone: replaying a batch never counts twice.
 * Stops at the first event whose `evolve` (or `touches`) throws.
 */
export const applyEvents = (projection: Projection, events: readonly RecordedEvent[], working: WorkingSet, changed: Set<string>): ApplyResult => {
  let lastPosition: bigint | undefined;
  let applied = 0;
  for (const event of events) {
    try {
      const refs = projection.touches(event);
      const updates: [string, StoredDoc][] = [];
      for (const ref of refs) {
        const key = workingKey(ref.collection, ref.id);
        const current = working.get(key);
        if (current && current.position >= event.position) continue;
        const next = projection.evolve((current?.doc as never) ?? null, event, ref);
        if (next.id !== ref.id) throw new Error(`${projection.name} returned document ${next.id} for ${ref.collection}/${ref.id}`);
        updates.push([key, { doc: next, position: event.position }]);
      }
      // All documents of one event change together, or none do.
      for (const [key, stored] of updates) {
        working.set(key, stored);
        changed.add(key);
      }
      applied += 1;
      lastPosition = event.position;
    } catch (error) {
      return { lastPosition, failed: { event, error }, applied };
    }
  }
  return { lastPosition, applied };
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
