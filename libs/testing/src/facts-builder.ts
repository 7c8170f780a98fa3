import { addDays, daysBetween } from '#shared-kernel';
import { type SpendField, type SpendMonthDoc, spendSeries, type SpendSeries, type UsageField, type UsageMonthDoc, usageSeries, type UsageSeries } from '#telemetry';
import type { CustomerFactsDoc, IssueFact, ReminderFact, VisitFact } from '#customer';

/** Test builders for the query-time views: hand-made fact documents and month documents. */

export const REP = 'rep-1';
export const OTHER_REP = 'rep-2';

/** A customer signed on 2026-01-01 with rep-1, one term for 2026, and no facts yet. */
export const facts = (overrides: Partial<CustomerFactsDoc> = {}): CustomerFactsDoc => ({
  id: 'c-1',
  companyName: 'Kangyu Air Services',
  industry: 'travel',
  product: 'membership',
  grade: 'B',
  keyAccount: false,
  contractAmountFen: 1_200_000,
  signedOn: '2026-01-01',
  salesRepId: 'sales-1',
  serviceRepId: REP,
  assignments: [{ repId: REP, from: '2026-01-01' }],
  terms: [{ start: '2026-01-01', end: '2026-12-31' }],
  status: 'active',
  churns: [],
  visits: [],
  reminders: [],
  renewals: [],
  issues: [],
  complaints: [],
  followUps: [],
  buyerIntroductions: [],
  ...overrides,
});

let visitCount = 0;
/** A level-1 phone call by rep-1 (responsible at the time) that reached the customer. */
export const visit = (on: string, overrides: Partial<VisitFact> = {}): VisitFact => ({
  visitId: `v-${++visitCount}`,
  on,
  repId: REP,
  serviceRepId: REP,
  level: 1,
  channel: 'phone',
  purpose: 'care',
  reached: true,
  ...overrides,
});

export const reminder = (on: string, termEnd: string, overrides: Partial<ReminderFact> = {}): ReminderFact => ({
  reminderId: `r-${on}`,
  on,
  termEnd,
  daysBeforeTermEnd: daysBetween(on, termEnd),
  by: REP,
  channel: 'phone',
  ...overrides,
});

export const issue = (raisedOn: string, overrides: Partial<IssueFact> = {}): IssueFact => ({
  issueId: `i-${raisedOn}`,
  category: 'platform',
  description: 'Inquiries do not show in the back office',
  raisedOn,
  raisedBy: REP,
  ...overrides,
});

/** Days from `from` to `to` (inclusive), each reported with the given values; later ranges replace earlier days. */
export type Range<F extends string> = { readonly from: string; readonly to?: string } & Partial<Record<F, number>>;

const USAGE_FIELDS: readonly UsageField[] = ['logins', 'shopViews', 'adClicks', 'inquiriesReceived', 'inquiriesUnread', 'messagesUnanswered'];
const SPEND_FIELDS: readonly SpendField[] = ['spendFen', 'clicks', 'activeKeywords'];

const monthDocs = <F extends string>(customerId: string, fields: readonly F[], ranges: readonly Range<F>[]) => {
  const months = new Map<string, { reported: number[] } & Record<F, number[]>>();
  for (const range of ranges) {
    for (let day = range.from; day <= (range.to ?? range.from); day = addDays(day, 1)) {
      const key = day.slice(0, 7);
      let doc = months.get(key);
      if (!doc) {
        doc = { reported: new Array<number>(31).fill(0) } as { reported: number[] } & Record<F, number[]>;
        for (const field of fields) (doc as Record<F, number[]>)[field] = new Array<number>(31).fill(0);
        months.set(key, doc);
      }
      const index = Number(day.slice(8, 10)) - 1;
      doc.reported[index] = 1;
      for (const field of fields) doc[field][index] = range[field] ?? 0;
    }
  }
  return [...months].map(([month, doc]) => ({ id: `${customerId}:${month}`, customerId, month, corrections: 0, ...doc }));
};

export const usageOf = (...ranges: Range<UsageField>[]): UsageSeries =>
  usageSeries(monthDocs('c-1', USAGE_FIELDS, ranges) as UsageMonthDoc[]);

export const spendOf = (...ranges: Range<SpendField>[]): SpendSeries =>
  spendSeries(monthDocs('c-1', SPEND_FIELDS, ranges) as SpendMonthDoc[]);

export const NO_USAGE = usageOf();
export const NO_SPEND = spendOf();
