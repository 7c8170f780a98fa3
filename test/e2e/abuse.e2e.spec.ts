import { call, createTestApp, TestApp } from '../support/test-app';
import { seedTeam, visitBody } from '../support/fixtures';

const graphql = (t: TestApp, query: string, token?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: JSON.stringify({ query }),
  });

describe('abuse: refused before it costs anything', () => {
  let t: TestApp;
  let manager: string;

  beforeEach(async () => {
    t = await createTestApp();
    await seedTeam(t);
    manager = t.token('mgr-1', 'manager');
  });
  afterEach(async () => t.close());

  describe('GraphQL', () => {
    it.each(['{ __typename }', '{ __schema { queryType { name } } }'])('needs a token for every operation, %s included', async (query) => {
      const response = await graphql(t, query);
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body)).toStrictEqual({
        data: null,
        errors: [{ message: 'A bearer token is required (Authorization: Bearer <token>)', extensions: { code: 'UNAUTHENTICATED', status: 401 } }],
      });
      const get = await t.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}` });
      expect(get.statusCode).toBe(401);
      expect((await graphql(t, query, manager)).statusCode).toBe(200);
    });

    const refusal = async (query: string) => {
      const started = performance.now();
      const response = await graphql(t, query, manager);
      const ms = performance.now() - started;
      const errors = (JSON.parse(response.body) as { errors: { message: string; extensions?: { code?: string } }[] }).errors;
      return { status: response.statusCode, messages: errors.map((e) => e.message), codes: errors.map((e) => e.extensions?.code), ms };
    };

    it('refuses 2,000 aliased __schema blocks (a 100 KB query) by its size, without running it', async () => {
      const query = `{ ${Array.from({ length: 2000 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`;
      expect(query.length).toBeGreaterThan(90_000);
      const { status, messages, ms } = await refusal(query);
      expect(status).toBe(400);
      expect(messages[0]).toContain('Document contains more that 3000 tokens');
      expect(ms).toBeLessThan(1000);
    });

    it('refuses more aliases, fields, introspections or depth than allowed, naming the limit', async () => {
      const aliased = await refusal(`{ ${Array.from({ length: 11 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
      expect(aliased).toMatchObject({ status: 400, messages: ['A query may use at most 10 aliases; this one uses 11'], codes: ['GRAPHQL_TOO_MANY_ALIASES'] });
      const twice = await refusal('{ a: __schema { queryType { name } } b: __type(name: "Query") { name } }');
      expect(twice).toMatchObject({ status: 400, messages: ['A query may introspect the schema at most once; this one does 2 times'] });
      const deep = await refusal('{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }');
      expect(deep.status).toBe(400);
      expect(deep.messages.join(' ')).toMatch(/depth/i);
      const churn = await refusal(
        `{ ${Array.from({ length: 200 }, (_, i) => `c${i}: churnRisk(asOf: "2026-03-10") { total }`).join(' ')} }`,
      );
      expect(churn.status).toBe(400);
      expect(churn.messages).toContain('A query may use at most 10 aliases; this one uses 200');
      expect(churn.ms).toBeLessThan(1000);
    });

    it('still answers an ordinary query with a few aliases', async () => {
      const response = await graphql(t, '{ a: churnRisk(asOf: "2026-03-10") { total } b: churnRisk(asOf: "2026-03-09") { total } }', manager);
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body).data).toStrictEqual({ a: { total: expect.any(Number) }, b: { total: expect.any(Number) } });
    });
  });

  describe('request bodies', () => {
    it('answers 401 to a large body without a token before reading it', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/customers/c-1/visits',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ ...visitBody('v-big'), notes: 'x'.repeat(5 * 1024 * 1024) }),
      });
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body).code).toBe('UNAUTHENTICATED');
    });

    it('answers 413 to a body over 1 MiB, and takes a telemetry batch of several MiB', async () => {
      const big = await t.app.inject({
        method: 'POST',
        url: '/customers/c-1/visits',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${manager}` },
        payload: JSON.stringify({ ...visitBody('v-big'), notes: 'x'.repeat(1024 * 1024) }),
      });
      expect(big.statusCode).toBe(413);
      expect(JSON.parse(big.body)).toStrictEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than 1 MiB (16 MiB for telemetry batches)',
      });
      const platform = t.token('platform', 'platform');
      const records = Array.from({ length: 20_000 }, (_, i) => ({
        customerId: i % 2 === 0 ? 'c-1' : 'c-2',
        day: `2026-0${1 + Math.floor(i / 2 / 28) % 2}-${String(1 + (Math.floor(i / 2) % 28)).padStart(2, '0')}`,
        logins: 1,
        shopViews: 2,
        adClicks: 3,
        inquiriesReceived: 0,
        inquiriesUnread: 0,
        messagesUnanswered: 0,
      }));
      const payload = JSON.stringify({ records });
      expect(payload.length).toBeGreaterThan(2 * 1024 * 1024);
      const batch = await t.app.inject({ method: 'POST', url: '/telemetry/usage', headers: { 'content-type': 'application/json', authorization: `Bearer ${platform}` }, payload });
      // Past the size check: refused for what the records say (days repeat), not for the size.
      expect(batch.statusCode).toBe(400);
      expect(JSON.parse(batch.body).code).not.toBe('PAYLOAD_TOO_LARGE');
    });

    it('lets an ordinary command through the gate', async () => {
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: manager, body: visitBody('v-ok') })).status).toBe(201);
    });
  });
});
