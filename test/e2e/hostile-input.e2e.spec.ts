import { createHmac } from 'node:crypto';
import { call, createTestApp, TEST_SECRET, TestApp } from '../support/test-app';
import { historyOf, seedTeam, visitBody } from '../support/fixtures';

/** A token signed with the service's secret whose payload is whatever JSON the caller wants. */
const signed = (payload: string): string => {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(payload).toString('base64url');
  return `${header}.${body}.${createHmac('sha256', TEST_SECRET).update(`${header}.${body}`).digest('base64url')}`;
};

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

describe('hostile and careless input: 4xx naming what is wrong, never 500, nothing stored', () => {
  let t: TestApp;
  let manager: string;
  let platform: string;

  beforeEach(async () => {
    t = await createTestApp();
    await seedTeam(t);
    manager = t.token('mgr-1', 'manager');
    platform = t.token('platform', 'platform');
  });
  afterEach(async () => t.close());

  it('refuses an unknown field nested 3,000 levels deep with 400, quickly', async () => {
    const before = (await historyOf(t, 'c-1')).events.length;
    const started = performance.now();
    const response = await call(t, 'POST', '/customers/c-1/visits', { token: manager, body: { ...visitBody('v-deep'), junk: nested(3000) } });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('The request body nests objects or arrays more than 16 levels deep');
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await historyOf(t, 'c-1')).events.length).toBe(before);
  });

  it.each([
    ['a renewal', '/customers/c-1/renewals', (amount: number) => ({ amount, newTerm: { start: '2027-01-01', end: '2027-12-31' }, paymentReference: 'PAY-TINY' }), 'amount'],
    ['a day of spend', '/telemetry/spend', (spend: number) => ({ records: [{ customerId: 'c-1', day: '2026-03-09', spend, clicks: 1, activeKeywords: 1 }] }), 'records[0].spend'],
  ])('refuses 1e-7 as an amount on %s with 400', async (_what, url, body, field) => {
    const token = url.startsWith('/telemetry') ? platform : manager;
    const response = await call(t, 'POST', url, { token, body: body(1e-7) });
    expect(response.status).toBe(400);
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses a telemetry batch whose records are not objects with 400', async () => {
    for (const records of [[[]], [null], ['x'], [1]]) {
      const response = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records } });
      expect({ records, status: response.status }).toStrictEqual({ records, status: 400 });
      expect(response.body.message).toContain('each value in records must be an object');
    }
  });

  it.each([
    ['/kpis?period=month&date=9999-12-31', 'date'],
    ['/leaderboards/spend-increase?week=0000-01-01', 'week'],
    ['/churn-risk?asOf=1970-01-01', 'asOf'],
  ])('refuses %s, a day outside 2000–2099, with 400 naming it', async (url, field) => {
    const response = await call(t, 'GET', url, { token: manager });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(`${field} must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31`);
  });

  it('refuses telemetry for day 0000-01-01, a term to 9999-12-31 and a visit back-dated to 1970, storing nothing', async () => {
    const before = (await historyOf(t, 'c-1')).events.length;
    const usage = await call(t, 'POST', '/telemetry/usage', {
      token: platform,
      body: { records: [{ customerId: 'c-1', day: '0000-01-01', logins: 1, shopViews: 1, adClicks: 1, inquiriesReceived: 0, inquiriesUnread: 0, messagesUnanswered: 0 }] },
    });
    expect(usage.status).toBe(400);
    expect(usage.body.message).toContain('records[0].day must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31');
    const renewal = await call(t, 'POST', '/customers/c-1/renewals', { token: manager, body: { amount: 100, newTerm: { start: '2027-01-01', end: '9999-12-31' }, paymentReference: 'PAY-FAR' } });
    expect(renewal.status).toBe(400);
    expect(renewal.body.message).toContain('newTerm.end must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31');
    const visit = await call(t, 'POST', '/customers/c-1/visits', { token: manager, body: { ...visitBody('v-1970'), occurredAt: '1970-01-01T00:00:00.000Z' } });
    expect(visit.status).toBe(400);
    expect(visit.body.message).toContain('occurredAt must fall from 2000-01-01 to 2099-12-31');
    expect((await historyOf(t, 'c-1')).events.length).toBe(before);
  });

  it.each(['null', '[]', '"text"', '42', '{"sub":"mgr-1","role":"manager"}'])('answers 401 to a validly signed token whose payload is %s', async (payload) => {
    const response = await call(t, 'GET', '/churn-risk', { token: signed(payload) });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=1'],
  ])('answers 415 to a body sent as %s', async (contentType, payload) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/customers/c-1/visits',
      headers: { authorization: `Bearer ${manager}`, 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(415);
    expect(JSON.parse(response.body)).toStrictEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `Content-Type ${contentType} is not accepted; send application/json`,
    });
  });

  it('still takes JSON with a charset, and GraphQL queries as application/graphql', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/customers/c-1/visits',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify(visitBody('v-charset')),
    });
    expect(json.statusCode).toBe(201);
    const graphql = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/graphql' },
      payload: '{ __typename }',
    });
    expect(graphql.statusCode).toBe(200);
  });
});
