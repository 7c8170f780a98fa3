import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import type { ProjectionWork } from './projection-work';
import type { RebuildRun } from './rebuild-run';
import { addDays, dateInZone } from '#shared-kernel';
import { type DemoOptions, loadDemo, type LoadSummary } from '#demo';
import { MACHINE_BASELINE, measureHttp, type HttpLoadFigures, type LagFigures, type QueryFigures } from './read-side-app';

/**
 * The read side at 10k customers and over a million events: rebuild of every projection against a raw scan
 * of the same log, peak memory during the rebuild, query latency per view, and append-to-query lag under load.
 */
const CUSTOMERS = Number(process.env.BENCH_READ_CUSTOMERS ?? 10_000);
const DAYS = Number(process.env.BENCH_READ_DAYS ?? 80);
/** Today in the business time zone: the log ends yesterday, so the service's business day is the one after it. */
const TODAY = dateInZone(new Date().toISOString(), 'Asia/Shanghai');
/**
 * Without the telemetry history the demo writes before its first day (which would triple the log at 80 days): the
 * log stays the 10k customers × 1M events the earlier runs measured.
 */
const LOG: DemoOptions = { seed: 2026, customers: CUSTOMERS, reps: Math.max(8, Math.round(CUSTOMERS / 200)), days: DAYS, startDay: addDays(TODAY, -DAYS), historyBeforeStart: false };

export interface ReadSideFigures {
  readonly customers: number;
  readonly days: number;
  readonly events: number;
  /** Generating and appending the log (from the run that generated it, when reused). */
  readonly generation: LoadSummary;
  readonly logReused: boolean;
  readonly rawScan: { readonly eventsPerSecond: number; readonly elapsedMs: number };
  /** Every projection rebuilt in a process of its own: in one thread (the default), in two, in the process itself. */
  readonly rebuilds: readonly (RebuildRun & { readonly eventsPerSecond: number })[];
  /** Each projection's events read, then applied in memory with nothing written: the floor under a rebuild. */
  readonly work: ProjectionWork;
  readonly queries: readonly QueryFigures[];
  readonly lag: LagFigures;
  /** The same, with the projections in their own process (the service's default). */
  readonly processLag: LagFigures;
  readonly http: HttpLoadFigures;
}

/** The log is deterministic, so it is generated once per size and reused (BENCH_READ_FRESH=1 regenerates). */
const generatedLog = async (): Promise<{ file: string; generation: LoadSummary; reused: boolean }> => {
  const dir = join(tmpdir(), `read-side-log-${LOG.seed}-${LOG.customers}-${LOG.days}-${LOG.startDay}-no-history`);
  const file = join(dir, 'events.db');
  const marker = join(dir, 'complete.json');
  // The reused log reports the figures of the run that generated it.
  if (existsSync(marker) && process.env.BENCH_READ_FRESH !== '1') return { file, generation: JSON.parse(readFileSync(marker, 'utf8')) as LoadSummary, reused: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ filename: file, crossProcessCheckMs: 0 });
  const generation = await loadDemo(store, LOG, (p) => process.stderr.write(`  generated ${p.events.toLocaleString('en-US')} events (${p.day})\r`), { generate: 'worker' });
  await store.close();
  process.stderr.write('\n');
  writeFileSync(marker, JSON.stringify(generation));
  return { file, generation, reused: false };
};

