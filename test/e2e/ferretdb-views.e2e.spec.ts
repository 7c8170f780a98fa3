import { type DemoOptions, loadDemo } from '#demo';
import { FERRETDB_VERSION, ferretdbBinary, startFerretdb, type RunningFerretdb } from '../support/ferretdb';
import { call, createTestApp, type TestApp } from '../support/test-app';

/**
 * The demo in the real application twice, with its read models in SQLite and in FerretDB (MongoDB wire protocol):
 * every projection built on each from the same log, every view compared. The demo is small: FerretDB 1.24 over
 * SQLite scans a whole collection for each guarded write, so a commit costs time in proportion to the collection.
 */
const TODAY = '2026-03-10';
// Without the telemetry of terms begun before the first day: it triples this log, and FerretDB's commits grow with it.
const DEMO: DemoOptions = { seed: 23, customers: 12, reps: 4, days: 40, startDay: '2026-01-29', historyBeforeStart: false }; // ends 2026-03-09
const found = ferretdbBinary();

const FIRST_ACCUMULATOR_ONLY = 'FerretDB 1.24 computes only the first accumulator of a $group (every later $sum reads 0), and this view sums several figures in one group';
/** Views FerretDB cannot answer right, with why (found by running them here); every other view must match. */
const FERRETDB_CANNOT: Record<string, string> = {
  teamKpisWeek: FIRST_ACCUMULATOR_ONLY,
  // A rep's kept week or month counts its coverage and sums its renewals the same way (monthly coverage reads 0).
  repKpisWeek: FIRST_ACCUMULATOR_ONLY,
  repKpisMonth: FIRST_ACCUMULATOR_ONLY,
  leaderboard: FIRST_ACCUMULATOR_ONLY,
};

