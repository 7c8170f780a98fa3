import type { RecordedEvent } from '#event-store';
import { applyEvents, unchangedDerived, workingKey, writesOf, type WorkingSet } from './apply-events';
import { isSelection, type DocRef, type Projection } from './projection';
import type { CommitOutcome, LeaseFence, ProjectionFailure, ReadStore, StoredDoc, Target } from './read-store.port';

export interface BatchResult {
  readonly outcome: CommitOutcome;
  readonly applied: number;
  readonly checkpoint: bigint;
  readonly failure: ProjectionFailure | null;
}

/** Documents a selecting event is applied to at a time. */
export const SELECTION_CHUNK = 5_000;

/** Documents per commit when a read model built in memory is written out. */
export const WRITE_OUT_SLICE = 10_000;

/**
 * Applies batches of events to one generation of one projection: loads the documents a batch touches
 * (keeping recently used ones in memory), applies the pure projection, and commits the changed documents
 * with the checkpoint. It never skips an event: on a throwing handler it commits what came before and stops.
 */
export class ProjectionWorker {
  private readonly cache: WorkingSet = new Map();
  private position: bigint;
  /** Ids of events an operator parked for this projection: passed over, the checkpoint moving past them. */
  parked: ReadonlySet<string> = new Set();
  /** The lease each commit must still hold (the runner's single-writer lease); none for a rebuild's generation. */
  fence: (() => LeaseFence) | undefined;

  constructor(
    private readonly store: ReadStore,
    readonly projection: Projection,
    readonly target: Target,
    checkpoint: bigint,
    private readonly now: () => Date,
    /**
     * Documents kept in memory between batches (0 = reload every batch): the hot ones of a live log. Few, since
     * a store read is cheap and a large cache of large documents costs memory and garbage-collection pauses.
     */
    private readonly cacheSize = 2_000,
    /** Documents a selecting event is applied to at a time. */
    private readonly selectionChunk = SELECTION_CHUNK,
  ) {
    this.position = checkpoint;
  }

  get checkpoint(): bigint {
    return this.position;
  }

  async applyBatch(events: readonly RecordedEvent[], upTo?: bigint): Promise<BatchResult> {
    const pending = events.filter((event) => event.position > this.position && !this.parked.has(event.id));
    // Events read but not handled (or already applied) still move the checkpoint on.
    const last = events[events.length - 1]?.position;
    const end = last !== undefined && (upTo === undefined || last > upTo) ? last : upTo;
    let applied = 0;
    let start = 0;
    const selectedInRun: DocRef[] = [];
    let lastChunked: BatchResult | undefined;
    for (let i = 0; i < pending.length; i += 1) {
      const selected = await this.selected(pending[i]!);
      if (selected === undefined) continue;
      if (selected.length <= this.selectionChunk) {
        // Few enough to go with the events around it, in one working set.
        selectedInRun.push(...selected);
        continue;
      }
      // Too many for one working set: what came before is committed, then the event goes alone, in chunks.
      if (i > start) {
        const run = await this.applyRun(pending.slice(start, i), pending[i - 1]!.position, selectedInRun);
        applied += run.applied;
        if (run.outcome !== 'committed' || run.failure) return { ...run, applied };
      }
      // Selected again now that the run before it is stored, so documents it created are found too.
      const chunked = await this.applySelection(pending[i]!, (await this.selected(pending[i]!)) ?? [], i === pending.length - 1 ? end : undefined);
      applied += chunked.applied;
      if (chunked.outcome !== 'committed' || chunked.failure) return { ...chunked, applied };
      start = i + 1;
      selectedInRun.length = 0;
      lastChunked = chunked;
    }
    // A batch that ended with a chunked event has committed everything, the checkpoint included.
    if (lastChunked && start === pending.length) return { ...lastChunked, applied };
    const rest = await this.applyRun(pending.slice(start), end, selectedInRun);
    return { ...rest, applied: applied + rest.applied };
  }

