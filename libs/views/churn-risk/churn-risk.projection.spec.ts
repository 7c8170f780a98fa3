import { docsOf, projectInMemory } from '#read-store';
import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { type EventInput, expectReplaySafe, recorded } from '#testing';
import type { AssignmentDoc, CalendarDoc, ChurnRiskDoc } from './churn-risk.doc';
import { churnRiskProjection } from './churn-risk.projection';

const projection = churnRiskProjection(DEFAULT_SERVICE_RULES);
const day = (d: string): EventInput => ({ type: 'BusinessDayStarted', data: { day: d, timeZone: 'Asia/Shanghai' }, streamName: 'businessCalendar-days' });
const signed = (customerId: string, signedOn: string, serviceRepId = 'rep-1'): EventInput => ({
  type: 'CustomerSigned',
  data: {
    customerId,
    companyName: `${customerId} Ltd.`,
    contact: { name: 'Li', phone: '1' },
    industry: 'valves',
    product: 'bidding',
    contractAmountFen: 100,
    term: { start: signedOn, end: '2026-12-31' },
    salesRepId: 's-1',
    serviceRepId,
    grade: 'B',
    keyAccount: false,
    signedOn,
  },
});
const usage = (customerId: string, d: string, logins: number): EventInput => ({
  type: 'DailyUsageReported',
  data: { customerId, day: d, logins, shopViews: 0, adClicks: 0, inquiriesReceived: 1, inquiriesUnread: 0, messagesUnanswered: 0 },
});
const spend = (customerId: string, d: string, spendFen: number): EventInput => ({ type: 'DailySpendReported', data: { customerId, day: d, spendFen, clicks: 1, activeKeywords: 1 } });

const risks = (events: readonly EventInput[]) => docsOf<ChurnRiskDoc>(projectInMemory(projection as never, recorded(events)), 'risks');
const inputs = (events: readonly EventInput[]) => new Map([...risks(events)].map(([id, doc]) => [id, doc.internal]));
const codes = (doc: ChurnRiskDoc | undefined) => doc?.reasons.map((r) => r.code);

