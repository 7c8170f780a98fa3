import { type CustomerFactsDoc } from '#customer';
import { facts, issue, reminder, REP, spendOf, usageOf, visit } from '#testing';
import type { SpendSeries, UsageSeries } from '#telemetry';
import { effectReport, type EffectReport } from './effect-report';
import { selectTerm, type TermSelection, type TermSelector } from './effect-report-terms';

/**
 * The hand-built case the effect-report specs compute from. A bidding customer with term 1 = 2025 (renewed on 2025-12-20) and term 2 = 2026. On ASOF = 2026-03-10 term 2 has
 * run 69 days (Jan 31 + Feb 28 + Mar 10), so it is compared with 2025-01-01 – 2025-03-10 (69 days as well).
 */
export const ASOF = '2026-03-10';
export const REP_NAMES = new Map([[REP, 'Zhang San']]);

export const customer = (overrides: Partial<CustomerFactsDoc> = {}): CustomerFactsDoc =>
  facts({
    product: 'bidding',
    signedOn: '2025-01-01',
    // Reassigned after ASOF: the report names the rep responsible on its last counted day.
    assignments: [
      { repId: REP, from: '2025-01-01' },
      { repId: 'rep-2', from: '2026-03-20' },
    ],
    terms: [
      { start: '2025-01-01', end: '2025-12-31', renewedOn: '2025-12-20' },
      { start: '2026-01-01', end: '2026-12-31' },
    ],
    visits: [
      visit('2025-02-01', { effect: { calls: 2, inquiries: 1, deals: 0 } }),
      visit('2025-02-15', { channel: 'sms', reached: false }),
      visit('2025-08-01', { channel: 'onsite', effect: { calls: 5, inquiries: 4, deals: 1 } }),
      visit('2026-01-10', { effect: { calls: 3, inquiries: 2, deals: 1 } }),
      visit('2026-02-20', { channel: 'onsite', effect: { calls: 1, inquiries: 1, deals: 1 } }),
      visit('2026-03-05', { level: 2, repId: 'sup-1' }),
      // After ASOF: never counted.
      visit('2026-03-11', { effect: { calls: 9, inquiries: 9, deals: 5 } }),
    ],
    issues: [
      issue('2025-02-02', { resolvedOn: '2025-02-05', communicatedOn: '2025-02-06' }),
      issue('2025-12-20', { resolvedOn: '2026-01-05', communicatedOn: '2026-01-06' }),
      issue('2026-02-01', { resolvedOn: '2026-02-03' }),
      issue('2026-03-01'),
    ],
    reminders: [reminder('2025-12-01', '2025-12-31'), reminder('2025-12-10', '2025-12-31')],
    buyerIntroductions: [
      { on: '2025-03-01', by: REP },
      { on: '2026-02-14', by: REP },
      { on: '2026-03-09', by: REP },
    ],
    ...overrides,
  });

export const usage = usageOf(
  // Compared days of term 1 (69): 69 logins, 690 shop views, 138 ad clicks, 138 inquiries.
  { from: '2025-01-01', to: '2025-03-10', logins: 1, shopViews: 10, adClicks: 2, inquiriesReceived: 2 },
  // Later in term 1 (30 days): 90 logins, 30 inquiries, only in the whole-term column.
  { from: '2025-06-01', to: '2025-06-30', logins: 3, inquiriesReceived: 1 },
  // Term 2 so far (69 days): 138 logins, 690 shop views, 207 ad clicks, 207 inquiries.
  { from: '2026-01-01', to: '2026-03-10', logins: 2, shopViews: 10, adClicks: 3, inquiriesReceived: 3 },
  // After ASOF: never counted.
  { from: '2026-03-11', to: '2026-03-12', logins: 100, inquiriesReceived: 100 },
);

export const spend = spendOf(
  // Compared days of term 1: 69 × 100 CNY = 6,900.00 CNY over 69 × 30 = 2,070 clicks → CPC 690,000 / 2,070 = 333.3 fen = 3.33 CNY.
  { from: '2025-01-01', to: '2025-03-10', spendFen: 10_000, clicks: 30, activeKeywords: 3 },
  // October 2025 (31 days): 6,200.00 CNY, 9,300 clicks, 3,900 keywords; whole term 1 = 13,100.00 CNY / 11,370 clicks = 1.15 CNY.
  { from: '2025-10-01', to: '2025-10-31', spendFen: 20_000, clicks: 300, activeKeywords: 3_900 },
  // Term 2: January 31 × 200 CNY and 300 clicks, then 38 days × 150 CNY and 300 clicks.
  { from: '2026-01-01', to: '2026-01-31', spendFen: 20_000, clicks: 300, activeKeywords: 3_900 },
  { from: '2026-02-01', to: '2026-03-10', spendFen: 15_000, clicks: 300, activeKeywords: 4_000 },
);

export const selected = (doc: CustomerFactsDoc, selector: TermSelector, asOf: string): TermSelection => {
  const result = selectTerm(doc, selector, asOf);
  if (!result.ok) throw new Error(result.message);
  return result;
};

export const report = (doc = customer(), selector: TermSelector = { kind: 'current' }, asOf = ASOF, u: UsageSeries = usage, s: SpendSeries = spend): EffectReport =>
  effectReport({ doc, selection: selected(doc, selector, asOf), usage: u, spend: s, asOf, repNames: REP_NAMES });
