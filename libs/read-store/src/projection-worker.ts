import type { RecordedEvent } from '../../event-store/src/event-store.port';
import { applyEvents, workingKey, writesOf, type WorkingSet } from './apply-events';
import { isSelection, type DocRef, type DocSelection, type Projection } from './projection';
import type { CommitOutcome, ProjectionFailure, ReadStore, StoredDoc, Target } from './read-store.port';

export interface BatchResult {
  readonly outcome: CommitOutcome;
  readonly applied: number;
  readonly checkpoint: bigint;
  readonly failure: ProjectionFailure | null;
}

/**
 * Applies batches of events to one generation of one projection: loads the documents a batch touches
 * (keeping recently used ones in memory), applies the pure projection, and commits the changed documents
 * with the checkpoint. It never skips an event: on a throwing handler it commits what came before and stops.
 */
export class ProjectionWorker {
  private readonly cache: WorkingSet = new Map();
  private position: bigint;

  constructor(
    private readonly store: ReadStore,
    readonly projection: Projection,
    readonly target: Target,
    checkpoint: bigint,
    private readonly now: () => Date,
    /** Documents kept in memory between batches (0 = reload every batch). */
    private readonly cacheSize = 50_000,
  ) {
    this.position = checkpoint;
  }

  get checkpoint(): bigint {
    return this.position;
  }

  async applyBatch(events: readonly RecordedEvent[], upTo?: bigint): Promise<BatchResult> {
    const pending = events.filter((event) => event.position > this.position);
    const working = await this.workingSetFor(pending);
    const changed = new Set<string>();
    const result = applyEvents(this.projection, pending, working, changed);
    let checkpoint = result.lastPosition ?? this.position;
    let failure: ProjectionFailure | null = null;
    if (result.failed) {
      const { event, error } = result.failed;
      failure = {
        position: event.position.toString(),
        eventId: event.id,
        eventType: event.type,
        streamName: event.streamName,
        message: error instanceof Error ? error.message : String(error),
        failedAt: this.now().toISOString(),
      };
    } else {
      // Events read but not handled (or already applied) still move the checkpoint on.
      const last = events[events.length - 1]?.position;
      if (last !== undefined && last > checkpoint) checkpoint = last;
      if (upTo !== undefined && upTo > checkpoint) checkpoint = upTo;
    }
    const outcome = await this.store.commit(this.target, writesOf(working, changed), checkpoint, failure);
    if (outcome === 'committed') {
      this.position = checkpoint;
      this.remember(working, changed);
    } else {
      this.cache.clear();
    }
    return { outcome, applied: result.applied, checkpoint, failure };
  }

  /** Marks the checkpoint as reached without events (e.g. the head of a log whose tail this projection ignores). */
  async advanceTo(position: bigint): Promise<CommitOutcome> {
    if (position <= this.position) return 'committed';
    const outcome = await this.store.commit(this.target, [], position, null);
    if (outcome === 'committed') this.position = position;
    return outcome;
  }

  private async workingSetFor(events: readonly RecordedEvent[]): Promise<WorkingSet> {
    const working: WorkingSet = new Map();
    const missing = new Map<string, string[]>();
    const want = (ref: DocRef) => {
      const key = workingKey(ref.collection, ref.id);
      if (working.has(key)) return;
      const cached = this.cache.get(key);
      if (cached) {
        working.set(key, cached);
        return;
      }
      working.set(key, undefined as unknown as StoredDoc);
      const ids = missing.get(ref.collection) ?? [];
      ids.push(ref.id);
      missing.set(ref.collection, ids);
    };
    const selections = new Map<string, DocSelection>();
    for (const event of events) {
      let refs;
      try {
        refs = [...this.projection.touches(event), ...(this.projection.reads?.(event) ?? [])];
      } catch {
        break; // applyEvents meets the same error and reports it with the event
      }
      for (const ref of refs) {
        if (isSelection(ref)) selections.set(`${ref.collection}\u0000${JSON.stringify(ref.where)}`, ref);
        else want(ref);
      }
    }
    // Every stored document a selection matches now; documents the batch changes are in the working set already.
    for (const selection of selections.values()) {
      for (const id of await this.store.findIds(this.target, selection.collection, selection.where)) want({ collection: selection.collection, id });
    }
    for (const [key, value] of working) if (value === undefined) working.delete(key);
    for (const [collection, ids] of missing) {
      const loaded = await this.store.load(this.target, collection, ids);
      for (const [id, stored] of loaded) working.set(workingKey(collection, id), stored);
    }
    return working;
  }

  private remember(working: WorkingSet, changed: Set<string>): void {
    if (this.cacheSize === 0) return;
    for (const key of changed) {
      this.cache.delete(key);
      this.cache.set(key, working.get(key)!);
    }
    // Oldest first: Map keeps insertion order, and a changed document was just moved to the end.
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }
}