  /**
   * The stored documents an event selects by filter (undefined when it names its documents by id, or when its
   * `touches` throws, which `applyEvents` then reports). Documents the batch creates before it are found in the
   * working set when the event is applied.
   */
  private async selected(event: RecordedEvent): Promise<DocRef[] | undefined> {
    let selections;
    try {
      selections = this.projection.touches(event).filter(isSelection);
    } catch {
      return undefined;
    }
    if (selections.length === 0) return undefined;
    const refs: DocRef[] = [];
    for (const selection of selections) {
      for (const id of await this.store.findIds(this.target, selection.collection, selection.where)) refs.push({ collection: selection.collection, id });
    }
    return refs;
  }

  /** Events applied in one working set (with the documents their selections found) and one commit. */
  private async applyRun(events: readonly RecordedEvent[], end: bigint | undefined, selected: readonly DocRef[]): Promise<BatchResult> {
    const working = await this.workingSetFor(events, selected);
    const before = this.projection.derive ? new Map(working) : working;
    const changed = new Set<string>();
    const derived = new Set<string>();
    const result = applyEvents(this.projection, events, working, changed, derived);
    if (result.failed?.redo) {
      // Settling a document threw: the events before the one that changed it are applied again alone, then it stops there.
      const at = result.failed.event.position;
      const before = await this.applyRun(events.filter((event) => event.position < at), undefined, selected);
      if (before.outcome !== 'committed' || before.failure) return before;
      return this.commit(new Map(), new Set(), before.checkpoint, this.failureOf(result.failed.event, result.failed.error), before.applied);
    }
    const failure = result.failed ? this.failureOf(result.failed.event, result.failed.error) : null;
    let checkpoint = result.lastPosition ?? this.position;
    if (!failure && end !== undefined && end > checkpoint) checkpoint = end;
    return this.commit(working, withoutUnchanged(this.projection, before, working, changed, derived), checkpoint, failure, result.applied, derived);
  }

  /**
   * One event that touches every document a filter selects, applied to at most SELECTION_CHUNK documents at a
   * time so memory stays flat however many there are. Each chunk commits with the checkpoint still before the
   * event; a chunk already written holds the event's position, so a restart part-way skips it.
   */
  private async applySelection(event: RecordedEvent, selected: readonly DocRef[], end: bigint | undefined): Promise<BatchResult> {
    const fixed = [...this.projection.touches(event).filter((ref): ref is DocRef => !isSelection(ref)), ...(this.projection.reads?.(event) ?? [])];
    const before = this.position;
    let applied = 0;
    for (let from = 0; from === 0 || from < selected.length; from += this.selectionChunk) {
      const final = from + this.selectionChunk >= selected.length;
      const working = await this.load([...fixed, ...selected.slice(from, from + this.selectionChunk)]);
      const loaded = this.projection.derive ? new Map(working) : working;
      const changed = new Set<string>();
      const derived = new Set<string>();
      const result = applyEvents(this.projection, [event], working, changed, derived);
      if (result.failed) return this.commit(new Map(), new Set(), before, this.failureOf(event, result.failed.error), applied);
      applied = 1;
      const checkpoint = final ? (end !== undefined && end > event.position ? end : event.position) : before;
      const chunk = await this.commit(working, withoutUnchanged(this.projection, loaded, working, changed, derived), checkpoint, null, applied, derived);
      if (chunk.outcome !== 'committed' || final) return chunk;
    }
    throw new Error('unreachable: the last chunk returns');
  }

  private failureOf(event: RecordedEvent, error: unknown): ProjectionFailure {
    return {
      position: event.position.toString(),
      eventId: event.id,
      eventType: event.type,
      streamName: event.streamName,
      message: error instanceof Error ? error.message : String(error),
      failedAt: this.now().toISOString(),
    };
  }

  private async commit(
    working: WorkingSet,
    changed: Set<string>,
    checkpoint: bigint,
    failure: ProjectionFailure | null,
    applied: number,
    derived?: ReadonlySet<string>,
  ): Promise<BatchResult> {
    const outcome = await this.store.commit(this.target, writesOf(working, changed), checkpoint, failure, this.fence?.());
    if (outcome === 'committed') {
      this.position = checkpoint;
      this.remember(working, changed, derived);
    } else {
      this.cache.clear();
    }
    return { outcome, applied, checkpoint, failure };
  }

