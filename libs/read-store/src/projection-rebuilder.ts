import type { EventStore, RecordedEvent } from '#event-store';
import { canonicalJson } from '#shared-kernel';
import { applyEvents, type ApplyResult, settlePending, type WorkingSet } from './apply-events';
import type { Projection } from './projection';
import { ProjectionWorker, SELECTION_CHUNK } from './projection-worker';
import { readParked } from './parked-events';
import type { ReadStore, Target } from './read-store.port';

export interface RebuildProgress {
  readonly projection: string;
  readonly phase: 'building' | 'catching_up' | 'swapping' | 'comparing' | 'done' | 'failed';
  readonly position: bigint;
  readonly head: bigint;
  /** 0–1, by position in the log. */
  readonly fraction: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly elapsedMs: number;
}

export interface RebuildResult {
  readonly projection: string;
  readonly generation: number;
  readonly replacedGeneration: number;
  readonly events: number;
  readonly checkpoint: bigint;
  readonly elapsedMs: number;
}

export interface DocDifference {
  readonly collection: string;
  readonly id: string;
  readonly kind: 'missing_in_live' | 'missing_in_rebuilt' | 'different';
  /** Top-level fields that differ (for `different`). */
  readonly fields?: readonly string[];
}

export interface VerifyResult {
  readonly projection: string;
  readonly position: bigint;
  readonly documents: number;
  readonly differences: readonly DocDifference[];
  /** True when more differences exist than were listed. */
  readonly truncated: boolean;
}

export interface RebuildOptions {
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Documents the rebuild keeps in memory between batches (DEFAULT_REBUILD_CACHE). */
  readonly cacheSize?: number;
  /** Milliseconds between progress reports. */
  readonly progressEveryMs?: number;
  readonly now?: () => number;
  /**
   * Size (MB of JSON) the read model a rebuild builds in memory may reach before the rebuild writes it out and goes
   * on a batch at a time through the store (DEFAULT_REBUILD_MEMORY_MB; 0 builds through the store from the start).
   */
  readonly memoryBudgetMb?: number;
  /** Derived documents held in memory before they are written out (DERIVED_IN_MEMORY). */
  readonly derivedInMemory?: number;
  /** Documents a selecting event is applied to at a time while building in memory (SELECTION_CHUNK). */
  readonly selectionChunk?: number;
}

/**
 * Rebuilds several projections, some at once (each in a thread of its own, for example): what an analyst's
 * "rebuild all" and the start-up build of a long log run on. Resolves with the results in the order given; after a
 * failure it starts no other rebuild, lets those running finish, and rejects with the first failure.
 */
export interface RebuildPool {
  /** How many rebuilds run at once. */
  readonly threads: number;
  rebuild(projections: readonly Projection[], options: PoolRebuildOptions): Promise<RebuildResult[]>;
}

export interface PoolRebuildOptions extends Pick<RebuildOptions, 'memoryBudgetMb' | 'onProgress' | 'progressEveryMs'> {
  /** Each result as soon as its projection is live. */
  readonly onResult?: (result: RebuildResult) => void;
}

const MAX_DIFFERENCES = 100;

/**
 * Events per rebuild batch: each batch writes every document it touched once, so larger batches write less
 * (measured on 1k customers: churn_risk 4.8 s at 5,000, 3.0 s at 20,000, 2.4 s at 50,000, for 60 MB more memory).
 */
export const DEFAULT_REBUILD_BATCH = 20_000;

/**
 * Documents a rebuild keeps in memory between batches: a rebuild meets every customer's documents again each
 * business day, so a cache of them all spares a reload per document per day (10k customers × 20 days: churn_risk
 * 34.7 s with 2,000, 25.8 s with 25,000). Bounded, so memory stays flat with more customers.
 */
export const DEFAULT_REBUILD_CACHE = 20_000;

/**
 * How large (as JSON) a read model a rebuild builds in memory may grow: built in memory, each document is written
 * once instead of once per batch that changes it. Past the budget the rebuild writes what it has and goes on
 * through the store, so memory stays bounded with more customers; the documents are the same either way.
 */
export const DEFAULT_REBUILD_MEMORY_MB = 64;

/**
 * Events per batch of a projection that derives documents, going through the store (each customer event of
 * `rep_kpis` derives a dozen contribution rows, held until the batch commits): fewer events hold fewer rows.
 */