describe('churn_risk projection', () => {
  it('scores nothing before the first business day, then scores each customer for the day', () => {
    const log = [signed('c-1', '2026-01-01'), usage('c-1', '2026-01-02', 1), spend('c-1', '2026-01-02', 1000)];
    const { internal, ...shown } = risks(log).get('c-1')!;
    expect(shown).toStrictEqual({ id: 'c-1', day: null, listed: false, serviceRepId: null, companyName: null, product: null, keyAccount: false, score: 0, level: 'low', reasons: [], onWorklist: false, worklist: [] });
    expect(internal.facts?.signedOn).toBe('2026-01-01');
    const on = risks([...log, day('2026-01-03')]).get('c-1')!;
    expect(on).toMatchObject({ day: '2026-01-03', listed: true, serviceRepId: 'rep-1', companyName: 'c-1 Ltd.', product: 'bidding' });
    expect(codes(on)).toStrictEqual([]);
  });

  it('moves figures that depend on the calendar when a business day is projected, not before', () => {
    const log = [day('2026-01-01'), signed('c-1', '2026-01-01'), usage('c-1', '2026-01-01', 3), spend('c-1', '2026-01-01', 1000)];
    // Day 13 after the last login is not 14; day 14 is.
    expect(codes(risks([...log, day('2026-01-14')]).get('c-1'))).not.toContain('no_login');
    expect(codes(risks([...log, day('2026-01-15')]).get('c-1'))).toContain('no_login');
    // Spend stopped: dormant after 7 days without spend.
    expect(codes(risks([...log, day('2026-01-08')]).get('c-1'))).toContain('dormant');
  });

  it("puts a customer on its rep's worklist on the day something falls due, with the items the worklist shows", () => {
    const followUp = { type: 'FollowUpScheduled', data: { customerId: 'c-1', followUpId: 'f-1', dueOn: '2026-01-03', repId: 'rep-1' } };
    const log = [day('2026-01-01'), signed('c-1', '2026-01-01'), usage('c-1', '2026-01-01', 3), followUp];
    expect(risks([...log, day('2026-01-02')]).get('c-1')).toMatchObject({ onWorklist: false, worklist: [] });
    expect(risks([...log, day('2026-01-03')]).get('c-1')).toMatchObject({ onWorklist: true, worklist: [{ kind: 'follow_up_due', detail: 'follow-up due today', dueOn: '2026-01-03' }] });
    const done = { type: 'FollowUpCompleted', data: { customerId: 'c-1', followUpId: 'f-1', visitId: 'v-1', completedOn: '2026-01-03' } };
    expect(risks([...log, day('2026-01-03'), done]).get('c-1')).toMatchObject({ onWorklist: false, worklist: [] });
  });

  it('lists a customer from its signing day, under the rep assigned that day, until it churns', () => {
    const log = [
      day('2026-01-01'),
      signed('c-1', '2026-01-05'),
      { type: 'ServiceRepAssigned', data: { customerId: 'c-1', serviceRepId: 'rep-2', previousServiceRepId: 'rep-1', assignedOn: '2026-01-06' } },
    ];
    expect(risks(log).get('c-1')).toMatchObject({ listed: false, serviceRepId: null });
    expect(risks([...log, day('2026-01-05')]).get('c-1')).toMatchObject({ listed: true, serviceRepId: 'rep-1' });
    expect(risks([...log, day('2026-01-06')]).get('c-1')).toMatchObject({ listed: true, serviceRepId: 'rep-2' });
    const churned = { type: 'CustomerChurned', data: { customerId: 'c-1', kind: 'cancelled', termEnd: '2026-12-31', churnedOn: '2026-01-07' } };
    expect(risks([...log, day('2026-01-06'), churned]).get('c-1')).toMatchObject({ listed: true });
    expect(risks([...log, day('2026-01-06'), churned, day('2026-01-07')]).get('c-1')).toMatchObject({ listed: false, score: 0, reasons: [] });
  });

  it('keeps every rep a customer was assigned to, and the day it has reached', () => {
    const working = projectInMemory(projection as never, recorded([day('2026-01-01'), signed('c-1', '2026-01-01'), { type: 'ServiceRepAssigned', data: { customerId: 'c-1', serviceRepId: 'rep-2', previousServiceRepId: 'rep-1', assignedOn: '2026-01-02' } }, day('2026-01-02')]));
    expect([...docsOf<AssignmentDoc>(working, 'assignments').values()]).toStrictEqual([
      { id: 'c-1:rep-1', customerId: 'c-1', repId: 'rep-1' },
      { id: 'c-1:rep-2', customerId: 'c-1', repId: 'rep-2' },
    ]);
    expect(docsOf<CalendarDoc>(working, 'calendar').get('today')).toStrictEqual({ id: 'today', day: '2026-01-02' });
  });

  it('ignores telemetry older than the look-back and keeps only the months it can still reach', () => {
    const log = [signed('c-1', '2025-01-01'), day('2026-03-31'), spend('c-1', '2026-02-24', 500), spend('c-1', '2026-02-23', 500), usage('c-1', '2026-01-10', 1)];
    const doc = inputs(log).get('c-1')!;
    expect(doc.spend.map((m) => [m.month, m.spendFen.filter((v) => v > 0).length])).toStrictEqual([['2026-02', 1]]);
    expect(doc.usage).toStrictEqual([]);
    expect(inputs([...log, day('2026-05-01')]).get('c-1')!.spend).toStrictEqual([]);
  });

  it('keeps the months in order whatever order their reports come in, a month once', () => {
    const reports = [usage('c-1', '2026-03-02', 1), usage('c-1', '2026-01-30', 2), usage('c-1', '2026-02-10', 3), usage('c-1', '2026-03-03', 4), usage('c-1', '2026-01-31', 5)];
    const months = inputs([signed('c-1', '2025-01-01'), ...reports, day('2026-03-05')]).get('c-1')!.usage;
    expect(months.map((m) => [m.month, m.logins.filter((v) => v > 0)])).toStrictEqual([
      ['2026-01', [2, 5]],
      ['2026-02', [3]],
      ['2026-03', [1, 4]],
    ]);
    expect(inputs([signed('c-1', '2025-01-01'), ...reports.reverse(), day('2026-03-05')]).get('c-1')!.usage.map((m) => m.month)).toStrictEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('a business day that comes late (the log has a later one) leaves the day as it is', () => {
    const working = projectInMemory(projection as never, recorded([signed('c-1', '2026-01-01'), day('2026-01-05'), day('2026-01-04')]));
    expect(docsOf<CalendarDoc>(working, 'calendar').get('today')!.day).toBe('2026-01-05');
    expect(docsOf<ChurnRiskDoc>(working, 'risks').get('c-1')!.day).toBe('2026-01-05');
  });

  it('is replay-safe: replayed, halved or overlapping batches give the same documents', () => {
    const log = [
      day('2026-01-01'),
      signed('c-1', '2026-01-01'),
      signed('c-2', '2026-01-01', 'rep-2'),
      usage('c-1', '2026-01-01', 2),
      spend('c-2', '2026-01-01', 900),
      day('2026-01-02'),
      { type: 'VisitRecorded', data: { customerId: 'c-1', visitId: 'v-1', repId: 'rep-1', serviceRepId: 'rep-1', level: 1, channel: 'phone', purpose: 'care', reached: true, summary: 's', satisfaction: 2, visitedOn: '2026-01-02' } },
      { type: 'IssueRaised', data: { customerId: 'c-2', issueId: 'i-1', category: 'billing', description: 'd', raisedBy: 'rep-2', raisedOn: '2026-01-02' } },
      day('2026-01-20'),
      { type: 'DailySpendCorrected', data: { customerId: 'c-2', day: '2026-01-01', spendFen: 0, clicks: 0, activeKeywords: 0, previous: { customerId: 'c-2', day: '2026-01-01', spendFen: 1, clicks: 1, activeKeywords: 1 } } },
    ];
    const working = expectReplaySafe(projection as never, recorded(log));
    const c2 = docsOf<ChurnRiskDoc>(working, 'risks').get('c-2')!;
    expect(codes(c2)).toContain('issue_open');
    expect(codes(docsOf<ChurnRiskDoc>(working, 'risks').get('c-1'))).toContain('low_satisfaction');
  });

  it('stops at an event without a customer id, naming it', () => {
    expect(() => projectInMemory(projection as never, recorded([{ type: 'VisitRecorded', data: { visitId: 'v' } }]))).toThrow('VisitRecorded at position 1: customerId is not a non-empty string');
  });
});
