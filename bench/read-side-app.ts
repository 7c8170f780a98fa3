import { readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { QueryBus } from '@nestjs/cqrs';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '#engine';
import { PROJECTION_RUNNER } from '../apps/api/src/read-side.module';
import { issueToken } from '#auth';
import { EVENT_STORE, type EventStore } from '#event-store';
import { type ProjectionRunner, READ_STORE, type ReadStore } from '#read-store';
import { type ChurnRiskFilter, FactReads, GetChurnRisk, GetChurnRiskHandler, GetCustomer, GetCustomerHandler, ListCustomers, ListCustomersHandler, GetRenewalPipeline, GetRenewalPipelineHandler, GetRepKpis, GetRepKpisHandler, GetSpendLeaderboard, GetSpendLeaderboardHandler, GetTeamKpis, GetTeamKpisHandler, GetWorklist, GetWorklistHandler, type PipelineFilter, SERVICE_RULES } from '#views';
import { type Actor, addDays, type ServiceRules } from '#shared-kernel';
import { startServer, stopServer } from './http.bench';
import { percentile } from './stats';

/** Query latency per view and append-to-query lag, on the real application over the benchmark's data directory. */
const SECRET = 'benchmark-secret-long-enough-for-hs256-0123456789';
const CALLS = Number(process.env.BENCH_READ_QUERY_CALLS ?? 200);
const LAG_RATE = Number(process.env.BENCH_READ_LAG_RATE ?? 200);
const LAG_SECONDS = Number(process.env.BENCH_READ_LAG_SECONDS ?? 10);
const LAG_WARM_UP_SECONDS = Number(process.env.BENCH_READ_LAG_WARM_UP_SECONDS ?? 3);
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
  /** The warm-up before the measured seconds, at the same rate, and its lag (a process just started). */
  readonly warmUpSeconds: number;
  readonly coldLagP99Ms: number;
  readonly coldLagMaxMs: number;
}


const round = (ms: number) => Math.round(ms * 100) / 100;

/** The name of the query table's baseline rows: a fixed computation timed as the queries are. */
export const MACHINE_BASELINE = 'a fixed computation, no I/O';

/** A fixed amount of arithmetic; its result is returned (and resolves the timed call) so that it cannot be left out. */
const fixedWork = (rounds: number): number => {
  let x = 0;
  for (let i = 0; i < rounds; i += 1) x = (x + ((i * 2654435761) % 1000003)) % 1000000007;
  return x;
};

/** Rounds of `fixedWork` that take about `ms` here and now (the median of 15 tries of a calibrating size). */
const roundsFor = (ms: number): number => {
  const probe = 200_000;
  const tries: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const started = performance.now();
    fixedWork(probe);
    tries.push(performance.now() - started);
  }
  tries.sort((a, b) => a - b);
  return Math.max(1, Math.round((probe * ms) / tries[7]!));
};

const openApp = async (dataDir: string): Promise<NestFastifyApplication> => {
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, AUTH_TOKEN_SECRET: SECRET, LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '0', PROJECTIONS: 'inline' }), { logger: false });
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

/** The lag with the projections in the API process (PROJECTIONS=inline). */
export const measureInlineLag = async (dataDir: string): Promise<LagFigures> => {
  const app = await openApp(dataDir);
  try {
    const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
    return await measureLag(app, () => runner.snapshot().reduce((min, lane) => (lane.checkpoint < min ? lane.checkpoint : min), BigInt(Number.MAX_SAFE_INTEGER)));
  } finally {
    await app.close();
  }
};

/**
 * Each view: the first (cold) call, a warm-up, then CALLS timed calls. "answer cached" goes through the QueryBus,
 * whose handlers keep answers while their read models stand still; every other line builds a fresh handler per
 * call, so nothing is reused between calls.
 */
