import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoOptions, loadDemo, type LoadSummary } from '#demo';
import { SqliteEventStore } from '#event-store';
import { MongoReadStore, ProjectionRebuilder, type ReadStore, SqliteReadStore } from '#read-store';
import { type Actor, addDays, dateInZone, DEFAULT_SERVICE_RULES } from '#shared-kernel';
import {
  ALL_PROJECTIONS,
  FactReads,
  GetChurnRisk,
  GetChurnRiskHandler,
  GetRenewalPipeline,
  GetRenewalPipelineHandler,
  GetRepKpis,
  GetRepKpisHandler,
  GetSpendLeaderboard,
  GetSpendLeaderboardHandler,
  GetTeamKpis,
  GetTeamKpisHandler,
  GetWorklist,
  GetWorklistHandler,
} from '#views';
import { FERRETDB_VERSION, ferretdbBinary, startFerretdb } from '../test/support/ferretdb';
import { percentile } from './stats';

/**
 * The MongoDB adapter on a real MongoDB wire-protocol server (FerretDB, over SQLite, started here) beside the
 * embedded store, in one run on one log: every projection rebuilt into each, then the first page of each view
 * read from each. FerretDB is a test stand-in, not a production store: its figures say what the adapter costs
 * against a server over the wire, not what MongoDB would answer.
 */
const CUSTOMERS = Number(process.env.BENCH_FERRETDB_CUSTOMERS ?? 200);
const DAYS = Number(process.env.BENCH_FERRETDB_DAYS ?? 20);
const CALLS = Number(process.env.BENCH_FERRETDB_CALLS ?? 100);
const TODAY = dateInZone(new Date().toISOString(), 'Asia/Shanghai');
const LOG: DemoOptions = { seed: 2026, customers: CUSTOMERS, reps: Math.max(8, Math.round(CUSTOMERS / 200)), days: DAYS, startDay: addDays(TODAY, -DAYS) };
/** The log's last business day: the day its read models stand at (no service runs here to append today's). */
const DAY = addDays(TODAY, -1);
const MANAGER: Actor = { id: 'mgr-1', role: 'manager' };
const REP: Actor = { id: 'rep-001', role: 'rep' };

export interface EngineFigures {
  readonly rebuildMs: number;
  readonly projections: readonly { readonly name: string; readonly events: number; readonly elapsedMs: number }[];
  readonly queries: readonly { readonly view: string; readonly p50Ms: number; readonly p99Ms: number }[];
}

export interface FerretdbFigures {
  readonly customers: number;
  readonly days: number;
  readonly events: number;
  readonly ferretdb: string;
  readonly sqlite: EngineFigures;
  readonly mongo: EngineFigures;
}


const logFile = async (): Promise<{ file: string; summary: LoadSummary }> => {
  const dir = join(tmpdir(), `ferretdb-bench-log-${LOG.seed}-${LOG.customers}-${LOG.days}-${LOG.startDay}`);
  const file = join(dir, 'events.db');
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return { file, summary: JSON.parse(readFileSync(marker, 'utf8')) as LoadSummary };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ filename: file, crossProcessCheckMs: 0 });
  const summary = await loadDemo(store, LOG, undefined, { generate: 'worker' });
  await store.close();
  writeFileSync(marker, JSON.stringify(summary));
  return { file, summary };
};

