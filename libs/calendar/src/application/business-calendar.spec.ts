import { SqliteEventStore } from '#event-store';
import { BUSINESS_CALENDAR_STREAM } from '../domain/business-day';
import { BusinessCalendar, businessDayEventId } from './business-calendar';

describe('BusinessCalendar', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
  });
  afterEach(async () => store.close());

  const days = async () => (await store.readStream(BUSINESS_CALENDAR_STREAM)).map((e) => [e.revision, e.data.day, e.id, e.metadata.actor.id, e.metadata.origin]);

  it('appends today once, then each missed day once, with an id per day', async () => {
    const calendar = new BusinessCalendar(store);
    expect(await calendar.startDaysThrough('2026-03-10', 'Asia/Shanghai', '2026-03-09T16:00:05.000Z')).toStrictEqual(['2026-03-10']);
    expect(await calendar.startDaysThrough('2026-03-10', 'Asia/Shanghai', '2026-03-09T16:00:35.000Z')).toStrictEqual([]);
    expect(await calendar.startDaysThrough('2026-03-12', 'Asia/Shanghai', '2026-03-11T16:00:05.000Z')).toStrictEqual(['2026-03-11', '2026-03-12']);
    expect(await days()).toStrictEqual([
      [0n, '2026-03-10', businessDayEventId('2026-03-10'), 'business-calendar', 'business calendar'],
      [1n, '2026-03-11', businessDayEventId('2026-03-11'), 'business-calendar', 'business calendar'],
      [2n, '2026-03-12', businessDayEventId('2026-03-12'), 'business-calendar', 'business calendar'],
    ]);
  });

  it('writes each day exactly once when several instances start the same days at the same time', async () => {
    await new BusinessCalendar(store).startDaysThrough('2026-03-01', 'Asia/Shanghai', '2026-03-01T00:00:00.000Z');
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => new BusinessCalendar(store).startDaysThrough('2026-03-05', 'Asia/Shanghai', '2026-03-05T00:00:00.000Z')));
    // An instance that raced another appended the same event ids, which the store keeps once.
    for (const outcome of outcomes) expect(outcome).toStrictEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
    expect((await days()).map(([, day]) => day)).toStrictEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
  });

  it('refuses a malformed day with the reason', async () => {
    await expect(new BusinessCalendar(store).startDaysThrough('2026-13-01', 'Asia/Shanghai', '2026-03-05T00:00:00.000Z')).rejects.toThrow('2026-13-01 is not an ISO day (YYYY-MM-DD)');
  });
});