const measureQueries = async (app: NestFastifyApplication, today: string): Promise<QueryFigures[]> => {
  const bus = app.get(QueryBus);
  const store = app.get<ReadStore>(READ_STORE);
  const rules = app.get<ServiceRules>(SERVICE_RULES);
  const paging = { offset: 0, limit: 50 };
  const lastDay = addDays(today, -1);
  const pastDay = addDays(today, -8);
  const churn = (actor: Actor, filter: ChurnRiskFilter, page = paging) => () => new GetChurnRiskHandler(store, rules).execute(new GetChurnRisk(actor, filter, page));
  const pipeline = (actor: Actor, filter: PipelineFilter) => () => new GetRenewalPipelineHandler(store, rules).execute(new GetRenewalPipeline(actor, filter, paging));
  const worklist = (actor: Actor, day: string) => () => new GetWorklistHandler(store, rules).execute(new GetWorklist(actor, REP.id, day));
  const facts = () => new FactReads(store, rules);
  // The machine's own spread: the same loop times a computation that neither allocates nor waits, so how far its p99
  // lies from its p50 is what the machine adds to every query's in this run.
  const oneMs = roundsFor(1);
  const repCustomer = (await new ListCustomersHandler(facts()).execute(new ListCustomers(REP, {}, { limit: 1 }))).items[0]!.id;
  const views: [string, () => Promise<unknown>, number?][] = [
    [`${MACHINE_BASELINE} (about 1 ms)`, async () => fixedWork(oneMs)],
    [`${MACHINE_BASELINE} (about 3 ms)`, async () => fixedWork(3 * oneMs)],
    ['churn risk (manager, first page, today, answer cached)', () => bus.execute(new GetChurnRisk(MANAGER, { asOf: today }, paging))],
    ['churn risk (manager, first page, today)', churn(MANAGER, { asOf: today })],
    ['churn risk (supervisor, first page, today)', churn(SUPERVISOR, { asOf: today })],
    ['churn risk (rep, first page, today)', churn(REP, { asOf: today })],
    ['churn risk (manager, level high, page 3, today)', churn(MANAGER, { asOf: today, level: 'high' }, { offset: 100, limit: 50 })],
    ['churn risk (manager, a past day)', churn(MANAGER, { asOf: pastDay }), PAST_CALLS],
    ['churn risk (rep, a past day)', churn(REP, { asOf: pastDay }), PAST_CALLS],
    ['renewal pipeline (manager, first page, today, answer cached)', () => bus.execute(new GetRenewalPipeline(MANAGER, { asOf: today }, paging))],
    ['renewal pipeline (manager, first page and summary, today)', pipeline(MANAGER, { asOf: today })],
    ['renewal pipeline (supervisor, first page and summary, today)', pipeline(SUPERVISOR, { asOf: today })],
    ['renewal pipeline (rep, first page and summary, today)', pipeline(REP, { asOf: today })],
    ['renewal pipeline (manager, window 30, pending, today)', pipeline(MANAGER, { asOf: today, window: 30, status: 'pending' })],
    ['renewal pipeline (manager, a past day)', pipeline(MANAGER, { asOf: pastDay }), PAST_CALLS],
    ["worklist (one rep's day, today)", worklist(REP, today)],
    ["worklist (one rep's day, a past day)", worklist(REP, pastDay), PAST_CALLS],
    // Last week: kept by the read models at every size (a log of ten days may hold no first of a month).
    ['rep KPIs (one rep, last week, answer cached)', () => bus.execute(new GetRepKpis(REP, REP.id, 'week', lastDay))],
    ['rep KPIs (one rep, last week)', () => new GetRepKpisHandler(facts()).execute(new GetRepKpis(REP, REP.id, 'week', lastDay))],
    ['team KPIs (manager, last week, answer cached)', () => bus.execute(new GetTeamKpis(MANAGER, 'week', lastDay))],
    ['team KPIs (manager, last week)', () => new GetTeamKpisHandler(facts()).execute(new GetTeamKpis(MANAGER, 'week', lastDay))],
    ['team KPIs (supervisor, last week)', () => new GetTeamKpisHandler(facts()).execute(new GetTeamKpis(SUPERVISOR, 'week', lastDay))],
    ['team KPIs (manager, month: kept when the log holds its first day)', () => new GetTeamKpisHandler(facts()).execute(new GetTeamKpis(MANAGER, 'month', lastDay)), PAST_CALLS],
    ['team KPIs (manager, a past day: computed from facts)', () => new GetTeamKpisHandler(facts()).execute(new GetTeamKpis(MANAGER, 'day', pastDay)), PAST_CALLS],
    ['spend leaderboard (last week, answer cached)', () => bus.execute(new GetSpendLeaderboard(MANAGER, lastDay))],
    ['spend leaderboard (last week)', () => new GetSpendLeaderboardHandler(facts()).execute(new GetSpendLeaderboard(MANAGER, lastDay))],
    ['customers (manager, first page in name order)', () => new ListCustomersHandler(facts()).execute(new ListCustomers(MANAGER, {}, { limit: 50 }))],
    ['customers (manager, a search by the start of a name)', () => new ListCustomersHandler(facts()).execute(new ListCustomers(MANAGER, { q: 'mingyang t' }, { limit: 50 }))],
    ['customers (rep, first page in name order)', () => new ListCustomersHandler(facts()).execute(new ListCustomers(REP, {}, { limit: 50 }))],
    ["customer profile (rep, one of the rep's customers)", () => new GetCustomerHandler(facts()).execute(new GetCustomer(REP, repCustomer))],
    ['spend leaderboard (a past day: week no longer kept)', () => new GetSpendLeaderboardHandler(facts()).execute(new GetSpendLeaderboard(MANAGER, addDays(lastDay, -70))), PAST_CALLS],
  ];
  const figures: QueryFigures[] = [];
  for (const [view, run, calls = CALLS] of views) {
    const time = async () => {
      const started = performance.now();
      await run();
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
 * Queries and lag as the service runs by default (PROJECTIONS=process), once the projector process has caught up
 * (with the business days the API appended at start): the queries first, then the lag. The API appends, the
 * projections run in the child process it starts, and the API sees a change once every live projection's
 * checkpoint, read from the read-model store as any query reads it, has reached the event. With the projections in
 * the API process instead, the garbage of projecting a new business day for every customer made the first pages'
 * p99 13–15 ms (1–3 ms here).
 */
export const measureAsTheServiceRuns = async (dataDir: string, today: string): Promise<{ queries: QueryFigures[]; lag: LagFigures }> => {
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, AUTH_TOKEN_SECRET: SECRET, LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '0', PROJECTIONS: 'process' }), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const readStore = app.get<ReadStore>(READ_STORE);
    const projections = (await readStore.registrations()).map((registration) => registration.projection);
    const applied = async (): Promise<bigint> => {
      let min: bigint | undefined;
      for (const { position } of (await readStore.liveCheckpoints(projections)).values()) if (min === undefined || position < min) min = position;
      return min ?? -1n;
    };
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    const deadline = Date.now() + 600_000;
    while ((await applied()) < head) {
      if (Date.now() > deadline) throw new Error('the projector process did not catch up with the log within 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const queries = await measureQueries(app, today);
    return { queries, lag: await measureLag(app, applied) };
  } finally {
    await app.close();
  }
};

/**
 * RecordVisit at a steady rate through the HTTP pipeline (inject, no socket); for each command, the time from its
 * 201 until every projection's checkpoint reaches the log head read right after that 201 (an upper bound on the
 * event's own position). A warm-up at the same rate comes first, as for the queries: its figures are reported apart
 * (`cold…`), since a freshly started process compiles and loads what the first commands and events touch.
 */
const measureLag = async (app: NestFastifyApplication, applied: () => bigint | Promise<bigint>): Promise<LagFigures> => {
  const store = app.get<EventStore>(EVENT_STORE);
  const customers = await app.get(FactReads).customers({ serviceRepId: REP.id });
  const mine = customers.filter((doc) => doc.serviceRepId === REP.id && doc.status === 'active').map((doc) => doc.id);
  if (mine.length === 0) throw new Error(`${REP.id} has no active customers`);
  const token = issueToken(REP, SECRET, Math.floor(Date.now() / 1000), 3600);
  const phase = async (label: string, seconds: number) => {
    const commandMs: number[] = [];
    const lagMs: number[] = [];
    let non201 = 0;
    const send = async (n: number) => {
      const started = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: `/customers/${mine[n % mine.length]}/visits`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: { visitId: `bench-${label}-${n}`, level: 1, channel: 'phone', purpose: 'care', reached: true, contactRole: 'decision_maker', summary: 'Checked the week', satisfaction: 4 },
      });
      const answered = performance.now();
      if (response.statusCode !== 201) {
        non201 += 1;
        return;
      }
      commandMs.push(answered - started);
      const position = await store.headPosition();
      while ((await applied()) < position) await new Promise((resolve) => setTimeout(resolve, 1));
      lagMs.push(performance.now() - answered);
    };
    const total = LAG_RATE * seconds;
    const inFlight: Promise<void>[] = [];
    const t0 = performance.now();
    for (let n = 0; n < total; n += 1) {
      const due = t0 + (n * 1000) / LAG_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(send(n));
    }
    await Promise.all(inFlight);
    return { total, non201, commandMs, lagMs };
  };
  const cold = await phase(`lag-warm-up-${Date.now()}`, LAG_WARM_UP_SECONDS);
  const run = await phase(`lag-${Date.now()}`, LAG_SECONDS);
  return {
    ratePerSecond: LAG_RATE,
    seconds: LAG_SECONDS,
    commands: run.total,
    non201: run.non201 + cold.non201,
    commandP50Ms: percentile(run.commandMs, 50),
    commandP99Ms: percentile(run.commandMs, 99),
    lagP50Ms: percentile(run.lagMs, 50),
    lagP99Ms: percentile(run.lagMs, 99),
    lagMaxMs: percentile(run.lagMs, 100),
    warmUpSeconds: LAG_WARM_UP_SECONDS,
    coldLagP99Ms: percentile(cold.lagMs, 99),
    coldLagMaxMs: percentile(cold.lagMs, 100),
  };
};

/**
 * Run as a process of its own (`node read-side-app.js <data dir> <today>`): the query and lag measurements in a
 * process that did nothing before, as a service starts, whatever the benchmark's own process generated or scanned.
 * Prints the figures as JSON on stdout.
 */
if (require.main === module) {
  const [dataDir, today] = process.argv.slice(2);
  if (!dataDir || !today) throw new Error('usage: read-side-app <data dir> <today>');
  (async () => {
    const { queries, lag: processLag } = await measureAsTheServiceRuns(dataDir, today);
    return { queries, processLag, lag: await measureInlineLag(dataDir) };
  })().then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
