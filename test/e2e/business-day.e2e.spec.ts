import { BusinessCalendarTicker } from '../../apps/api/src/business-calendar.ticker';
import { BUSINESS_CALENDAR_STREAM } from '#calendar';
import { call, createTestApp, type TestApp } from '../support/test-app';
import { seedTeam, visitBody } from '../support/fixtures';

/** The service writes the business day into the log, and the churn-risk read model moves with it. */
describe('the business day in the log', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2026-03-10T02:00:00.000Z' });
  });
  afterEach(async () => t.close());

  const days = async () => (await t.store.readStream(BUSINESS_CALENDAR_STREAM)).map((event) => event.data.day);

  it('starts today at start-up, once, and every day the clock passes after it in the business time zone', async () => {
    expect(await days()).toStrictEqual(['2026-03-10']);
    const ticker = t.app.get(BusinessCalendarTicker);
    await ticker.tick();
    expect(await days()).toStrictEqual(['2026-03-10']);
    // 16:30 UTC on the 12th is already the 13th in Asia/Shanghai.
    t.clock.set(new Date('2026-03-12T16:30:00.000Z'));
    await ticker.tick();
    expect(await days()).toStrictEqual(['2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
  });

  it('answers churn risk for the new day from the read model, as the computation from facts does for any day', async () => {
    await seedTeam(t);
    await call(t, 'POST', '/customers/c-1/visits', { token: t.token('rep-1', 'rep'), body: visitBody('v-1') });
    t.clock.set(new Date('2026-04-20T02:00:00.000Z'));
    const manager = t.token('mgr-1', 'manager');
    await t.caughtUp();
    const computed = (await call(t, 'GET', '/churn-risk?asOf=2026-04-20', { token: manager })).body;
    expect(computed.total).toBe(2);
    await t.app.get(BusinessCalendarTicker).tick();
    await t.caughtUp();
    const projected = (await call(t, 'GET', '/churn-risk?asOf=2026-04-20', { token: manager })).body;
    expect(projected).toStrictEqual(computed);
    expect(projected.items.map((row: { customerId: string }) => row.customerId).sort()).toStrictEqual(['c-1', 'c-2']);
    const c2 = projected.items.find((row: { customerId: string }) => row.customerId === 'c-2');
    expect(c2.reasons.map((r: { code: string }) => r.code)).toContain('no_contact');
  });
});
