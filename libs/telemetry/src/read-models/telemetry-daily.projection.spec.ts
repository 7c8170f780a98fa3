import { docsOf, projectInMemory } from '#read-store';
import { type EventInput, expectReplaySafe, recorded } from '#testing';
import { spendSeries } from './daily-series';
import { telemetryDailyProjection as projection } from './telemetry-daily.projection';
import { SPEND_MONTHS_COLLECTION, USAGE_MONTHS_COLLECTION, type SpendMonthDoc, type UsageMonthDoc } from './telemetry-months.doc';

const usage = (day: string, values: Readonly<Record<string, unknown>> = {}, type = 'DailyUsageReported'): EventInput => ({
  type,
  data: { customerId: 'c1', day, logins: 1, shopViews: 2, adClicks: 3, inquiriesReceived: 4, inquiriesUnread: 5, messagesUnanswered: 6, ...values },
});

const spend = (day: string, values: Readonly<Record<string, unknown>> = {}, type = 'DailySpendReported'): EventInput => ({
  type,
  data: { customerId: 'c1', day, spendFen: 10_000, clicks: 30, activeKeywords: 3, ...values },
});

/** 31 zero slots with the given (1-based) days set. */
const slots = (days: Record<number, number>): number[] => Array.from({ length: 31 }, (_, i) => days[i + 1] ?? 0);

describe('telemetry_daily projection', () => {
  it('DailyUsageReported fills the day slot of the customer-month document', () => {
    const working = expectReplaySafe(projection, recorded([usage('2024-03-05'), usage('2024-03-31', { logins: 9 })]));
    expect(docsOf<UsageMonthDoc>(working, USAGE_MONTHS_COLLECTION).get('c1:2024-03')).toStrictEqual({
      id: 'c1:2024-03',
      customerId: 'c1',
      month: '2024-03',
      reported: slots({ 5: 1, 31: 1 }),
      logins: slots({ 5: 1, 31: 9 }),
      shopViews: slots({ 5: 2, 31: 2 }),
      adClicks: slots({ 5: 3, 31: 3 }),
      inquiriesReceived: slots({ 5: 4, 31: 4 }),
      inquiriesUnread: slots({ 5: 5, 31: 5 }),
      messagesUnanswered: slots({ 5: 6, 31: 6 }),
      corrections: 0,
    });
  });

  it('DailyUsageCorrected replaces the day slot and counts the correction', () => {
    const previous = usage('2024-03-05').data;
    const corrected = usage('2024-03-05', { logins: 0, shopViews: 7, previous }, 'DailyUsageCorrected');
    const working = expectReplaySafe(projection, recorded([usage('2024-03-05'), usage('2024-03-06'), corrected]));
    const doc = docsOf<UsageMonthDoc>(working, USAGE_MONTHS_COLLECTION).get('c1:2024-03')!;
    expect(doc.logins).toEqual(slots({ 5: 0, 6: 1 }));
    expect(doc.shopViews).toEqual(slots({ 5: 7, 6: 2 }));
    expect(doc.reported).toEqual(slots({ 5: 1, 6: 1 }));
    expect(doc.corrections).toBe(1);
  });

  it('DailySpendReported fills the spend slots; reports in two months land in two documents', () => {
    const working = expectReplaySafe(projection, recorded([spend('2024-01-31'), spend('2024-02-01', { spendFen: 20_000, clicks: 300, activeKeywords: 3900 })]));
    const docs = docsOf<SpendMonthDoc>(working, SPEND_MONTHS_COLLECTION);
    expect([...docs.keys()].sort()).toEqual(['c1:2024-01', 'c1:2024-02']);
    expect(docs.get('c1:2024-01')).toStrictEqual({
      id: 'c1:2024-01',
      customerId: 'c1',
      month: '2024-01',
      reported: slots({ 31: 1 }),
      spendFen: slots({ 31: 10_000 }),
      clicks: slots({ 31: 30 }),
      activeKeywords: slots({ 31: 3 }),
      corrections: 0,
    });
    expect(docs.get('c1:2024-02')!.spendFen).toEqual(slots({ 1: 20_000 }));
    expect(docs.get('c1:2024-02')!.activeKeywords).toEqual(slots({ 1: 3900 }));
    expect(docsOf(working, USAGE_MONTHS_COLLECTION).size).toBe(0);
  });

  it('DailySpendCorrected replaces the day spend, never adding to it', () => {
    const previous = { customerId: 'c1', day: '2024-01-10', spendFen: 10_000, clicks: 30, activeKeywords: 3 };
    const corrected = spend('2024-01-10', { spendFen: 4_000, clicks: 12, previous }, 'DailySpendCorrected');
    const working = expectReplaySafe(projection, recorded([spend('2024-01-10'), corrected]));
    const doc = docsOf<SpendMonthDoc>(working, SPEND_MONTHS_COLLECTION).get('c1:2024-01')!;
    expect(doc.spendFen).toEqual(slots({ 10: 4_000 }));
    expect(doc.clicks).toEqual(slots({ 10: 12 }));
    expect(doc.corrections).toBe(1);
    expect(spendSeries([doc]).sum('spendFen', '2024-01-01', '2024-01-31')).toBe(4_000);
  });

  it('keeps customers apart, leaves unreported days at zero and ignores other events', () => {
    const other = spend('2024-01-10', { customerId: 'c2', spendFen: 1 });
    const events = recorded([spend('2024-01-10'), other, { type: 'VisitRecorded', data: { customerId: 'c1' } }]);
    expect(projection.touches(events[2]!)).toEqual([]);
    const docs = docsOf<SpendMonthDoc>(expectReplaySafe(projection, events), SPEND_MONTHS_COLLECTION);
    expect(docs.get('c2:2024-01')!.spendFen).toEqual(slots({ 10: 1 }));
    expect(docs.get('c1:2024-01')!.reported.filter((r) => r === 0)).toHaveLength(30);
    expect(spendSeries(docs.values()).value('spendFen', '2024-01-11')).toBeUndefined();
  });

  it('fails loudly, naming the event and position, on a malformed report', () => {
    expect(() => projectInMemory(projection, recorded([spend('2024-01-10', { clicks: Number.NaN })], 4))).toThrow(
      'DailySpendReported at position 4: clicks is not a number',
    );
    expect(() => projectInMemory(projection, recorded([usage('2024-13-01')], 9))).toThrow('DailyUsageReported at position 9: day is not an ISO day');
    const noCustomer = { type: 'DailyUsageReported', data: { day: '2024-01-01' }, streamName: 'usage-x' };
    expect(() => projectInMemory(projection, recorded([noCustomer], 2))).toThrow('DailyUsageReported at position 2: customerId');
  });

  it('declares its name, version, event types and indexes', () => {
    expect(projection.name).toBe('telemetry_daily');
    expect(projection.version).toBe(2);
    expect([...projection.eventTypes].sort()).toEqual(['DailySpendCorrected', 'DailySpendReported', 'DailyUsageCorrected', 'DailyUsageReported']);
    expect(projection.collections.map((c) => [c.name, c.indexes.map((i) => i.fields)])).toEqual([
      ['usage_months', [[['month', 1]], [['customerId', 1]]]],
      ['spend_months', [[['month', 1]], [['customerId', 1]]]],
    ]);
  });
});