if ('skip' in found) {
  describe(`every view on FerretDB ${FERRETDB_VERSION}`, () => {
    it.skip(`SKIPPED: ${found.skip}`, () => undefined);
  });
} else {
  describe(`every view on FerretDB ${FERRETDB_VERSION} answers as on SQLite`, () => {
    let server: RunningFerretdb;
    let sqlite: TestApp;
    let ferret: TestApp;

    beforeAll(async () => {
      server = await startFerretdb(found.binary);
      const options = { now: `${TODAY}T02:00:00.000Z`, beforeStart: (store: Parameters<typeof loadDemo>[0]) => loadDemo(store, DEMO) };
      sqlite = await createTestApp(options);
      ferret = await createTestApp({ ...options, env: { MONGODB_URL: `${server.url}rm_e2e_views`, PROJECTIONS: 'inline' } });
      await sqlite.caughtUp();
      await ferret.caughtUp(240_000);
    }, 300_000);
    afterAll(async () => {
      let timer: NodeJS.Timeout | undefined;
      const closing = Promise.all([ferret?.close(), sqlite?.close()]);
      try {
        // An application that cannot close in 20 s (one stuck on the server) still lets the server be stopped below.
        await Promise.race([closing, new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new Error('the applications did not close within 20 s')), 20_000)))]);
      } finally {
        clearTimeout(timer);
        await server?.stop();
      }
    }, 30_000);

    const views = async (t: TestApp): Promise<Record<string, unknown>> => {
      const token = t.token('mgr-001', 'manager');
      const get = async (url: string) => {
        const response = await call(t, 'GET', url, { token });
        return { status: response.status, body: response.body };
      };
      const churn = await get(`/churn-risk?asOf=${TODAY}&limit=500`);
      const first = (churn.body as { items: { customerId: string; serviceRepId: string }[] }).items[0]!;
      const customers = await get('/customers?limit=5');
      return {
        customers,
        customersNext: await get(`/customers?limit=5&cursor=${(customers.body as { nextCursor: string }).nextCursor}`),
        customersSearch: await get('/customers?q=jinhai&termEndFrom=2026-06-01&limit=200'),
        customersOfRep: await get(`/customers?repId=${first.serviceRepId}&limit=200`),
        customer: await get(`/customers/${first.customerId}`),
        timeline: await get(`/customers/${first.customerId}/timeline?limit=500`),
        reps: await get('/reps'),
        groups: await get('/groups'),
        churn,
        churnPast: await get('/churn-risk?asOf=2026-02-20&limit=500'),
        pipeline: await get(`/renewal-pipeline?asOf=${TODAY}&limit=500`),
        pipelineWindow: await get(`/renewal-pipeline?asOf=${TODAY}&window=30&limit=500`),
        worklist: await get(`/reps/${first.serviceRepId}/worklist?date=${TODAY}`),
        repKpisWeek: await get(`/reps/${first.serviceRepId}/kpis?period=week&date=2026-03-02`),
        repKpisMonth: await get(`/reps/${first.serviceRepId}/kpis?period=month&date=2026-02-15`),
        teamKpisWeek: await get('/kpis?period=week&date=2026-03-02'),
        teamKpisDay: await get('/kpis?period=day&date=2026-03-05'),
        leaderboard: await get('/leaderboards/spend-increase?week=2026-03-02'),
        feedback: await get(`/reports/feedback?week=2026-03-02&asOf=${TODAY}`),
        visitQuality: await get('/reports/visit-quality?period=month&date=2026-02-15'),
        capacity: await get(`/reports/capacity?asOf=${TODAY}`),
        effect: await get(`/customers/${first.customerId}/effect-report?asOf=${TODAY}`),
      };
    };

    it('answers every view the same, after catching up live on the log', async () => {
      const [onSqlite, onFerret] = [await views(sqlite), await views(ferret)];
      const differing = Object.keys(onSqlite).filter((view) => JSON.stringify(onFerret[view]) !== JSON.stringify(onSqlite[view]));
      // Only the views FerretDB is known to get wrong may differ; each of the others is compared in full.
      expect(differing.filter((view) => !FERRETDB_CANNOT[view])).toStrictEqual([]);
      for (const [view, answer] of Object.entries(onSqlite)) {
        expect([view, (answer as { status: number }).status]).toStrictEqual([view, 200]);
        if (!FERRETDB_CANNOT[view]) expect([view, onFerret[view]]).toStrictEqual([view, answer]);
      }
      const known = differing.map((view) => `${view} (${FERRETDB_CANNOT[view]})`).join('; ');
      process.stdout.write(`FerretDB: ${Object.keys(onSqlite).length - differing.length} of ${Object.keys(onSqlite).length} views answered as on SQLite; differing, as known: ${known || 'none'}\n`);
    }, 120_000);

    it('rebuilds every projection on FerretDB (in memory, indexes after, swapped in) and answers the same again', async () => {
      const before = await views(ferret);
      const analyst = ferret.token('ana-1', 'analyst');
      const started = await call(ferret, 'POST', '/admin/projections/rebuild', { token: analyst });
      expect(started.status).toBe(202);
      let job = started.body as { id: string; state: string; error: string | null; results: { projection: string; generation: number }[] };
      for (let i = 0; i < 2400 && job.state === 'running'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        job = (await call(ferret, 'GET', `/admin/projections/jobs/${job.id}`, { token: analyst })).body as typeof job;
      }
      expect([job.state, job.error]).toStrictEqual(['done', null]);
      expect(job.results.map((r) => [r.projection, Number(r.generation)])).toStrictEqual(
        ['customer_facts', 'telemetry_daily', 'staff', 'rep_activity', 'churn_risk', 'renewal_pipeline', 'spend_leaderboard', 'rep_kpis'].map((name) => [name, 2]),
      );
      await ferret.caughtUp(60_000);
      const after = await views(ferret);
      for (const view of Object.keys(before)) expect([view, after[view]]).toStrictEqual([view, before[view]]);
    }, 180_000);
  });
}
