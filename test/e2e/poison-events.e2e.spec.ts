import { call, createTestApp, TestApp } from '../support/test-app';
import { historyOf, seedTeam } from '../support/fixtures';
import { customerStream } from '#customer';
import type { EventToAppend } from '#event-store';

/** Events as an older version of the service let them into logs, written straight to the store. */
const stored = (n: number, type: string, data: Record<string, unknown>): EventToAppend => ({
  id: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
  type,
  data,
  metadata: { commandId: `old-${n}`, correlationId: `old-${n}`, causationId: `old-${n}`, actor: { id: 'rep-1', role: 'rep' }, occurredAt: '2026-03-09T02:00:00.000Z', schemaVersion: 1 },
});

interface Status {
  name: string;
  state: string;
  checkpoint: string;
  head: string;
  failure: { eventId: string; position: string; message: string } | null;
  parked: { eventId: string; reason: string; parkedBy: string; projection: string }[];
}

describe('an event a projection cannot apply, already in the log', () => {
  let t: TestApp;
  let admin: string;
  const statuses = async (): Promise<Status[]> => (await call(t, 'GET', '/admin/projections', { token: admin })).body.projections;
  const settle = async () => {
    for (let i = 0; i < 100; i += 1) {
      const all = await statuses();
      if (all.every((s) => s.state === 'failed' || (s.state === 'live' && s.checkpoint === s.head))) return all;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`projections did not settle: ${JSON.stringify((await statuses()).map((s) => [s.name, s.state, s.checkpoint, s.head, s.failure?.message]))}`);
  };

  beforeEach(async () => {
    t = await createTestApp();
    admin = t.token('admin-1', 'admin');
    await seedTeam(t);
    await t.caughtUp();
  });
  afterEach(async () => t.close());

  it('reads a visit whose effect was stored as [] as a visit with no effect reported: no projection stops', async () => {
    const visit = { customerId: 'c-1', visitId: 'v-old', repId: 'rep-1', level: 1, channel: 'phone', purpose: 'care', reached: true, summary: 'called', visitedOn: '2026-03-09', serviceRepId: 'rep-1' };
    await t.store.append(customerStream('c-1'), [stored(1, 'VisitRecorded', { ...visit, effect: [] })], 'any');
    await t.caughtUp();
    expect((await settle()).filter((s) => s.state !== 'live')).toStrictEqual([]);
    const read = (await historyOf(t, 'c-1')).events.find((e: { type: string; data: { visitId?: string } }) => e.data.visitId === 'v-old');
    expect(read.data).toStrictEqual(visit);
  });

  it('stops the projections at a signing stored with term [], until an admin parks that event for each, with a reason', async () => {
    const signing = stored(2, 'CustomerSigned', {
      customerId: 'c-7', companyName: 'Old Co.', contact: { name: 'Li', phone: '1' }, industry: 'machinery', product: 'bidding', contractAmountFen: 100,
      term: [], salesRepId: 'sales-1', serviceRepId: 'rep-1', grade: 'B', keyAccount: false, signedOn: '2026-03-09',
    });
    await t.store.append(customerStream('c-7'), [signing], 'any');
    const failed = (await settle()).filter((s) => s.state === 'failed');
    expect(failed.map((s) => s.name)).toContain('customer_facts');
    for (const s of failed) expect(s.failure!.eventId).toBe(signing.id);

    const first = failed[0]!.name;
    const url = `/admin/projections/${first}/parked-events`;
    const reason = 'signed with an empty term before the API refused it; the customer was signed again as c-8';
    const analyst = await call(t, 'POST', url, { token: t.token('ana-1', 'analyst'), body: { eventId: signing.id, reason } });
    expect(analyst.status).toBe(403);
    const wrong = await call(t, 'POST', url, { token: admin, body: { eventId: '00000000-0000-4000-a000-000000000009', reason } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('EVENT_NOT_WHERE_STOPPED');
    expect(wrong.body.message).toBe(
      `Projection ${first} cannot park event 00000000-0000-4000-a000-000000000009: it is stopped at event ${signing.id} (position ${failed[0]!.failure!.position}); only the event a projection stopped at can be parked`,
    );
    const noReason = await call(t, 'POST', url, { token: admin, body: { eventId: signing.id } });
    expect(noReason.status).toBe(400);

    for (const s of failed) {
      const parked = await call(t, 'POST', `/admin/projections/${s.name}/parked-events`, { token: admin, body: { eventId: signing.id, reason } });
      expect(parked.status).toBe(201);
      expect(parked.body).toMatchObject({ projection: s.name, eventId: signing.id, eventType: 'CustomerSigned', reason, parkedBy: 'admin-1' });
    }
    await t.caughtUp();
    const after = await settle();
    expect(after.filter((s) => s.state !== 'live')).toStrictEqual([]);
    for (const s of after) {
      const expected = failed.some((f) => f.name === s.name) ? [{ projection: s.name, eventId: signing.id, reason, parkedBy: 'admin-1' }] : [];
      expect(s.parked.map(({ projection, eventId, reason: why, parkedBy }) => ({ projection, eventId, reason: why, parkedBy }))).toStrictEqual(expected);
    }
    // The event stays in the log; the decision is an event too.
    expect((await historyOf(t, 'c-7')).events.map((e: { type: string }) => e.type)).toStrictEqual(['CustomerSigned']);
    // Once parked, the event can no longer be parked again: the projection is not stopped at it.
    expect((await call(t, 'POST', url, { token: admin, body: { eventId: signing.id, reason } })).body.code).toBe('EVENT_NOT_WHERE_STOPPED');
  });
});