export const DERIVING_BATCH = 5_000;

/**
 * Derived documents a rebuild building in memory holds before it writes them out and lets them go: the projection
 * never reads them back, and at 100k customers one new week derives over a million of them. At 10k customers
 * (10k × 80 days, the `rep_kpis` rebuild alone under a 384 MB heap) 250,000 took 50 s and peaked at 463 MB RSS,
 * 150,000 took 56 s at 404 MB, and 100,000 took 84 s (a new week's rows written more than once): 150,000 keeps a
 * rebuild thread clear of 512 MB for a tenth more time.
 */
export const DERIVED_IN_MEMORY = 150_000;

/** How often a rebuild building in memory stamps its generation's checkpoint, to show it is still at work. */
export const HEARTBEAT_MS = 60_000;
/** A generation neither live nor stamped for this long was left by an interrupted rebuild or verify. */
export const ABANDONED_AFTER_MS = 30 * 60_000;

/** Documents sampled to estimate the size of a read model held in memory. */
const SIZE_SAMPLE = 64;

/**
 * The size of a working set as JSON, estimated from evenly spaced documents (the same ones for the same log and
 * batch size, so whether a rebuild stays in memory does not depend on the machine).
 */
export const estimatedJsonBytes = (working: WorkingSet): number => {
  if (working.size === 0) return 0;
  const step = Math.max(1, Math.floor(working.size / SIZE_SAMPLE));
  let sampled = 0;
  let bytes = 0;
  let i = 0;
  for (const stored of working.values()) {
    if (i % step === 0) {
      bytes += JSON.stringify(stored.doc).length;
      sampled += 1;
    }
    i += 1;
  }
  return (bytes / sampled) * working.size;
};

/** Lets timers and requests run between batches of a long rebuild (the store's reads may never yield). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Rebuilds a projection from the log into a fresh generation while the live one keeps answering, then swaps
 * it in atomically once it has caught up; or, to verify, builds a scratch copy up to the live checkpoint and
 * lists every difference.
 */
export class ProjectionRebuilder {
  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async rebuild(projection: Projection, options: RebuildOptions = {}): Promise<RebuildResult> {
    const started = (options.now ?? performance.now.bind(performance))();
    const target = await this.prepare(projection);
    try {
      const worker = new ProjectionWorker(this.store, projection, target, -1n, this.clock, options.cacheSize ?? DEFAULT_REBUILD_CACHE);
      worker.parked = await this.parkedFor(projection);
      let events = await this.buildInMemory(worker, options, undefined);
      await this.store.buildIndexes(target, projection.collections);
      events += await this.fill(worker, options, undefined, 'building');
      for (let attempt = 0; ; attempt += 1) {
        // The live projection may have moved on while the shadow was built: catch up, then swap.
        events += await this.fill(worker, options, undefined, 'catching_up');
        try {
          const replaced = await this.store.activateGeneration(projection.name, target.generation, projection.version);
          if (replaced !== 0) await this.store.dropGeneration({ projection: projection.name, generation: replaced }, projection.collections);
          const elapsedMs = (options.now ?? performance.now.bind(performance))() - started;
          return { projection: projection.name, generation: target.generation, replacedGeneration: replaced, events, checkpoint: worker.checkpoint, elapsedMs };
        } catch (error) {
          if (attempt >= 20 || !(error instanceof Error) || !/behind/.test(error.message)) throw error;
        }
      }
    } catch (error) {
      await this.store.dropGeneration(target, projection.collections).catch(() => undefined);
      throw error;
    }
  }