/** Every projection rebuilt into `store`, then the first page of each view timed (a fresh handler per call). */
const measure = async (engine: string, events: SqliteEventStore, store: ReadStore): Promise<EngineFigures> => {
  const rebuilder = new ProjectionRebuilder(events, store);
  const projections: EngineFigures['projections'][number][] = [];
  const started = performance.now();
  for (const projection of ALL_PROJECTIONS) {
    const result = await rebuilder.rebuild(projection);
    projections.push({ name: projection.name, events: result.events, elapsedMs: Math.round(result.elapsedMs) });
    process.stderr.write(`  ${engine}: rebuilt ${projection.name} (${result.events} events) in ${Math.round(result.elapsedMs)} ms\n`);
  }
  const rebuildMs = Math.round(performance.now() - started);
  const rules = DEFAULT_SERVICE_RULES;
  const paging = { offset: 0, limit: 50 };
  const lastDay = DAY;
  const facts = () => new FactReads(store, rules);
  const views: [string, () => Promise<unknown>][] = [
    ['churn risk (manager, first page, the log\'s last day)', () => new GetChurnRiskHandler(store, rules).execute(new GetChurnRisk(MANAGER, { asOf: DAY }, paging))],
    ['churn risk (rep, first page, the log\'s last day)', () => new GetChurnRiskHandler(store, rules).execute(new GetChurnRisk(REP, { asOf: DAY }, paging))],
    ['renewal pipeline (manager, first page and summary, the log\'s last day)', () => new GetRenewalPipelineHandler(store, rules).execute(new GetRenewalPipeline(MANAGER, { asOf: DAY }, paging))],
    ["worklist (one rep's day, the log's last day)", () => new GetWorklistHandler(store, rules).execute(new GetWorklist(REP, REP.id, DAY))],
    ['rep KPIs (one rep, last week)', () => new GetRepKpisHandler(facts()).execute(new GetRepKpis(REP, REP.id, 'week', lastDay))],
    ['team KPIs (manager, last week)', () => new GetTeamKpisHandler(facts()).execute(new GetTeamKpis(MANAGER, 'week', lastDay))],
    ['spend leaderboard (last week)', () => new GetSpendLeaderboardHandler(facts()).execute(new GetSpendLeaderboard(MANAGER, lastDay))],
  ];
  const queries: EngineFigures['queries'][number][] = [];
  for (const [view, run] of views) {
    for (let i = 0; i < 10; i += 1) await run();
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      const t = performance.now();
      await run();
      samples.push(performance.now() - t);
    }
    queries.push({ view, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) });
    process.stderr.write(`  ${engine}: ${view}: p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms\n`);
  }
  return { rebuildMs, projections, queries };
};

export const runFerretdbBench = async (): Promise<FerretdbFigures> => {
  const found = ferretdbBinary();
  if ('skip' in found) throw new Error(`FerretDB benchmark cannot run: ${found.skip}`);
  const { file } = await logFile();
  const events = new SqliteEventStore({ filename: file, crossProcessCheckMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'ferretdb-bench-'));
  const server = await startFerretdb(found.binary);
  try {
    const head = await events.readAll({ maxCount: 1 });
    if (head.length === 0) throw new Error('empty log');
    const count = (await events.readAll({})).length;
    const sqlite = new SqliteReadStore({ filename: join(dir, 'read-models.db') });
    const onSqlite = await measure('SQLite', events, sqlite);
    await sqlite.close();
    const mongo = await MongoReadStore.connect({ url: server.url, database: 'bench' });
    const onMongo = await measure(`FerretDB ${FERRETDB_VERSION}`, events, mongo);
    await mongo.close();
    return { customers: CUSTOMERS, days: DAYS, events: count, ferretdb: FERRETDB_VERSION, sqlite: onSqlite, mongo: onMongo };
  } finally {
    await server.stop();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export const ferretdbLines = (r: FerretdbFigures): string[] => {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    `Log: ${n(r.customers)} customers × ${r.days} days = ${n(r.events)} events. The same log rebuilt into each store, then each view read from it.`,
    '',
    `| rebuild | events applied | SQLite (embedded) ms | FerretDB ${r.ferretdb} (MongoDB adapter) ms | FerretDB / SQLite |`,
    '|---|---|---|---|---|',
    ...r.sqlite.projections.map((p, i) => {
      const m = r.mongo.projections[i]!;
      return `| ${p.name} | ${n(p.events)} | ${n(p.elapsedMs)} | ${n(m.elapsedMs)} | ${(m.elapsedMs / Math.max(1, p.elapsedMs)).toFixed(1)}× |`;
    }),
    `| all projections | — | ${n(r.sqlite.rebuildMs)} | ${n(r.mongo.rebuildMs)} | ${(r.mongo.rebuildMs / Math.max(1, r.sqlite.rebuildMs)).toFixed(1)}× |`,
    '',
    `| query (first page, ${CALLS} calls after 10) | SQLite p50 | SQLite p99 | FerretDB p50 | FerretDB p99 |`,
    '|---|---|---|---|---|',
    ...r.sqlite.queries.map((q, i) => `| ${q.view} | ${q.p50Ms} ms | ${q.p99Ms} ms | ${r.mongo.queries[i]!.p50Ms} ms | ${r.mongo.queries[i]!.p99Ms} ms |`),
    '',
  ];
};
