import { call, createTestApp, TestApp } from '../support/test-app';
import { seedTeam, visitBody } from '../support/fixtures';

/** A command becomes visible in the views; each view answers within the caller's scope. */
describe('views over REST', () => {
  let t: TestApp;
  const manager = () => t.token('mgr-1', 'manager');
  const rep1 = () => t.token('rep-1', 'rep');
  const get = (url: string, token: string) => call(t, 'GET', url, { token });

  beforeEach(async () => {
    t = await createTestApp();
    await seedTeam(t);
  });
  afterEach(async () => t.close());

  it('shows a customer in churn risk with its reasons, and a visit lowers the score', async () => {
    await t.caughtUp();
    t.clock.set(new Date('2026-04-20T02:00:00Z'));
    const before = await get('/churn-risk?asOf=2026-04-20', manager());
    expect(before.status).toBe(200);
    expect(before.body.items.map((row: { customerId: string }) => row.customerId).sort()).toEqual(['c-1', 'c-2']);
    const c1 = before.body.items.find((row: { customerId: string }) => row.customerId === 'c-1');
    expect(c1).toMatchObject({ companyName: 'Company c-1', serviceRepId: 'rep-1', groupId: 'g1', product: 'bidding' });
    expect(c1.reasons.map((r: { code: string }) => r.code)).toContain('no_contact');

    const visit = await call(t, 'POST', '/customers/c-1/visits', { token: rep1(), body: visitBody('v-1') });
    expect(visit.status).toBe(201);
    await t.caughtUp();
    const after = (await get('/churn-risk?asOf=2026-04-20&repId=rep-1', manager())).body;
    expect(after.total).toBe(1);
    expect(after.items[0].reasons.map((r: { code: string }) => r.code)).not.toContain('no_contact');
    expect(after.items[0].score).toBeLessThan(c1.score);
  });

  it('sends the text of a kept answer again while its read models stand still, and a fresh one once they move', async () => {
    await t.caughtUp();
    t.clock.set(new Date('2026-04-20T02:00:00Z'));
    const text = async () => (await t.app.inject({ method: 'GET', url: '/churn-risk?asOf=2026-04-20', headers: { authorization: `Bearer ${manager()}` } })).body;
    const first = await text();
    expect(await text()).toBe(first);
    expect(JSON.parse(first).items.find((row: { customerId: string }) => row.customerId === 'c-1').reasons.map((r: { code: string }) => r.code)).toContain('no_contact');
    expect((await call(t, 'POST', '/customers/c-1/visits', { token: rep1(), body: visitBody('v-1') })).status).toBe(201);
    await t.caughtUp();
    const moved = await text();
    expect(moved).not.toBe(first);
    expect(JSON.parse(moved).items.find((row: { customerId: string }) => row.customerId === 'c-1').reasons.map((r: { code: string }) => r.code)).not.toContain('no_contact');
  });

  it('scopes by role: a rep sees only their customers, a supervisor their group, the platform nothing', async () => {
    await t.caughtUp();
    const mine = await get('/churn-risk?asOf=2026-03-10', rep1());
    expect(mine.body.items.map((row: { customerId: string }) => row.customerId)).toEqual(['c-1']);
    const group = await get('/churn-risk?asOf=2026-03-10', t.token('sup-2', 'supervisor'));
    expect(group.body.items.map((row: { customerId: string }) => row.customerId)).toEqual(['c-2']);
    expect((await get('/reps/rep-2/worklist?date=2026-03-10', rep1())).status).toBe(403);
    expect((await get('/reps/rep-2/kpis?period=month&date=2026-03-10', t.token('sup-1', 'supervisor'))).status).toBe(403);
    expect((await get('/churn-risk?asOf=2026-03-10', t.token('platform-1', 'platform'))).status).toBe(403);
    expect((await get('/churn-risk?asOf=2026-03-10', '')).status).toBe(401);
  });

  it('refuses bad query parameters with a 400 naming them', async () => {
    const bad = await get('/churn-risk?asOf=2026-02-30&limit=0&level=severe', manager());
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('asOf must be a calendar date YYYY-MM-DD');
    expect(bad.body.message).toContain('limit');
    expect(bad.body.message).toContain('level');
    expect((await get('/kpis?period=year&date=2026-03-10', manager())).status).toBe(400);
    expect((await get('/churn-risk?asOf=2026-03-10&surprise=1', manager())).status).toBe(400);
  });

  it('counts a visit in the rep’s KPIs and the worklist lists the rep’s customers by risk', async () => {
    await call(t, 'POST', '/customers/c-1/visits', { token: rep1(), body: visitBody('v-1', { occurredAt: '2026-03-09T03:00:00Z' }) });
    await call(t, 'POST', '/customers/c-1/visits', { token: rep1(), body: visitBody('v-2', { channel: 'onsite', occurredAt: '2026-03-09T05:00:00Z' }) });
    await t.caughtUp();
    const kpis = await get('/reps/rep-1/kpis?period=day&date=2026-03-09', rep1());
    expect(kpis.status).toBe(200);
    expect(kpis.body).toMatchObject({ repId: 'rep-1', calls: 1, contacts: 2, visits: 2, distinctCustomersServed: 1, groupId: 'g1' });
    expect(kpis.body.workload.total).toBe(12);
    const team = await get('/kpis?period=month&date=2026-03-09&groupId=g1', manager());
    expect(team.body.reps.map((r: { repId: string }) => r.repId)).toEqual(['rep-1', 'sup-1']);

    const quiet = await get('/reps/rep-2/worklist?date=2026-03-10', t.token('rep-2', 'rep'));
    expect(quiet.body).toMatchObject({ repId: 'rep-2', customersAssigned: 1, entries: [] });
    const worklist = await get('/reps/rep-2/worklist?date=2026-04-20', t.token('rep-2', 'rep'));
    expect(worklist.status).toBe(200);
    expect(worklist.body.entries.map((e: { customerId: string }) => e.customerId)).toEqual(['c-2']);
    expect(worklist.body.entries[0].items.map((i: { kind: string }) => i.kind)).toEqual(expect.arrayContaining(['not_contacted', 'no_login']));
  });

  it('answers the renewal pipeline and the leaderboard', async () => {
    await t.caughtUp();
    const pipeline = await get('/renewal-pipeline?asOf=2026-11-15', manager());
    expect(pipeline.status).toBe(200);
    expect(pipeline.body.total).toBe(2);
    expect(pipeline.body.items[0]).toMatchObject({ termEnd: '2026-12-31', daysToEnd: 46, window: 90, status: 'pending', flags: ['under_contacted'] });
    const board = await get('/leaderboards/spend-increase?week=2026-03-11', rep1());
    expect(board.status).toBe(200);
    expect(board.body.week).toEqual({ from: '2026-03-09', to: '2026-03-15' });
  });

  it('lists projections with their checkpoints for analysts, rebuilds one with progress, and verifies it equal', async () => {
    await t.caughtUp();
    expect((await get('/admin/projections', rep1())).status).toBe(403);
    const analyst = t.token('ana-1', 'analyst');
    const list = await get('/admin/projections', analyst);
    expect(list.status).toBe(200);
    expect(list.body.projections.map((p: { name: string }) => p.name)).toEqual(['customer_facts', 'telemetry_daily', 'staff', 'rep_activity', 'churn_risk', 'renewal_pipeline', 'spend_leaderboard', 'rep_kpis']);
    expect(list.body.projections[0]).toMatchObject({ state: 'live', lagEvents: 0, lagMs: 0, failure: null, outdated: false });
    expect(list.body.projections[0].checkpoint).toBe(list.body.projections[0].head);

    const started = await call(t, 'POST', '/admin/projections/customer_facts/rebuild', { token: analyst });
    expect(started.status).toBe(202);
    let job = started.body;
    for (let i = 0; i < 200 && job.state === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = (await get(`/admin/projections/jobs/${started.body.id}`, analyst)).body;
    }
    expect(job).toMatchObject({ state: 'done', error: null });
    expect(job.progress).toMatchObject({ projection: 'customer_facts', fraction: 1 });
    expect(Number(job.results[0].generation)).toBe(2);

    const verify = await call(t, 'POST', '/admin/projections/customer_facts/verify', { token: analyst });
    let check = verify.body;
    for (let i = 0; i < 200 && check.state === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      check = (await get(`/admin/projections/jobs/${verify.body.id}`, analyst)).body;
    }
    // Two customers, each with its directory row.
    expect(check.results[0]).toMatchObject({ documents: 4, differences: [], truncated: false });
    expect((await get('/churn-risk?asOf=2026-03-10', manager())).body.total).toBe(2);
  });
});
