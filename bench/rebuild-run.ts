import { dirname } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { DEFAULT_REBUILD_MEMORY_MB, ProjectionRebuilder, type RebuildResult, SqliteReadStore } from '#read-store';
import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { ALL_PROJECTIONS } from '#views';
import { rebuildHeapMb, RebuildThreads } from '#engine';

/** What one rebuild of every projection measured, in its own process. */
export interface RebuildRun {
  readonly heap: string;
  /** Rebuilds at once, each in a thread of its own (REBUILD_THREADS); 0: one at a time in the process itself. */
  readonly threads: number;
  readonly elapsedMs: number;
  /** Per projection; its peak RSS is the process's while it ran (with threads, others ran beside it). */
  readonly projections: readonly { readonly name: string; readonly events: number; readonly elapsedMs: number; readonly peakMb: number }[];
  readonly baselineMb: number;
  readonly peakMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Rebuilds every projection of an event log into a read-model file, as the service's "rebuild all" does (the given
 * number of threads, or in this process with 0), and prints the figures as JSON on stdout. Run as a process of its
 * own, so its RSS is the rebuild's alone (threads included) and V8 flags (a heap limit) apply to it only. Peak RSS is
 * sampled every 50 ms. A comma-separated list of projections rebuilds only those; in the process itself,
 * BENCH_DERIVED_IN_MEMORY sets how many derived documents a rebuild holds before it writes them out.
 */
const main = async (): Promise<void> => {
  const [eventsFile, readModelsFile, heap, threadsArg, onlyArg] = process.argv.slice(2);
  if (!eventsFile || !readModelsFile) throw new Error('usage: rebuild-run <events.db> <read-models.db> [heap label] [threads] [projection,…]');
  const threads = Number(threadsArg ?? '0');
  const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
  const unknown = [...(only ?? [])].filter((name) => !ALL_PROJECTIONS.some((projection) => projection.name === name));
  if (unknown.length > 0) throw new Error(`No projection is named ${unknown.join(', ')}`);
  const chosen = ALL_PROJECTIONS.filter((projection) => !only || only.has(projection.name));
  // In the process itself (threads 0), how many derived documents a rebuild holds before writing them out.
  const derivedInMemory = process.env.BENCH_DERIVED_IN_MEMORY ? Number(process.env.BENCH_DERIVED_IN_MEMORY) : undefined;
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const running = new Map<string, number>();
  const sample = () => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    for (const [name, highest] of running) running.set(name, Math.max(highest, rss));
  };
  const sampler = setInterval(sample, 50);
  const started = performance.now();
  const projections: RebuildRun['projections'][number][] = [];
  const report = (result: RebuildResult) => {
    sample();
    const peakMb = mb(running.get(result.projection) ?? peak);
    running.delete(result.projection);
    projections.push({ name: result.projection, events: result.events, elapsedMs: Math.round(result.elapsedMs), peakMb });
    process.stderr.write(`  rebuilt ${result.projection}: ${result.events} events in ${Math.round(result.elapsedMs)} ms, peak RSS ${peakMb} MB\n`);
  };
  if (threads > 0) {
    const stores = { dataDir: dirname(eventsFile), eventStore: { engine: 'sqlite' as const, file: eventsFile, durability: 'normal' as const }, readStore: { engine: 'sqlite' as const, file: readModelsFile } };
    // Each thread's heap as the service gives it (6 x REBUILD_MEMORY_MB, at least 384 MB), whatever this process's.
    const pool = new RebuildThreads({ stores, rules: DEFAULT_SERVICE_RULES }, { threads, heapMb: rebuildHeapMb(DEFAULT_REBUILD_MEMORY_MB) });
    await pool.rebuild(chosen, {
      onProgress: (progress) => {
        if (!running.has(progress.projection)) running.set(progress.projection, process.memoryUsage().rss);
      },
      onResult: report,
    });
  } else {
    const events = new SqliteEventStore({ filename: eventsFile, crossProcessCheckMs: 0 });
    const store = new SqliteReadStore({ filename: readModelsFile });
    const rebuilder = new ProjectionRebuilder(events, store);
    for (const projection of chosen) {
      running.set(projection.name, process.memoryUsage().rss);
      report(await rebuilder.rebuild(projection, derivedInMemory === undefined ? {} : { derivedInMemory }));
    }
    await store.close();
    await events.close();
  }
  const elapsedMs = Math.round(performance.now() - started);
  clearInterval(sampler);
  projections.sort((a, b) => ALL_PROJECTIONS.findIndex((p) => p.name === a.name) - ALL_PROJECTIONS.findIndex((p) => p.name === b.name));
  // Threads have the heap the service gives them, whatever this process's flags say.
  const heapLabel = threads > 0 ? `${rebuildHeapMb(DEFAULT_REBUILD_MEMORY_MB)} MB per thread` : (heap ?? 'default');
  const run: RebuildRun = { heap: heapLabel, threads, elapsedMs, projections, baselineMb: mb(baseline), peakMb: mb(peak) };
  process.stdout.write(`${JSON.stringify(run)}\n`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