  /**
   * Writes documents of a read model built in memory from the start of the log (a rebuild), a slice per commit,
   * the checkpoint moving with the last; the worker goes on from there.
   */
  async writeOut(working: WorkingSet, keys: ReadonlySet<string>, checkpoint: bigint, slice = WRITE_OUT_SLICE): Promise<CommitOutcome> {
    // In key order (collection, then id): each table's rows go in in the order of its primary key, filling pages
    // one after the other instead of splitting pages all over the table.
    const all = [...keys].sort();
    for (let from = 0; from === 0 || from < all.length; from += slice) {
      const last = from + slice >= all.length;
      const outcome = await this.store.commit(this.target, writesOf(working, all.slice(from, from + slice)), last ? checkpoint : this.position, null);
      if (outcome !== 'committed') return outcome;
    }
    this.position = checkpoint;
    this.cache.clear();
    return 'committed';
  }

  /** Marks the checkpoint as reached without events (e.g. the head of a log whose tail this projection ignores). */
  async advanceTo(position: bigint): Promise<CommitOutcome> {
    if (position <= this.position) return 'committed';
    const outcome = await this.store.commit(this.target, [], position, null);
    if (outcome === 'committed') this.position = position;
    return outcome;
  }

  private async workingSetFor(events: readonly RecordedEvent[], selected: readonly DocRef[]): Promise<WorkingSet> {
    const refs: DocRef[] = [...selected];
    for (const event of events) {
      try {
        for (const ref of [...this.projection.touches(event), ...(this.projection.reads?.(event) ?? [])]) if (!isSelection(ref)) refs.push(ref);
      } catch {
        break; // applyEvents meets the same error and reports it with the event
      }
    }
    return this.load(refs);
  }

  /** The documents named, from the cache where it has them, the rest from the store in one read per collection. */
  private async load(refs: readonly DocRef[]): Promise<WorkingSet> {
    const working: WorkingSet = new Map();
    const missing = new Map<string, string[]>();
    for (const ref of refs) {
      const key = workingKey(ref.collection, ref.id);
      if (working.has(key)) continue;
      const cached = this.cache.get(key);
      if (cached) {
        working.set(key, cached);
        continue;
      }
      working.set(key, undefined as unknown as StoredDoc);
      const ids = missing.get(ref.collection) ?? [];
      ids.push(ref.id);
      missing.set(ref.collection, ids);
    }
    for (const [key, value] of working) if (value === undefined) working.delete(key);
    for (const [collection, ids] of missing) {
      const loaded = await this.store.load(this.target, collection, ids);
      for (const [id, stored] of loaded) working.set(workingKey(collection, id), stored);
    }
    return working;
  }

  /** Keeps the documents just written (not derived ones, which the worker never loads), the oldest leaving first. */
  private remember(working: WorkingSet, changed: Set<string>, derived?: ReadonlySet<string>): void {
    if (this.cacheSize === 0) return;
    for (const key of changed) {
      if (derived?.has(key)) continue;
      this.cache.delete(key);
      this.cache.set(key, working.get(key)!);
    }
    // Oldest first: Map keeps insertion order, and a changed document was just moved to the end. One iterator for
    // the whole eviction: a fresh one per deletion walks past every slot deleted before it.
    const oldest = this.cache.keys();
    while (this.cache.size > this.cacheSize) this.cache.delete(oldest.next().value as string);
  }
}

/** The changed documents less the derived ones a commit would write again unchanged (see `unchangedDerived`). */
const withoutUnchanged = (projection: Projection, before: WorkingSet, working: WorkingSet, changed: Set<string>, derived: ReadonlySet<string>): Set<string> => {
  const unchanged = unchangedDerived(projection, before, working, changed, derived);
  if (unchanged.size === 0) return changed;
  return new Set([...changed].filter((key) => !unchanged.has(key)));
};
