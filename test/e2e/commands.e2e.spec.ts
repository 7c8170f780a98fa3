import { call, createTestApp, TestApp } from '../support/test-app';
import { historyOf, seedTeam, signBody, visitBody } from '../support/fixtures';

describe('command API (embedded store, real HTTP pipeline)', () => {
  let t: TestApp;
  let rep1: string;

  beforeEach(async () => {
    t = await createTestApp();
    await seedTeam(t);
    rep1 = t.token('rep-1', 'rep');
  });
  afterEach(async () => t.close());

  describe('authentication', () => {
    it('answers 401 without a token and with a bad one', async () => {
      expect((await call(t, 'POST', '/customers/c-1/visits', { body: visitBody('v-1') })).status).toBe(401);
      const bad = await call(t, 'POST', '/customers/c-1/visits', { token: `${rep1}x`, body: visitBody('v-1') });
      expect(bad.status).toBe(401);
      expect(bad.body.code).toBe('UNAUTHENTICATED');
    });

    it('lets health and the OpenAPI document through without a token', async () => {
      expect((await call(t, 'GET', '/health')).status).toBe(200);
      const docs = await call(t, 'GET', '/docs/openapi.json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/customers/{customerId}/visits', '/customers/{customerId}/renewals', '/telemetry/spend']));
    });
  });

  describe('validation: 400 naming the field, nothing stored', () => {
    it('names a bad enum, a nested field and an unknown property', async () => {
      const before = (await historyOf(t, 'c-1')).events.length;
      const badChannel = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1', { channel: 'fax' }) });
      expect(badChannel.status).toBe(400);
      expect(badChannel.body.message).toContain('channel must be one of: phone, onsite, email, sms, chat, meeting');
      const badEffect = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1', { effect: { calls: -1, inquiries: 1, deals: 0 } }) });
      expect(badEffect.status).toBe(400);
      expect(badEffect.body.details.fields[0].field).toBe('effect.calls');
      const extra = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1', { mood: 'happy' }) });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toContain('mood should not exist');
      expect((await historyOf(t, 'c-1')).events.length).toBe(before);
    });

    it('refuses money with more than two decimals and an invalid calendar date', async () => {
      const manager = t.token('mgr-1', 'manager');
      const money = await call(t, 'POST', '/customers', { token: manager, body: signBody('c-9', 'rep-1', { contractAmount: 10.001 }) });
      expect(money.status).toBe(400);
      expect(money.body.message).toContain('contractAmount');
      const date = await call(t, 'POST', '/customers', { token: manager, body: signBody('c-9', 'rep-1', { term: { start: '2026-02-30', end: '2026-12-31' } }) });
      expect(date.status).toBe(400);
      expect(date.body.message).toContain('term.start must be a calendar date');
    });

    it('refuses a nested object sent as an array, null, text or left out, naming the field, and stores nothing', async () => {
      const manager = t.token('mgr-1', 'manager');
      const before = [(await historyOf(t, 'c-1')).events.length, (await historyOf(t, 'c-2')).events.length];
      const renewal = { amount: 13000, newTerm: { start: '2027-01-01', end: '2027-12-31' }, paymentReference: 'PAY-NESTED' };
      const cases: [string, string, Record<string, unknown>, string][] = [];
      for (const bad of [[], null, 'x', undefined]) {
        cases.push(['/customers/c-1/visits', rep1, visitBody('v-9', { effect: bad }), 'effect']);
        cases.push(['/customers/c-1/renewals', rep1, { ...renewal, newTerm: bad }, 'newTerm']);
        cases.push(['/customers', manager, signBody('c-9', 'rep-1', { term: bad }), 'term']);
        cases.push(['/customers', manager, signBody('c-9', 'rep-1', { contact: bad }), 'contact']);
      }
      const refused: string[] = [];
      for (const [url, token, body, field] of cases) {
        // An optional effect may be left out, or sent as null (read as left out); every other case is refused.
        if (field === 'effect' && (body.effect === undefined || body.effect === null)) continue;
        const response = await call(t, 'POST', url, { token, body: JSON.parse(JSON.stringify(body)) });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
        refused.push(`${field}: ${response.body.message}`);
      }
      expect(refused).toContain('effect: effect must be an object');
      expect(refused).toContain('newTerm: newTerm must be an object');
      expect(refused).toContain('contact: contact must be an object');
      expect([(await historyOf(t, 'c-1')).events.length, (await historyOf(t, 'c-2')).events.length]).toStrictEqual(before);
      expect((await call(t, 'GET', '/admin/customers/c-9/history', { token: t.token('admin-1', 'admin') })).status).toBe(404);
      // The refused renewals reserved nothing: the reference is still free.
      expect((await call(t, 'POST', '/customers/c-1/renewals', { token: rep1, body: renewal })).status).toBe(201);
    });

    it('refuses a telemetry batch whose records are not objects', async () => {
      const platform = t.token('platform-1', 'platform');
      const response = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records: [[]] } });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('each value in records must be an object');
    });

    it('refuses a business time in the future', async () => {
      const response = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1', { occurredAt: '2026-03-11T00:00:00Z' }) });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('OCCURRED_IN_FUTURE');
    });
  });

  describe('outcomes', () => {
    it('records a visit with 201, the appended events and the metadata in the audit', async () => {
      const response = await call(t, 'POST', '/customers/c-1/visits', {
        token: rep1,
        body: visitBody('v-1', { nextFollowUpOn: '2026-03-24', occurredAt: '2026-03-09T06:00:00Z' }),
        headers: { 'x-correlation-id': 'corr-42' },
      });
      expect(response.status).toBe(201);
      expect(response.body.events.map((e: { type: string }) => e.type)).toEqual(['VisitRecorded', 'FollowUpScheduled']);
      const history = await historyOf(t, 'c-1');
      const visit = history.events.find((e: { type: string }) => e.type === 'VisitRecorded');
      expect(visit).toMatchObject({
        actor: { id: 'rep-1', role: 'rep' },
        occurredAt: '2026-03-09T06:00:00.000Z',
        correlationId: 'corr-42',
        schemaVersion: 1,
        data: { visitId: 'v-1', visitedOn: '2026-03-09', serviceRepId: 'rep-1' },
      });
      expect(visit.recordedAt).toBeDefined();
    });

    it('answers 404 for an unknown customer', async () => {
      const response = await call(t, 'POST', '/customers/nobody/visits', { token: t.token('mgr-1', 'manager'), body: visitBody('v-1') });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('answers 422 with a stable code for a broken rule', async () => {
      const response = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1', { reached: false }) });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('SATISFACTION_REQUIRES_CONTACT');
    });

    it('takes an issue through raised, resolved and communicated', async () => {
      const post = (url: string, body: unknown) => call(t, 'POST', `/customers/c-1/${url}`, { token: rep1, body });
      expect((await post('issues', { issueId: 'i-1', category: 'platform', description: 'shop page slow' })).status).toBe(201);
      expect((await post('issues/i-1/communication', { channel: 'phone' })).body.code).toBe('ISSUE_NOT_RESOLVED');
      expect((await post('issues/i-1/resolution', { resolution: 'CDN fixed' })).status).toBe(201);
      expect((await post('issues/i-1/communication', { channel: 'phone' })).status).toBe(201);
      expect((await post('issues/i-1/communication', { channel: 'phone' })).body.code).toBe('ISSUE_ALREADY_CLOSED');
    });
  });

  describe('authorisation', () => {
    it('keeps a rep to the customers assigned to them', async () => {
      const response = await call(t, 'POST', '/customers/c-2/visits', { token: rep1, body: visitBody('v-1') });
      expect(response.status).toBe(403);
      expect(response.body.message).toContain('not assigned to you');
      expect((await historyOf(t, 'c-2')).events.map((e: { type: string }) => e.type)).toEqual(['CustomerSigned']);
    });

    it('reserves level-2 visits for supervisors of the group', async () => {
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1', { level: 2 }) })).status).toBe(403);
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: t.token('sup-2', 'supervisor'), body: visitBody('v-1', { level: 2 }) })).status).toBe(403);
      const own = await call(t, 'POST', '/customers/c-1/visits', { token: t.token('sup-1', 'supervisor'), body: visitBody('v-1', { level: 2 }) });
      expect(own.status).toBe(201);
    });

    it('follows a reassignment: the new rep may act, the old one may not', async () => {
      const reassign = await call(t, 'POST', '/customers/c-1/service-rep', { token: t.token('mgr-1', 'manager'), body: { serviceRepId: 'rep-2' } });
      expect(reassign.status).toBe(201);
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1') })).status).toBe(403);
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: t.token('rep-2', 'rep'), body: visitBody('v-1') })).status).toBe(201);
    });

    it('keeps telemetry to the platform, audit to admins and staff to managers', async () => {
      const usage = { records: [{ customerId: 'c-1', day: '2026-03-09', logins: 1, shopViews: 1, adClicks: 1, inquiriesReceived: 1, inquiriesUnread: 0, messagesUnanswered: 0 }] };
      expect((await call(t, 'POST', '/telemetry/usage', { token: rep1, body: usage })).status).toBe(403);
      expect((await call(t, 'GET', '/admin/customers/c-1/history', { token: t.token('mgr-1', 'manager') })).status).toBe(403);
      expect((await call(t, 'POST', '/groups', { token: t.token('sup-1', 'supervisor'), body: { groupId: 'g3', name: 'x', kind: 'bidding' } })).status).toBe(403);
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: t.token('platform', 'platform'), body: visitBody('v-1') })).status).toBe(403);
    });

    it('checks reps named in a signing exist with the right role', async () => {
      const response = await call(t, 'POST', '/customers', { token: t.token('mgr-1', 'manager'), body: signBody('c-3', 'sales-1') });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('REP_ROLE_MISMATCH');
    });
  });

  describe('idempotency', () => {
    it('returns the first outcome for a retried Idempotency-Key and appends nothing', async () => {
      const headers = { 'idempotency-key': 'visit-c1-0001' };
      const first = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1'), headers });
      const again = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1'), headers });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect({ ...again.body, replayed: false }).toEqual(first.body);
      expect(again.body.replayed).toBe(true);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((await historyOf(t, 'c-1')).events.filter((e: { type: string }) => e.type === 'VisitRecorded')).toHaveLength(1);
    });

    it('refuses the same key with another request on another customer too, and stores nothing', async () => {
      const manager = t.token('mgr-1', 'manager');
      const headers = { 'idempotency-key': 'k-shared' };
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: manager, body: visitBody('v-1'), headers })).status).toBe(201);
      const before = (await historyOf(t, 'c-2')).events.length;
      const other = await call(t, 'POST', '/customers/c-2/visits', { token: manager, body: visitBody('v-1'), headers });
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'This Idempotency-Key was already used for a different request; use a new key for a new request',
      });
      expect((await historyOf(t, 'c-2')).events.length).toBe(before);
      // The first request's retry is still answered as a replay.
      const retry = await call(t, 'POST', '/customers/c-1/visits', { token: manager, body: visitBody('v-1'), headers });
      expect([retry.status, retry.body.replayed]).toStrictEqual([201, true]);
    });

    it('keeps each caller’s keys apart, and checks permission before the key', async () => {
      const headers = { 'idempotency-key': 'k-mine' };
      expect((await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1'), headers })).status).toBe(201);
      // Another user's request under the same key is a request of its own.
      const rep2 = t.token('rep-2', 'rep');
      const theirs = await call(t, 'POST', '/customers/c-2/visits', { token: rep2, body: visitBody('v-1'), headers });
      expect([theirs.status, theirs.body.replayed]).toStrictEqual([201, false]);
      // A rep not assigned to c-1 reusing a key there is refused for what it is: not theirs to act on.
      const intruder = await call(t, 'POST', '/customers/c-1/visits', { token: rep2, body: visitBody('v-1'), headers });
      expect(intruder.status).toBe(403);
    });

    it('refuses the same key for a different request', async () => {
      const headers = { 'idempotency-key': 'k-1' };
      await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-1'), headers });
      const other = await call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody('v-2'), headers });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('money: a payment reference counts once, ever', () => {
    const renewal = (paymentReference: string) => ({ amount: 13000, newTerm: { start: '2027-01-01', end: '2027-12-31' }, paymentReference });

    it('records a renewal once and refuses the reference for any other collection', async () => {
      const manager = t.token('mgr-1', 'manager');
      const first = await call(t, 'POST', '/customers/c-1/renewals', { token: rep1, body: renewal('PAY-0001'), headers: { 'idempotency-key': 'r-1' } });
      expect(first.status).toBe(201);
      const retry = await call(t, 'POST', '/customers/c-1/renewals', { token: rep1, body: renewal('PAY-0001'), headers: { 'idempotency-key': 'r-1' } });
      expect(retry.body.replayed).toBe(true);
      const sameCustomer = await call(t, 'POST', '/customers/c-1/renewals', { token: rep1, body: { ...renewal('PAY-0001'), newTerm: { start: '2028-01-01', end: '2028-12-31' } } });
      expect(sameCustomer.body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
      const otherCustomer = await call(t, 'POST', '/customers/c-2/renewals', { token: manager, body: renewal('PAY-0001') });
      expect(otherCustomer.status).toBe(422);
      expect(otherCustomer.body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
      const renewals = [...(await historyOf(t, 'c-1')).events, ...(await historyOf(t, 'c-2')).events].filter((e: { type: string }) => e.type === 'RenewalCollected');
      expect(renewals).toHaveLength(1);
      expect(renewals[0].data.amountFen).toBe(1_300_000);
    });

    it('reads references that differ only in case, width, dashes or invisible characters as one payment', async () => {
      const manager = t.token('mgr-1', 'manager');
      expect((await call(t, 'POST', '/customers/c-1/renewals', { token: rep1, body: renewal('PAY-F1') })).status).toBe(201);
      for (const variant of ['PAY-F1\u200b', '\u200bPAY-F1', 'ＰＡＹ-F1', 'PAY‐F1', 'pay-f1', ' PAY-F1 ']) {
        const response = await call(t, 'POST', '/customers/c-2/renewals', { token: manager, body: renewal(variant) });
        expect({ variant, status: response.status, code: response.body.code }).toStrictEqual({ variant, status: 422, code: 'PAYMENT_REFERENCE_ALREADY_USED' });
      }
      const nul = await call(t, 'POST', '/customers/c-2/renewals', { token: manager, body: renewal('PAY-F1\u0000') });
      expect(nul.status).toBe(400);
      expect(nul.body.message).toContain('paymentReference must be one line without control characters');
      for (const blank of ['   ', '\t', '\u200b\u200b']) {
        const response = await call(t, 'POST', '/customers/c-2/renewals', { token: manager, body: renewal(blank) });
        expect(response.status).toBe(400);
        expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain('paymentReference');
      }
      expect((await historyOf(t, 'c-2')).events.filter((e: { type: string }) => e.type === 'RenewalCollected')).toHaveLength(0);
    });

    it('never records one reference twice under concurrent requests for two customers', async () => {
      const manager = t.token('mgr-1', 'manager');
      const results = await Promise.all(
        ['c-1', 'c-2', 'c-1', 'c-2'].map((c) => call(t, 'POST', `/customers/${c}/renewals`, { token: manager, body: renewal('PAY-RACE') })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 201).every((r) => r.body.code === 'PAYMENT_REFERENCE_ALREADY_USED')).toBe(true);
    });
  });

  describe('required text', () => {
    it('refuses text of only spaces or invisible characters, naming the field', async () => {
      const manager = t.token('mgr-1', 'manager');
      for (const name of ['   ', '\u200b', '\u200b \u200d', '\ufeff']) {
        const response = await call(t, 'POST', '/reps', { token: manager, body: { repId: 'rep-9', name, role: 'service', groupId: 'g1' } });
        expect(response.status).toBe(400);
        expect(response.body.message).toContain('name must contain visible characters, not only spaces or invisible ones');
      }
      expect((await call(t, 'POST', '/reps', { token: manager, body: { repId: 'rep-9', name: '周 八', role: 'service', groupId: 'g1' } })).status).toBe(201);
    });
  });

  describe('concurrency', () => {
    it('serialises concurrent visits to one customer through retries, each at its own revision', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => call(t, 'POST', '/customers/c-1/visits', { token: rep1, body: visitBody(`v-${i}`) })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
      const revisions = results.map((r) => r.body.events[0].revision);
      expect(new Set(revisions).size).toBe(12);
    });
  });
});
