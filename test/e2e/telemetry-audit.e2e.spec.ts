import { EventStore, WrongExpectedRevisionError } from '#event-store';
import { withAppend } from '#testing';
import { historyOf, seedTeam, visitBody } from '../support/fixtures';
import { call, createTestApp, TestApp } from '../support/test-app';

const usage = (customerId: string, day: string, logins = 3) => ({
  customerId,
  day,
  logins,
  shopViews: 40,
  adClicks: 6,
  inquiriesReceived: 2,
  inquiriesUnread: 1,
  messagesUnanswered: 0,
});
const spend = (customerId: string, day: string, amount = 200) => ({ customerId, day, spend: amount, clicks: 300, activeKeywords: 3900 });

describe('platform telemetry', () => {
  let t: TestApp;
  let platform: string;
  beforeEach(async () => {
    t = await createTestApp();
    await seedTeam(t);
    platform = t.token('b2b-site', 'platform');
  });
  afterEach(async () => t.close());

  const spendEvents = async () => (await t.store.readAll({ filter: { streamNamePrefixes: ['spend-'] } })).map((e) => [e.type, e.data.spendFen]);

  it('records a batch, treats a resend as unchanged and a different record as a replacing correction', async () => {
    const first = await call(t, 'POST', '/telemetry/spend', { token: platform, body: { records: [spend('c-1', '2026-03-08'), spend('c-2', '2026-03-08', 50.25)] } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: 2, recorded: 2, corrected: 0, unchanged: 0 });
    const resend = await call(t, 'POST', '/telemetry/spend', { token: platform, body: { records: [spend('c-1', '2026-03-08'), spend('c-2', '2026-03-08', 50.25)] } });
    expect(resend.body).toEqual({ received: 2, recorded: 0, corrected: 0, unchanged: 2 });
    const corrected = await call(t, 'POST', '/telemetry/spend', { token: platform, body: { records: [spend('c-1', '2026-03-08', 180)] } });
    expect(corrected.body).toEqual({ received: 1, recorded: 0, corrected: 1, unchanged: 0 });
    expect(await spendEvents()).toEqual([
      ['DailySpendReported', 20_000],
      ['DailySpendReported', 5_025],
      ['DailySpendCorrected', 18_000],
    ]);
  });

  it('refuses a whole batch with an unknown customer, naming the record, and stores nothing', async () => {
    const head = await t.store.headPosition();
    const response = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records: [usage('c-1', '2026-03-08'), usage('ghost', '2026-03-08')] } });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('UNKNOWN_CUSTOMER');
    expect(response.body.message).toContain('records[1] (ghost)');
    expect(await t.store.headPosition()).toBe(head);
  });

  it('refuses duplicates within a batch, future days and malformed records with 400 by index', async () => {
    const head = await t.store.headPosition();
    const dup = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records: [usage('c-1', '2026-03-08'), usage('c-1', '2026-03-08', 9)] } });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain('records[1] duplicates record 0');
    const future = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records: [usage('c-1', '2026-03-11')] } });
    expect(future.status).toBe(400);
    expect(future.body.message).toContain('in the future');
    const malformed = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records: [usage('c-1', '2026-03-08'), { ...usage('c-2', '2026-03-08'), logins: -2 }] } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.fields[0].field).toBe('records[1].logins');
    const empty = await call(t, 'POST', '/telemetry/usage', { token: platform, body: { records: [] } });
    expect(empty.status).toBe(400);
    expect(await t.store.headPosition()).toBe(head);
  });
});

describe('admin audit', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await seedTeam(t);
  });
  afterEach(async () => t.close());

  it('pages through a customer history in order, with every metadata field', async () => {
    const rep = t.token('rep-1', 'rep');
    for (let i = 0; i < 5; i += 1) await call(t, 'POST', '/customers/c-1/visits', { token: rep, body: visitBody(`v-${i}`) });
    const admin = t.token('admin-1', 'admin');
    const page1 = await call(t, 'GET', '/admin/customers/c-1/history?limit=4', { token: admin });
    expect(page1.status).toBe(200);
    expect(page1.body.events.map((e: { revision: string }) => e.revision)).toEqual(['0', '1', '2', '3']);
    expect(page1.body.nextFromRevision).toBe('4');
    const page2 = await call(t, 'GET', `/admin/customers/c-1/history?limit=4&fromRevision=${page1.body.nextFromRevision}`, { token: admin });
    expect(page2.body.events.map((e: { revision: string }) => e.revision)).toEqual(['4', '5']);
    expect(page2.body.nextFromRevision).toBeNull();
    expect(Object.keys(page1.body.events[0]).sort()).toEqual(
      ['actor', 'causationId', 'commandId', 'correlationId', 'data', 'eventId', 'occurredAt', 'position', 'recordedAt', 'revision', 'schemaVersion', 'type'].sort(),
    );
    expect(page1.body.events[0].actor).toEqual({ id: 'mgr-1', role: 'manager' });
  });

  it('answers 404 for an unknown customer and 400 for a bad page size', async () => {
    const admin = t.token('admin-1', 'admin');
    expect((await call(t, 'GET', '/admin/customers/ghost/history', { token: admin })).status).toBe(404);
    expect((await call(t, 'GET', '/admin/customers/c-1/history?limit=0', { token: admin })).status).toBe(400);
    expect((await call(t, 'GET', '/admin/customers/c-1/history?limit=abc', { token: admin })).status).toBe(400);
  });
});

describe('a conflict that outlasts the retries', () => {
  it('answers 409 and stores nothing of the command', async () => {
    let meddle = false;
    const t = await createTestApp({
      // Another writer appends to the customer's stream between every read and append of ours.
      wrapStore: (store: EventStore): EventStore =>
        withAppend(store, async (name, events, expected) => {
          if (meddle && name === 'customer-c-1' && typeof expected === 'bigint') throw new WrongExpectedRevisionError(name, expected, expected + 1n);
          return store.append(name, events, expected);
        }),
    });
    try {
      await seedTeam(t);
      meddle = true;
      const response = await call(t, 'POST', '/customers/c-1/visits', { token: t.token('rep-1', 'rep'), body: visitBody('v-1') });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('CONCURRENCY_CONFLICT');
      meddle = false;
      expect((await historyOf(t, 'c-1')).events.map((e: { type: string }) => e.type)).toEqual(['CustomerSigned']);
    } finally {
      await t.close();
    }
  });
});
