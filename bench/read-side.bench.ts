import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store';
import { ProjectionRebuilder } from '../libs/read-store/src/projection-rebuilder';
import { SqliteReadStore } from '../libs/read-store/src/sqlite/sqlite-read-store';
import { ALL_PROJECTIONS } from '../libs/views/projections';
import { addDays, dateInZone } from '../libs/shared-kernel/src/dates';
import { loadDemo, type DemoOptions, type LoadSummary } from '../libs/demo/src/demo-log';
import { measureApp, measureHttp, type HttpLoadFigures, type LagFigures, type QueryFigures } from './read-side-app';

/**
 * The read side at 10k customers and over a million events: rebuild of every projection against a raw scan
 * of the same log, peak memory during the rebuild, query latency per view, and append-to-query lag under load.
 */
const CUSTOMERS = Number(process.env.BENCH_READ_CUSTOMERS ?? 10_000);
const DAYS = Number(process.env.BENCH_READ_DAYS ?? 80);
/** Today in the business time zone: the log ends yesterday, so the service's business day is the one after it. */
const TODAY = dateInZone(new Date().toISOString(), 'Asia/Shanghai');
const LOG: DemoOptions = { seed: 2026, customers: CUSTOMERS, reps: Math.max(8, Math.round(CUSTOMERS / 200)), days: DAYS, startDay: addDays(TODAY, -DAYS) };

export interface ReadSideFigures {
  readonly customers: number;
  readonly days: number;
  readonly events: number;
  /** Generating and appending the log (from the run that generated it, when reused). */
  readonly generation: LoadSummary;
  readonly logReused: boolean;
  readonly rawScan: { readonly eventsPerSecond: number; readonly elapsedMs: number };
  readonly rebuild: {
    readonly eventsPerSecond: number;
    readonly elapsedMs: number;
    readonly projections: readonly { readonly name: string; readonly events: number; readonly elapsedMs: number }[];
  };
  readonly rss: { readonly baselineMb: number; readonly peakMb: number };
  readonly queries: readonly QueryFigures[];
  readonly lag: LagFigures;
  readonly http: HttpLoadFigures;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** The log is deterministic, so it is generated once per size and reused (BENCH_READ_FRESH=1 regenerates). */
const generatedLog = async (): Promise<{ file: string; generation: LoadSummary; reused: boolean }> => {
  const dir = join(tmpdir(), `read-side-log-${LOG.seed}-${LOG.customers}-${LOG.days}-${LOG.startDay}`);
  const file = join(dir, 'events.db');
  const marker = join(dir, 'complete.json');
  // The reused log reports the figures of the run that generated it.
  if (existsSync(marker) && process.env.BENCH_READ_FRESH !== '1') return { file, generation: JSON.parse(readFileSync(marker, 'utf8')) as LoadSummary, reused: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ filename: file, crossProcessCheckMs: 0 });
  const generation = await loadDemo(store, LOG, (p) => process.stderr.write(`  generated ${p.events.toLocaleString('en-US')} events (${p.day})\r`));
  await store.close();
  process.stderr.write('\n');
  writeFileSync(marker, JSON.stringify(generation));
  return { file, generation, reused: false };
};

/** Baseline: read the whole log in batches and touch every event, as a rebuild must at the very least. */
const rawScan = async (events: SqliteEventStore) => {
  const started = performance.now();
  let count = 0;
  let touched = 0;
  let after: bigint | undefined;
  for (;;) {
    const batch = await events.readAll({ ...(after !== undefined ? { after } : {}), maxCount: 5000 });
    for (const event of batch) touched += event.type.length + Object.keys(event.data).length;
    count += batch.length;
    if (batch.length < 5000) break;
    after = batch[batch.length - 1]!.position;
  }
  const elapsedMs = performance.now() - started;
  if (touched === 0) throw new Error('empty log');
  return { events: count, elapsedMs, eventsPerSecond: Math.round(count / (elapsedMs / 1000)) };
};

