import { type DemoOptions, generateDemoLog, loadDemo } from '#demo';
import { call, createTestApp, type TestApp } from '../support/test-app';

/**
 * A demo history loaded into the real application: every view answers with plausible figures, and after
 * rebuilding every projection from the log each view answers exactly the same.
 */
const TODAY = '2026-03-10';
const DEMO: DemoOptions = { seed: 11, customers: 90, reps: 8, days: 200, startDay: '2025-08-22' }; // ends 2026-03-09

describe('demo year, every view, rebuilt', () => {
  let t: TestApp;
  let manager: string;
  let analyst: string;

  beforeAll(async () => {
    t = await createTestApp({ now: `${TODAY}T02:00:00.000Z`, beforeStart: (store) => loadDemo(store, DEMO) });
    manager = t.token('mgr-001', 'manager');
    analyst = t.token('ana-1', 'analyst');
    await t.caughtUp();
  }, 60_000);
  afterAll(async () => t.close());

  const get = async (url: string, token = manager) => {
    const response = await call(t, 'GET', url, { token });
    expect([url, response.status]).toEqual([url, 200]);
    return response.body;
  };

  /** One call of every view, in a fixed order. */
  const everyView = async (): Promise<Record<string, unknown>> => {
    const churn = await get(`/churn-risk?asOf=${TODAY}&limit=500`);
    const someCustomer = (churn.items as { customerId: string; serviceRepId: string }[])[0]!;
    const html = await t.app.inject({ method: 'GET', url: `/customers/${someCustomer.customerId}/effect-report.html?asOf=${TODAY}`, headers: { authorization: `Bearer ${manager}` } });
    return {
      churn,
      pipeline: await get(`/renewal-pipeline?asOf=${TODAY}&limit=500`),
      worklist: await get(`/reps/${someCustomer.serviceRepId}/worklist?date=${TODAY}`),
      repKpis: await get(`/reps/${someCustomer.serviceRepId}/kpis?period=month&date=2026-02-15`),
      teamKpis: await get('/kpis?period=week&date=2026-03-02'),
      leaderboard: await get('/leaderboards/spend-increase?week=2026-03-02'),
      feedback: await get(`/reports/feedback?week=2026-03-02&asOf=${TODAY}`),
      visitQuality: await get('/reports/visit-quality?period=month&date=2026-02-15'),
      capacity: await get(`/reports/capacity?asOf=${TODAY}`),
      effect: await get(`/customers/${someCustomer.customerId}/effect-report?asOf=${TODAY}`),
      effectHtml: html.statusCode === 200 ? html.body : `status ${html.statusCode}`,
    };
  };

  const rebuildAll = async () => {
    const started = await call(t, 'POST', '/admin/projections/rebuild', { token: analyst });
    expect(started.status).toBe(202);
    let job = started.body;
    for (let i = 0; i < 3000 && job.state === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      job = (await call(t, 'GET', `/admin/projections/jobs/${started.body.id}`, { token: analyst })).body;
    }
    expect(job).toMatchObject({ state: 'done', error: null });
    return job.results as { projection: string; generation: number }[];
  };

  it('answers every view with plausible figures, and the same after every projection is rebuilt', async () => {
    const before = await everyView();

    const churn = before.churn as { total: number; items: { level: string }[] };
    expect(new Set(churn.items.map((i) => i.level))).toEqual(new Set(['high', 'medium', 'low']));
    const pipeline = before.pipeline as { items: { status: string }[] };
    expect(pipeline.items.length).toBeGreaterThan(0);
    const team = before.teamKpis as { reps: { calls: number }[] };
    expect(team.reps.reduce((sum, r) => sum + r.calls, 0)).toBeGreaterThan(0);
    const board = before.leaderboard as { regular: unknown[]; keyAccounts: unknown[]; groups: unknown[] };
    expect([board.regular.length > 0, board.keyAccounts.length > 0, board.groups.length > 0]).toEqual([true, true, true]);
    const capacity = before.capacity as { scope: { customers: number } };
    expect(capacity.scope.customers).toBe(churn.total);
    const quality = before.visitQuality as { scope: { visits: number } };
    expect(quality.scope.visits).toBeGreaterThan(0);
    expect(String(before.effectHtml)).toContain('<svg');

    const rebuilt = await rebuildAll();
    expect(rebuilt.map((r) => [r.projection, Number(r.generation)])).toEqual([
      ['customer_facts', 2],
      ['telemetry_daily', 2],
      ['staff', 2],
      ['rep_activity', 2],
      ['churn_risk', 2],
      ['renewal_pipeline', 2],
      ['spend_leaderboard', 2],
      ['rep_kpis', 2],
    ]);
    await t.caughtUp();
    const after = await everyView();
    for (const view of Object.keys(before)) expect([view, after[view]]).toEqual([view, before[view]]);
  }, 120_000);

  it('compares a renewed term with the one before it on data: the term begun before the log has its telemetry', async () => {
    const log = [...generateDemoLog(DEMO)].map((e) => e.event);
    const startedBefore = new Set(log.filter((e) => e.type === 'CustomerSigned' && String((e.data.term as { start: string }).start) < DEMO.startDay).map((e) => String(e.data.customerId)));
    const renewed = [...new Set(log.filter((e) => e.type === 'RenewalCollected' && startedBefore.has(String(e.data.customerId))).map((e) => String(e.data.customerId)))];
    expect(renewed.length).toBeGreaterThan(5);
    for (const customerId of renewed.slice(0, 5)) {
      const report = (await get(`/customers/${customerId}/effect-report?asOf=${TODAY}&term=2`)) as {
        previousTerm: { start: string } | null;
        figures: Record<string, { noDataBefore: string | null; previous: number | null }>;
      };
      expect([customerId, report.previousTerm?.start !== undefined && report.previousTerm.start < DEMO.startDay]).toStrictEqual([customerId, true]);
      expect([customerId, report.figures.logins!.noDataBefore, report.figures.shopViews!.noDataBefore]).toStrictEqual([customerId, null, null]);
      expect(report.figures.shopViews!.previous).toBeGreaterThan(0);
    }
  });
});
