import { SqliteEventStore } from '#event-store';
import { ProjectionRebuilder, SqliteReadStore } from '#read-store';
import { ALL_PROJECTIONS } from '#views';

/** What one rebuild of every projection measured, in its own process. */
export interface RebuildRun {
  readonly heap: string;
  readonly elapsedMs: number;
  readonly projections: readonly { readonly name: string; readonly events: number; readonly elapsedMs: number; readonly peakMb: number }[];
  readonly baselineMb: number;
  readonly peakMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Rebuilds every projection of an event log into a read-model file and prints the figures as JSON on stdout. Run
 * as a process of its own, so its RSS is the rebuild's alone and V8 flags (a heap limit) apply to it only. Peak
 * RSS is sampled every 50 ms; the rebuild yields to timers between batches.
 */
const main = async (): Promise<void> => {
  const [eventsFile, readModelsFile, heap] = process.argv.slice(2);
  if (!eventsFile || !readModelsFile) throw new Error('usage: rebuild-run <events.db> <read-models.db> [heap label]');
  const events = new SqliteEventStore({ filename: eventsFile, crossProcessCheckMs: 0 });
  const store = new SqliteReadStore({ filename: readModelsFile });
  const rebuilder = new ProjectionRebuilder(events, store);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let projectionPeak = baseline;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    projectionPeak = Math.max(projectionPeak, rss);
  };
  const sampler = setInterval(sample, 50);
  const started = performance.now();
  const projections: RebuildRun['projections'][number][] = [];
  for (const projection of ALL_PROJECTIONS) {
    projectionPeak = process.memoryUsage().rss;
    const result = await rebuilder.rebuild(projection);
    sample();
    projections.push({ name: projection.name, events: result.events, elapsedMs: Math.round(result.elapsedMs), peakMb: mb(projectionPeak) });
    process.stderr.write(`  rebuilt ${projection.name}: ${result.events} events in ${Math.round(result.elapsedMs)} ms, peak RSS ${mb(projectionPeak)} MB\n`);
  }
  const elapsedMs = Math.round(performance.now() - started);
  clearInterval(sampler);
  await store.close();
  await events.close();
  const run: RebuildRun = { heap: heap ?? 'default', elapsedMs, projections, baselineMb: mb(baseline), peakMb: mb(peak) };
  process.stdout.write(`${JSON.stringify(run)}\n`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
