import { readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { QueryBus } from '@nestjs/cqrs';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import { PROJECTION_RUNNER } from '../apps/api/src/read-side.module';
import { issueToken } from '../libs/auth/src/bearer-token';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import type { ProjectionRunner } from '../libs/read-store/src/projection-runner';
import { GetChurnRisk, GetChurnRiskHandler } from '../libs/views/churn-risk/churn-risk.query';
import { READ_STORE } from '../libs/read-store/src/read-store.port';
import { SERVICE_RULES } from '../libs/reporting/src/tokens';
import { GetRenewalPipeline } from '../libs/views/renewal-pipeline/renewal-pipeline.query';
import { GetRepKpis, GetTeamKpis } from '../libs/views/rep-kpis/rep-kpis.query';
import { GetSpendLeaderboard } from '../libs/views/spend-leaderboard/spend-leaderboard.query';
import { GetWorklist } from '../libs/views/worklist/worklist.query';
import { FactReads } from '../libs/views/shared/fact-reads';
import { addDays } from '../libs/shared-kernel/src/dates';
import type { Actor } from '../libs/shared-kernel/src/metadata';
import { startServer, stopServer } from './http.bench';

/** Query latency per view and append-to-query lag, on the real application over the benchmark's data directory. */
const SECRET = 'benchmark-secret-long-enough-for-hs256-0123456789';
const CALLS = Number(process.env.BENCH_READ_QUERY_CALLS ?? 200);
const LAG_RATE = Number(process.env.BENCH_READ_LAG_RATE ?? 200);
const LAG_SECONDS = Number(process.env.BENCH_READ_LAG_SECONDS ?? 10);
const MANAGER: Actor = { id: 'mgr-1', role: 'manager' };
const REP: Actor = { id: 'rep-001', role: 'rep' };
const SUPERVISOR: Actor = { id: 'sup-001', role: 'supervisor' };
const HTTP_CONNECTIONS = Number(process.env.BENCH_READ_HTTP_CONNECTIONS ?? 200);
const HTTP_SECONDS = Number(process.env.BENCH_READ_HTTP_SECONDS ?? 10);
/** A past day is computed per request from facts: fewer calls, or the run takes minutes. */
const PAST_CALLS = Number(process.env.BENCH_READ_PAST_CALLS ?? 20);

export interface QueryFigures {
  readonly view: string;
  readonly coldMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly calls: number;
}

export interface LagFigures {
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly commands: number;
  readonly non201: number;
  readonly commandP50Ms: number;
  readonly commandP99Ms: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
};

const round = (ms: number) => Math.round(ms * 100) / 100;

const openApp = async (dataDir: string): Promise<NestFastifyApplication> => {
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, AUTH_TOKEN_SECRET: SECRET, LOG_LEVEL: 'error' }), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
  const head = await app.get<EventStore>(EVENT_STORE).headPosition();
  if (!(await runner.waitFor(head, 60_000))) throw new Error('projections did not catch up with the log');
  return app;
};

export interface HttpLoadFigures {
  readonly connections: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Resident memory of the API process once it has caught up, before any query, and after the load. */
  readonly restRssMb: number;
  readonly afterLoadRssMb: number;
}

const rssMbOf = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : -1;
};