export const runReadSideBench = async (): Promise<ReadSideFigures> => {
  process.stderr.write(`  log: ${CUSTOMERS} customers × ${DAYS} days\n`);
  const { file, generation, reused } = await generatedLog();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-read-side-'));
  try {
    copyFileSync(file, join(dataDir, 'events.db'));
    const events = new SqliteEventStore({ filename: join(dataDir, 'events.db'), crossProcessCheckMs: 0 });
    await rawScan(events); // warms the page cache for both measurements alike
    const scan = await rawScan(events);
    process.stderr.write(`  raw scan: ${scan.eventsPerSecond.toLocaleString('en-US')} events/s\n`);

    const readStore = new SqliteReadStore({ filename: join(dataDir, 'read-models.db') });
    const rebuilder = new ProjectionRebuilder(events, readStore);
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const projections: { name: string; events: number; elapsedMs: number }[] = [];
    for (const projection of ALL_PROJECTIONS) {
      const result = await rebuilder.rebuild(projection);
      projections.push({ name: projection.name, events: result.events, elapsedMs: Math.round(result.elapsedMs) });
      process.stderr.write(`  rebuilt ${projection.name}: ${result.events} events in ${Math.round(result.elapsedMs)} ms\n`);
    }
    const rebuildMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await readStore.close();
    await events.close();

    const { queries, lag } = await measureApp(dataDir, TODAY);
    const http = await measureHttp(dataDir, TODAY);
    return {
      customers: CUSTOMERS,
      days: DAYS,
      events: scan.events,
      generation,
      logReused: reused,
      rawScan: { eventsPerSecond: scan.eventsPerSecond, elapsedMs: Math.round(scan.elapsedMs) },
      rebuild: { eventsPerSecond: Math.round(scan.events / (rebuildMs / 1000)), elapsedMs: Math.round(rebuildMs), projections },
      rss: { baselineMb: mb(baselineRss), peakMb: mb(peakRss) },
      queries,
      lag,
      http,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** The Markdown table of a run, with each target and whether it is met. */
export const readSideLines = (r: ReadSideFigures): string[] => {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const ratio = r.rebuild.eventsPerSecond / r.rawScan.eventsPerSecond;
  const worstQuery = Math.max(...r.queries.filter((q) => !q.view.includes('past day')).map((q) => q.p99Ms));
  return [
    `Log: ${n(r.customers)} customers × ${r.days} days = ${n(r.events)} events; generated and appended at ${n(r.generation.eventsPerSecond)} events/s ` +
      `(${n(r.generation.streams)} streams, multi-stream appends of about 20,000 events${r.logReused ? '; log reused from an earlier run' : ''}).`,
    '',
    '| read side | baseline | measured | target | |',
    '|---|---|---|---|---|',
    `| rebuild of all projections | raw scan ${n(r.rawScan.eventsPerSecond)} events/s | ${n(r.rebuild.eventsPerSecond)} events/s (${Math.round(ratio * 100)} %) | ≥ 50 % of the raw scan | ${met(ratio >= 0.5)} |`,
    `| peak RSS during the rebuild | ${n(r.rss.baselineMb)} MB before | ${n(r.rss.peakMb)} MB | ≤ 512 MB | ${met(r.rss.peakMb <= 512)} |`,
    `| append-to-query lag, RecordVisit ${r.lag.ratePerSecond}/s for ${r.lag.seconds} s | command p50 ${r.lag.commandP50Ms} ms, p99 ${r.lag.commandP99Ms} ms | lag p50 ${r.lag.lagP50Ms} ms, p99 ${r.lag.lagP99Ms} ms (max ${r.lag.lagMaxMs} ms; non-201: ${r.lag.non201}) | p99 ≤ 50 ms | ${met(r.lag.lagP99Ms <= 50 && r.lag.non201 === 0)} |`,
    `| GET /churn-risk (manager, first page, today), ${r.http.connections} connections for ${r.http.seconds} s | — | ${n(r.http.requestsPerSecond)} req/s, p50 ${r.http.p50Ms} ms, p99 ${r.http.p99Ms} ms, max ${r.http.maxMs} ms; non-2xx ${r.http.non2xx}, errors ${r.http.errors} | 0 errors, p99 ≤ 100 ms | ${met(r.http.errors === 0 && r.http.non2xx === 0 && r.http.p99Ms <= 100)} |`,
    `| API RSS (own process, projections caught up) | — | ${n(r.http.restRssMb)} MB at rest, ${n(r.http.afterLoadRssMb)} MB after the load | does not grow with customers | see the runs at other sizes |`,
    '',
    `| rebuild per projection | events applied | ms |`,
    '|---|---|---|',
    ...r.rebuild.projections.map((p) => `| ${p.name} | ${n(p.events)} | ${n(p.elapsedMs)} |`),
    '',
    `| query (QueryBus, after a warm-up) | calls | first call | p50 | p99 | target p99 ≤ 10 ms (first pages) |`,
    '|---|---|---|---|---|---|',
    ...r.queries.map((q) => `| ${q.view} | ${q.calls} | ${q.coldMs} ms | ${q.p50Ms} ms | ${q.p99Ms} ms | ${q.view.includes('past day') ? 'no target: computed from facts' : met(q.p99Ms <= 10)} |`),
    '',
    `Worst p99 of a view for today or a finished period: ${worstQuery} ms.`,
    '',
  ];
};