/** Runs a script of this folder in a child process (its own RSS, its own V8 flags) and returns the JSON of its last stdout line. */
const childFigures = <T>(nodeFlags: readonly string[], script: string, args: readonly string[]): T => {
  const out = execFileSync(process.execPath, [...nodeFlags, join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8').trim().split('\n').pop()!) as T;
};

/** The heap limit (MB) of the rebuild in the process itself: what an operator sets to bound its memory. */
const LIMITED_HEAP_MB = 384;

/**
 * Rebuilds every projection in a child process (its own RSS, its own V8 flags), with `threads` rebuilds at once in
 * threads of their own (0: one at a time in the process itself), and returns what it measured.
 */
const rebuildIn = (dataDir: string, readModels: string, nodeFlags: readonly string[], threads: number): RebuildRun => {
  process.stderr.write(`  rebuild of every projection, heap ${nodeFlags.join(' ') || 'V8 default'}, ${threads === 0 ? 'in the process itself' : `${threads} thread(s)`}\n`);
  return childFigures<RebuildRun>(nodeFlags, 'rebuild-run.js', [join(dataDir, 'events.db'), join(dataDir, readModels), nodeFlags.join(' ') || 'V8 default', String(threads)]);
};

/** The heap of the measurement of the projections' work alone: the largest read model held whole, and the log's batches. */
const WORK_HEAP_MB = 4096;

/** Each projection's events read, then applied in memory with nothing written (`bench/projection-work.ts`). */
const projectionWork = (dataDir: string): ProjectionWork => {
  process.stderr.write('  each projection applied in memory, nothing written (the floor under a rebuild)\n');
  return childFigures<ProjectionWork>([`--max-old-space-size=${WORK_HEAP_MB}`], 'projection-work.js', [join(dataDir, 'events.db')]);
};

/**
 * Query latency and lag in a child process, as a service starts: the figures do not depend on what this process
 * generated or scanned before.
 */
const appMeasuredApart = (dataDir: string) => childFigures<{ queries: QueryFigures[]; lag: LagFigures; processLag: LagFigures }>([], 'read-side-app.js', [dataDir, TODAY]);

/** Baseline: read the whole log in batches and touch every event, as a rebuild must at the very least. */
const rawScan = async (events: SqliteEventStore) => {
  const started = performance.now();
  let count = 0;
  let touched = 0;
  let after: bigint | undefined;
  for (;;) {
    const batch = await events.readAll({ ...(after !== undefined ? { after } : {}), maxCount: 5000 });
    for (const event of batch) touched += event.type.length + Object.keys(event.data).length + Object.keys(event.metadata).length;
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

    await events.close();
    // The first run's read models are the ones the query and lag measurements read; the second only measures.
    // The service's default (REBUILD_THREADS=1: one thread, its heap bounded), two threads, and one projection at a
    // time in the process itself (REBUILD_THREADS=0, the path before threads) with the heap an operator would set.
    const limited = `--max-old-space-size=${LIMITED_HEAP_MB}`;
    const rebuilds = [
      rebuildIn(dataDir, 'read-models.db', [], 1),
      rebuildIn(dataDir, 'read-models-two-threads.db', [], 2),
      rebuildIn(dataDir, 'read-models-in-process.db', [limited], 0),
    ].map((run) => ({ ...run, eventsPerSecond: Math.round(scan.events / (run.elapsedMs / 1000)) }));
    const work = projectionWork(dataDir);
    for (const name of ['read-models-two-threads.db', 'read-models-in-process.db']) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `${name}${suffix}`), { force: true });
    }

    const { queries, lag, processLag } = appMeasuredApart(dataDir);
    const http = await measureHttp(dataDir, TODAY);
    return {
      customers: CUSTOMERS,
      days: DAYS,
      events: scan.events,
      generation,
      logReused: reused,
      rawScan: { eventsPerSecond: scan.eventsPerSecond, elapsedMs: Math.round(scan.elapsedMs) },
      rebuilds,
      work,
      queries,
      lag,
      processLag,
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
  const how = (run: RebuildRun) => `${run.threads === 0 ? 'in the process itself' : `${run.threads} thread${run.threads === 1 ? '' : 's'}`}, heap ${run.heap}`;
  const baseline = (q: QueryFigures) => q.view.startsWith(MACHINE_BASELINE);
  const worstQuery = Math.max(...r.queries.filter((q) => !q.view.includes('past day') && !baseline(q)).map((q) => q.p99Ms));
  // The whole rebuild in the time half a raw scan allows: the projections' own work alone, on every core at once.
  const allowedS = r.events / (0.5 * r.rawScan.eventsPerSecond);
  const s1 = (ms: number) => (ms / 1000).toFixed(1);
  return [
    `Log: ${n(r.customers)} customers × ${r.days} days = ${n(r.events)} events; generated and appended at ${n(r.generation.eventsPerSecond)} events/s ` +
      `(${n(r.generation.streams)} streams, multi-stream appends of about 20,000 events${r.logReused ? '; log reused from an earlier run' : ''}).`,
    '',
    '| read side | baseline | measured | target | |',
    '|---|---|---|---|---|',
    ...r.rebuilds.map(
      (run) =>
        `| rebuild of all projections, ${how(run)} | raw scan ${n(r.rawScan.eventsPerSecond)} events/s | ${n(run.eventsPerSecond)} events/s (${Math.round((run.eventsPerSecond / r.rawScan.eventsPerSecond) * 100)} %), ${(run.elapsedMs / 1000).toFixed(1)} s | ≥ 50 % of the raw scan | ${met(run.eventsPerSecond >= 0.5 * r.rawScan.eventsPerSecond)} |`,
    ),
    ...r.rebuilds.map(
      (run) => `| peak RSS during the rebuild, ${how(run)} | ${n(run.baselineMb)} MB before | ${n(run.peakMb)} MB | ≤ 512 MB | ${met(run.peakMb <= 512)} |`,
    ),
    `| append-to-query lag, projections in the API process (PROJECTIONS=inline), RecordVisit ${r.lag.ratePerSecond}/s for ${r.lag.seconds} s | command p50 ${r.lag.commandP50Ms} ms, p99 ${r.lag.commandP99Ms} ms | lag p50 ${r.lag.lagP50Ms} ms, p99 ${r.lag.lagP99Ms} ms (max ${r.lag.lagMaxMs} ms; non-201: ${r.lag.non201}; in the ${r.lag.warmUpSeconds} s warm-up before it: p99 ${r.lag.coldLagP99Ms} ms, max ${r.lag.coldLagMaxMs} ms) | p99 ≤ 50 ms | ${met(r.lag.lagP99Ms <= 50 && r.lag.non201 === 0)} |`,
    `| append-to-query lag, projections in their own process (PROJECTIONS=process, the default), RecordVisit ${r.processLag.ratePerSecond}/s for ${r.processLag.seconds} s | command p50 ${r.processLag.commandP50Ms} ms, p99 ${r.processLag.commandP99Ms} ms | lag p50 ${r.processLag.lagP50Ms} ms, p99 ${r.processLag.lagP99Ms} ms (max ${r.processLag.lagMaxMs} ms; non-201: ${r.processLag.non201}; in the ${r.processLag.warmUpSeconds} s warm-up before it: p99 ${r.processLag.coldLagP99Ms} ms, max ${r.processLag.coldLagMaxMs} ms) | p99 ≤ 50 ms | ${met(r.processLag.lagP99Ms <= 50 && r.processLag.non201 === 0)} |`,
    `| GET /churn-risk (manager, first page, today), ${r.http.connections} connections for ${r.http.seconds} s | — | ${n(r.http.requestsPerSecond)} req/s, p50 ${r.http.p50Ms} ms, p99 ${r.http.p99Ms} ms, max ${r.http.maxMs} ms; non-2xx ${r.http.non2xx}, errors ${r.http.errors} | 0 errors, p99 ≤ 100 ms | ${met(r.http.errors === 0 && r.http.non2xx === 0 && r.http.p99Ms <= 100)} |`,
    `| the projections' own work: each one's events read (${s1(r.work.readMs)} s summed) and applied in memory, nothing written | a rebuild at 50 % of the raw scan takes ${allowedS.toFixed(1)} s | ${s1(r.work.applyMs)} s applying, summed over the projections (${s1(r.work.applyMs / 2)} s if both cores applied all the time) | — | the floor under any rebuild of these projections |`,
    `| API RSS (own process, projections caught up) | — | ${n(r.http.restRssMb)} MB at rest, ${n(r.http.afterLoadRssMb)} MB after the load | does not grow with customers | see the runs at other sizes |`,
    '',
    `| rebuild per projection | events applied | read alone, ms | applied in memory alone, ms | ${r.rebuilds.map((run) => `ms, ${how(run)} | peak RSS MB`).join(' | ')} |`,
    `|---|---|---|---|${r.rebuilds.map(() => '---|---|').join('')}`,
    // Threads report in the order their projections finished: each row is looked up by name.
    ...r.rebuilds[0]!.projections.map((p) => {
      const work = r.work.projections.find((w) => w.name === p.name);
      const cells = r.rebuilds.map((run) => run.projections.find((q) => q.name === p.name)).map((q) => (q ? `${n(q.elapsedMs)} | ${n(q.peakMb)}` : '— | —'));
      return `| ${p.name} | ${n(p.events)} | ${work ? n(work.readMs) : '—'} | ${work ? n(work.applyMs) : '—'} | ${cells.join(' | ')} |`;
    }),
    '',
    `| query (QueryBus in the API process, projections in their own process, after a warm-up) | calls | first call | p50 | p99 | target p99 ≤ 10 ms (first pages) |`,
    '|---|---|---|---|---|---|',
    ...r.queries.map(
      (q) =>
        `| ${q.view} | ${q.calls} | ${q.coldMs} ms | ${q.p50Ms} ms | ${q.p99Ms} ms | ${baseline(q) ? 'baseline: the machine' : q.view.includes('past day') ? 'no target: computed from facts' : met(q.p99Ms <= 10)} |`,
    ),
    '',
    `Worst p99 of a view for today or a finished period: ${worstQuery} ms.`,
    '',
  ];
};
