import { call, createTestApp, TestApp } from '../support/test-app';
import { seedTeam, visitBody } from '../support/fixtures';

describe('rate limits on heavy reads, per caller', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  it('answers 429 with Retry-After past the limit, per token subject, and leaves commands and health alone', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    await seedTeam(t);
    const manager = t.token('mgr-1', 'manager');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: manager })).status);
    expect(statuses).toStrictEqual([200, 200, 200, 200, 200, 429]);
    const limited = await call(t, 'GET', '/kpis?period=week&date=2026-03-10', { token: manager });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(limited.body.message).toMatch(/^Too many heavy reads: at most 5 a minute per caller; retry in /);
    // Another caller has a budget of its own, even for GraphQL; a second token of the same subject shares it.
    expect((await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: t.token('sup-1', 'supervisor') })).status).toBe(200);
    expect((await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: t.token('mgr-1', 'manager') })).status).toBe(429);
    const rep = t.token('rep-1', 'rep');
    const gql = [];
    for (let i = 0; i < 6; i += 1) gql.push((await call(t, 'POST', '/graphql', { token: rep, body: { query: '{ __typename }' } })).status);
    expect(gql).toStrictEqual([200, 200, 200, 200, 200, 429]);
    // Commands and health are not heavy reads.
    expect((await call(t, 'POST', '/customers/c-1/visits', { token: manager, body: visitBody('v-after') })).status).toBe(201);
    expect((await call(t, 'GET', '/health')).status).toBe(200);
  });

  it('can be turned off', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    await seedTeam(t);
    const manager = t.token('mgr-1', 'manager');
    for (let i = 0; i < 8; i += 1) expect((await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: manager })).status).toBe(200);
  });
});