  async verify(projection: Projection, options: RebuildOptions = {}): Promise<VerifyResult> {
    const registration = await this.store.registration(projection.name);
    if (!registration || registration.liveGeneration === 0) throw new Error(`Projection ${projection.name} has no live read model to verify`);
    const live: Target = { projection: projection.name, generation: registration.liveGeneration };
    const scratch = await this.prepare(projection);
    try {
      const worker = new ProjectionWorker(this.store, projection, scratch, -1n, this.clock, options.cacheSize ?? DEFAULT_REBUILD_CACHE);
      worker.parked = await this.parkedFor(projection);
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const before = await this.store.checkpoint(live);
        if (before.failure) throw new Error(`Projection ${projection.name} is stopped at position ${before.failure.position}: ${before.failure.message}`);
        if (attempt === 0) {
          await this.buildInMemory(worker, options, before.position);
          await this.store.buildIndexes(scratch, projection.collections);
        }
        await this.fill(worker, options, before.position, 'building');
        const result = await this.compare(projection, live, scratch, before.position);
        const after = await this.store.checkpoint(live);
        // Only a comparison during which the live copy stood still is meaningful.
        if (after.position === before.position) return result;
      }
      throw new Error(`The live ${projection.name} kept moving; verify again when the command load is lower`);
    } finally {
      await this.store.dropGeneration(scratch, projection.collections).catch(() => undefined);
    }
  }

  /** A rebuild passes over the same parked events as the live projection, so the two stay equal. */
  private async parkedFor(projection: Projection): Promise<ReadonlySet<string>> {
    return new Set((await readParked(this.events)).get(projection.name)?.keys() ?? []);
  }

  private async prepare(projection: Projection): Promise<Target> {
    // Indexes are built once the bulk of the documents is in (after the part built in memory).
    const generation = await this.store.prepareGeneration(projection.name, projection.version, projection.collections, false, { deferIndexes: true });
    const target = { projection: projection.name, generation };
    // Stamped at once: a generation no one has stamped for a long while is one an interrupted rebuild left behind.
    await this.store.commit(target, [], -1n, null);
    return target;
  }

  /**
   * Drops the generations that interrupted rebuilds and verifies left behind (a process killed mid-way): neither
   * live nor stamped for `olderThanMs` (a running rebuild commits, or stamps its checkpoint, at least every
   * HEARTBEAT_MS). Returns what it dropped.
   */
  async dropAbandoned(projections: readonly Projection[], olderThanMs = ABANDONED_AFTER_MS): Promise<Target[]> {
    const now = this.clock().getTime();
    const dropped: Target[] = [];
    for (const projection of projections) {
      const registration = await this.store.registration(projection.name);
      if (!registration) continue;
      for (let generation = 1; generation <= registration.lastGeneration; generation += 1) {
        if (generation === registration.liveGeneration) continue;
        const target = { projection: projection.name, generation };
        let updatedAt: string | null;
        try {
          updatedAt = (await this.store.checkpoint(target)).updatedAt;
        } catch {
          continue; // dropped already
        }
        if (updatedAt !== null && now - Date.parse(updatedAt) < olderThanMs) continue;
        await this.store.dropGeneration(target, projection.collections);
        dropped.push(target);
      }
    }
    return dropped;
  }

  /**
   * From the start of the log, applies events to one read model held in memory up to the head (or `until`), then
   * writes each document once, with the checkpoint. Past the memory budget it writes what changed and lets go of
   * the derived documents (which the projection only writes); if what is left is still over half the budget, the
   * rest of the log goes through the store a batch at a time.
   */
  private async buildInMemory(worker: ProjectionWorker, options: RebuildOptions, until: bigint | undefined): Promise<number> {
    const budget = (options.memoryBudgetMb ?? DEFAULT_REBUILD_MEMORY_MB) * 1024 * 1024;
    if (budget <= 0 || worker.checkpoint !== -1n) return 0;
    const batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH;
    const head = until ?? (await this.events.headPosition());
    const working: WorkingSet = new Map();
    // Documents changed since they were last written, and the derived ones among them.
    const changed = new Set<string>();
    const derived = new Set<string>();
    // Documents changed since they were last settled: settled when written (see `applyEvents`).
    const unsettled = new Set<string>();
    let position = -1n;
    let events = 0;
    const report = this.reporter(worker, options, head, 'building', () => position);
    let stamped = this.clock().getTime();
    const writeOut = async () => {
      settleOrThrow(worker, working, changed, unsettled, derived);
      const outcome = await worker.writeOut(working, changed, position);
      if (outcome === 'stale') throw new Error(`Generation ${worker.target.generation} of ${worker.projection.name} was removed during the rebuild`);
      changed.clear();
    };
    while (position < head) {
      const read = await this.events.readAll({ ...(position >= 0n ? { after: position } : {}), maxCount: batchSize, filter: { eventTypes: worker.projection.eventTypes } });
      const batch = read.filter((event) => event.position <= head);
      const result = await this.applyInPieces(worker, batch.filter((event) => !worker.parked.has(event.id)), working, changed, derived, unsettled, options);
      if (result.failed) throw failedAt(worker, result.failed.event, result.failed.error);
      events += result.applied;
      // Events read but not handled still move the checkpoint on; a short read is the head.
      const atHead = read.length < batchSize || batch.length < read.length;
      position = atHead ? head : batch[batch.length - 1]!.position;
      report(events, false);
      if (atHead) break;
      if (this.clock().getTime() - stamped >= HEARTBEAT_MS) {
        await this.store.commit(worker.target, [], worker.checkpoint, null);
        stamped = this.clock().getTime();
      }
      if (estimatedJsonBytes(working) > budget) {
        await writeOut();
        for (const key of derived) working.delete(key);
        derived.clear();
        if (estimatedJsonBytes(working) > budget / 2) break;
      }
      await yieldToEventLoop();
    }
    report(events, true);
    await writeOut();
    working.clear();
    return events;
  }

  /**
   * Applies a batch to the read model held in memory. For a projection that derives documents, an event that
   * selects more documents than SELECTION_CHUNK is applied to them a chunk at a time, and past DERIVED_IN_MEMORY
   * derived documents (checked after each run of events and each chunk) they are written out, the checkpoint left
   * where it was, and let go. The documents are the same as one pass over the whole batch would make.
   */
  private async applyInPieces(
    worker: ProjectionWorker,
    events: readonly RecordedEvent[],
    working: WorkingSet,
    changed: Set<string>,
    derived: Set<string>,
    unsettled: Set<string>,
    options: RebuildOptions,
  ): Promise<ApplyResult> {
    const { projection } = worker;
    if (!projection.derive) return applyEvents(projection, events, working, changed, derived, undefined, undefined, unsettled);
    const held = options.derivedInMemory ?? DERIVED_IN_MEMORY;
    const chunkSize = options.selectionChunk ?? SELECTION_CHUNK;
    const writeDerived = async () => {
      if (derived.size < held) return;
      const outcome = await worker.writeOut(working, derived, worker.checkpoint);
      if (outcome === 'stale') throw new Error(`Generation ${worker.target.generation} of ${projection.name} was removed during the rebuild`);
      for (const key of derived) {
        working.delete(key);
        changed.delete(key);
      }
      derived.clear();
    };
    let applied = 0;
    let lastPosition: bigint | undefined;
    let rest = events;
    while (rest.length > 0) {
      // Applied as one run up to an event that selects too many documents to hold with what they derive.
      const run = applyEvents(projection, rest, working, changed, derived, undefined, chunkSize, unsettled);
      applied += run.applied;
      lastPosition = run.lastPosition ?? lastPosition;
      if (run.failed) return { ...run, applied, lastPosition };
      // Documents left unsettled derive nothing until they settle: no more of them than a chunk of a selection.
      if (unsettled.size >= chunkSize) settleOrThrow(worker, working, changed, unsettled, derived);
      await writeDerived();
      if (!run.paused) break;
      const event = rest[run.paused.index]!;
      for (let chunk = 0; chunk < run.paused.refs.length; chunk += chunkSize) {
        const part = applyEvents(projection, [event], working, changed, derived, run.paused.refs.slice(chunk, chunk + chunkSize));
        if (part.failed) return { ...part, applied, lastPosition };
        await writeDerived();
      }
      applied += 1;
      lastPosition = event.position;
      rest = rest.slice(run.paused.index + 1);
    }
    return { applied, lastPosition };
  }

  /** Reports progress at most every `progressEveryMs`, and always when forced. */
  private reporter(worker: ProjectionWorker, options: RebuildOptions, head: bigint, phase: RebuildProgress['phase'], position: () => bigint) {
    const now = options.now ?? performance.now.bind(performance);
    const every = options.progressEveryMs ?? 250;
    const start = now();
    const startPosition = position();
    let lastReport = -Infinity;
    return (events: number, force: boolean): void => {
      const t = now();
      if (!options.onProgress || (!force && t - lastReport < every)) return;
      lastReport = t;
      const at = position();
      const elapsedMs = t - start;
      const done = at - startPosition;
      const remaining = head - at;
      const rate = elapsedMs > 0 ? Number(done) / (elapsedMs / 1000) : 0;
      options.onProgress({
        projection: worker.projection.name,
        phase,
        position: at,
        head,
        fraction: head <= 0n ? 1 : Math.min(1, Number(at < 0n ? 0n : at) / Number(head)),
        events,
        eventsPerSecond: elapsedMs > 0 ? Math.round(events / (elapsedMs / 1000)) : 0,
        etaSeconds: remaining <= 0n ? 0 : rate > 0 ? Number(remaining) / rate : null,
        elapsedMs,
      });
    };
  }

  /** Applies the log after the worker's checkpoint, up to the head (or to `until`), reporting progress. */
  private async fill(worker: ProjectionWorker, options: RebuildOptions, until: bigint | undefined, phase: RebuildProgress['phase']): Promise<number> {
    // What a batch derives is held until its commit.
    const batchSize = Math.min(options.batchSize ?? DEFAULT_REBUILD_BATCH, worker.projection.derive ? DERIVING_BATCH : Infinity);
    const head = until ?? (await this.events.headPosition());
    let events = 0;
    const report = this.reporter(worker, options, head, phase, () => worker.checkpoint);
    while (worker.checkpoint < head) {
      const after = worker.checkpoint;
      let batch = await this.events.readAll({ ...(after >= 0n ? { after } : {}), maxCount: batchSize, filter: { eventTypes: worker.projection.eventTypes } });
      const exhausted = batch.length < batchSize;
      batch = batch.filter((event) => event.position <= head);
      const result = await worker.applyBatch(batch, exhausted || batch.length === 0 ? head : undefined);
      if (result.outcome === 'stale') throw new Error(`Generation ${worker.target.generation} of ${worker.projection.name} was removed during the rebuild`);
      if (result.failure) {
        throw new Error(
          `${worker.projection.name} failed at position ${result.failure.position} (${result.failure.eventType} in ${result.failure.streamName}): ${result.failure.message}`,
        );
      }
      events += result.applied;
      report(events, false);
      if (exhausted) break;
      await yieldToEventLoop();
    }
    report(events, true);
    return events;
  }

  private async compare(projection: Projection, live: Target, scratch: Target, position: bigint): Promise<VerifyResult> {
    const differences: DocDifference[] = [];
    let documents = 0;
    let total = 0;
    for (const { name } of projection.collections) {
      const left = this.store.scan(live, name)[Symbol.asyncIterator]();
      const right = this.store.scan(scratch, name)[Symbol.asyncIterator]();
      let a = await left.next();
      let b = await right.next();
      while (!a.done || !b.done) {
        const idA = a.done ? undefined : a.value.doc.id;
        const idB = b.done ? undefined : b.value.doc.id;
        let difference: DocDifference | undefined;
        if (idB === undefined || (idA !== undefined && idA < idB)) {
          difference = { collection: name, id: idA!, kind: 'missing_in_rebuilt' };
          a = await left.next();
        } else if (idA === undefined || idB < idA) {
          difference = { collection: name, id: idB, kind: 'missing_in_live' };
          b = await right.next();
        } else {
          documents += 1;
          const fields = differingFields(a.done ? {} : a.value.doc, b.done ? {} : b.value.doc);
          if (fields.length > 0) difference = { collection: name, id: idA, kind: 'different', fields };
          a = await left.next();
          b = await right.next();
        }
        if (difference) {
          total += 1;
          if (differences.length < MAX_DIFFERENCES) differences.push(difference);
        }
      }
    }
    return { projection: projection.name, position, documents, differences, truncated: total > differences.length };
  }
}

/** Settles (and derives from) what a rebuild in memory left unsettled, or stops it naming the event. */
const settleOrThrow = (worker: ProjectionWorker, working: WorkingSet, changed: Set<string>, unsettled: Set<string>, derived: Set<string>): void => {
  const failure = settlePending(worker.projection, working, changed, unsettled, derived);
  if (!failure) return;
  const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
  throw new Error(`${worker.projection.name} failed at position ${failure.position} (settling a document the event there changed): ${message}`);
};

/** The error a rebuild stops with at an event its projection cannot apply, as the store path words it. */
const failedAt = (worker: ProjectionWorker, event: RecordedEvent, error: unknown): Error =>
  new Error(`${worker.projection.name} failed at position ${event.position} (${event.type} in ${event.streamName}): ${error instanceof Error ? error.message : String(error)}`);

const differingFields = (left: object, right: object): string[] => {
  const a = left as Record<string, unknown>;
  const b = right as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key])).sort();
};