/** The API in its own process over the data directory: memory at rest, then GET /churn-risk under many connections. */
export const measureHttp = async (dataDir: string, today: string): Promise<HttpLoadFigures> => {
  const { child, port } = await startServer(['app', dataDir]);
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const restRssMb = rssMbOf(child.pid!);
    const token = issueToken(MANAGER, SECRET, Math.floor(Date.now() / 1000), 3600);
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/churn-risk?asOf=${today}&limit=50`,
      headers: { authorization: `Bearer ${token}` },
      connections: HTTP_CONNECTIONS,
      duration: HTTP_SECONDS,
    });
    return {
      connections: HTTP_CONNECTIONS,
      seconds: HTTP_SECONDS,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      restRssMb,
      afterLoadRssMb: rssMbOf(child.pid!),
    };
  } finally {
    await stopServer(child);
  }
};

export const measureApp = async (dataDir: string, today: string): Promise<{ queries: QueryFigures[]; lag: LagFigures }> => {
  const app = await openApp(dataDir);
  try {
    const queries = await measureQueries(app, today);
    const lag = await measureLag(app);
    return { queries, lag };
  } finally {
    await app.close();
  }
};

/** Each view through the QueryBus: the first (cold) call, a warm-up, then CALLS timed calls. */
const measureQueries = async (app: NestFastifyApplication, today: string): Promise<QueryFigures[]> => {
  const bus = app.get(QueryBus);
  const paging = { offset: 0, limit: 50 };
  const lastDay = addDays(today, -1);
  const pastDay = addDays(today, -8);
  const views: [string, () => unknown, number?][] = [
    ['churn risk (manager, first page, today, answer cached)', () => new GetChurnRisk(MANAGER, { asOf: today }, paging)],
    ['churn risk (manager, first page, today)', () => new GetChurnRisk(MANAGER, { asOf: today }, paging)],
    ['churn risk (supervisor, first page, today)', () => new GetChurnRisk(SUPERVISOR, { asOf: today }, paging)],
    ['churn risk (rep, first page, today)', () => new GetChurnRisk(REP, { asOf: today }, paging)],
    ['churn risk (manager, level high, page 3, today)', () => new GetChurnRisk(MANAGER, { asOf: today, level: 'high' }, { offset: 100, limit: 50 })],
    ['churn risk (manager, a past day)', () => new GetChurnRisk(MANAGER, { asOf: pastDay }, paging), PAST_CALLS],
    ['churn risk (rep, a past day)', () => new GetChurnRisk(REP, { asOf: pastDay }, paging), PAST_CALLS],
    ['renewal pipeline (manager)', () => new GetRenewalPipeline(MANAGER, { asOf: lastDay }, paging)],
    ["worklist (one rep's day)", () => new GetWorklist(REP, REP.id, lastDay)],
    ['rep KPIs (one rep, month)', () => new GetRepKpis(REP, REP.id, 'month', lastDay)],
    ['team KPIs (manager, month)', () => new GetTeamKpis(MANAGER, 'month', lastDay)],
    ['spend leaderboard (finished week)', () => new GetSpendLeaderboard(MANAGER, addDays(lastDay, -7))],
  ];
  const figures: QueryFigures[] = [];
  // Churn pages other than the cached one are read through a fresh handler each call: no answer is reused.
  const fresh = () => new GetChurnRiskHandler(app.get(READ_STORE), app.get(SERVICE_RULES));
  for (const [view, query, calls = CALLS] of views) {
    const time = async () => {
      const started = performance.now();
      const q = query();
      if (q instanceof GetChurnRisk && !view.includes('cached')) await fresh().execute(q);
      else await bus.execute(q as never);
      return performance.now() - started;
    };
    const coldMs = await time();
    for (let i = 0; i < Math.min(20, calls); i += 1) await time();
    const samples: number[] = [];
    for (let i = 0; i < calls; i += 1) samples.push(await time());
    figures.push({ view, coldMs: round(coldMs), p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), calls });
    process.stderr.write(`  ${view}: cold ${round(coldMs)} ms, p50 ${percentile(samples, 50)} ms, p99 ${percentile(samples, 99)} ms\n`);
  }
  return figures;
};

/**
 * RecordVisit at a steady rate through the HTTP pipeline (inject, no socket); for each command, the time from its
 * 201 until every projection's checkpoint reaches the log head read right after that 201 (an upper bound on the
 * event's own position).
 */
const measureLag = async (app: NestFastifyApplication): Promise<LagFigures> => {
  const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
  const store = app.get<EventStore>(EVENT_STORE);
  const customers = await app.get(FactReads).customers({ serviceRepId: REP.id });
  const mine = customers.filter((doc) => doc.serviceRepId === REP.id && doc.status === 'active').map((doc) => doc.id);
  if (mine.length === 0) throw new Error(`${REP.id} has no active customers`);
  const token = issueToken(REP, SECRET, Math.floor(Date.now() / 1000), 3600);
  const applied = () => runner.snapshot().reduce((min, lane) => (lane.checkpoint < min ? lane.checkpoint : min), BigInt(Number.MAX_SAFE_INTEGER));
  const commandMs: number[] = [];
  const lagMs: number[] = [];
  let non201 = 0;
  const send = async (n: number) => {
    const started = performance.now();
    const response = await app.inject({
      method: 'POST',
      url: `/customers/${mine[n % mine.length]}/visits`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { visitId: `bench-lag-${n}`, level: 1, channel: 'phone', purpose: 'care', reached: true, contactRole: 'decision_maker', summary: 'Checked the week', satisfaction: 4 },
    });
    const answered = performance.now();
    if (response.statusCode !== 201) {
      non201 += 1;
      return;
    }
    commandMs.push(answered - started);
    const position = await store.headPosition();
    while (applied() < position) await new Promise((resolve) => setTimeout(resolve, 1));
    lagMs.push(performance.now() - answered);
  };
  const total = LAG_RATE * LAG_SECONDS;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let n = 0; n < total; n += 1) {
    const due = t0 + (n * 1000) / LAG_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(n));
  }
  await Promise.all(inFlight);
  return {
    ratePerSecond: LAG_RATE,
    seconds: LAG_SECONDS,
    commands: total,
    non201,
    commandP50Ms: percentile(commandMs, 50),
    commandP99Ms: percentile(commandMs, 99),
    lagP50Ms: percentile(lagMs, 50),
    lagP99Ms: percentile(lagMs, 99),
    lagMaxMs: percentile(lagMs, 100),
  };
};
