import type { CustomerFactsDoc, RenewalFact, TermFact, VisitFact } from '#customer';
import { daysBetween } from '#shared-kernel';
import { emptyRepDay, type RepDayDoc } from '#staff';

/** Small builders of hand-made read-model documents for the query specs. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const repDay = (repId: string, day: string, overrides: Partial<Mutable<RepDayDoc>> = {}): RepDayDoc => ({
  ...emptyRepDay(repId, day),
  ...overrides,
});

export const workloadDay = (repId: string, day: string, workload: Partial<RepDayDoc['workload']>): RepDayDoc =>
  repDay(repId, day, { workload: { ...repDay(repId, day).workload, ...workload } });

/** `n` distinct customer ids, for days that served that many customers. */
export const served = (n: number): string[] => Array.from({ length: n }, (_, i) => `c-${i + 1}`);

export const customerFacts = (id: string, overrides: Partial<Mutable<CustomerFactsDoc>> = {}): CustomerFactsDoc => {
  const assignments = overrides.assignments ?? [{ repId: 'rep-1', from: overrides.signedOn ?? '2025-01-01' }];
  return {
    id,
    companyName: `Company ${id}`,
    industry: 'travel',
    product: 'membership',
    grade: 'B',
    keyAccount: false,
    contractAmountFen: 1_000_000,
    signedOn: '2025-01-01',
    salesRepId: 'sales-1',
    serviceRepId: assignments.at(-1)?.repId ?? 'rep-1',
    assignments,
    terms: [{ start: '2025-01-01', end: '2025-12-31' }],
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
  };
};

let visitSeq = 0;
export const contact = (on: string, repId = 'rep-1', reached = true): VisitFact => ({
  visitId: `v-${(visitSeq += 1)}`,
  on,
  repId,
  serviceRepId: repId,
  level: 1,
  channel: 'phone',
  purpose: 'care',
  reached,
});

export const term = (start: string, end: string, renewedOn?: string): TermFact => (renewedOn === undefined ? { start, end } : { start, end, renewedOn });

let paymentSeq = 0;
export const renewal = (on: string, amountFen: number, by: { serviceRepId?: string; salesRepId?: string; previousEnd?: string } = {}): RenewalFact => {
  const previousEnd = by.previousEnd ?? '2025-12-31';
  return {
    on,
    amountFen,
    paymentReference: `pay-${(paymentSeq += 1)}`,
    previousTerm: { start: '2025-01-01', end: previousEnd },
    newTerm: { start: '2026-01-01', end: '2026-12-31' },
    collectedBy: by.serviceRepId ?? 'rep-1',
    serviceRepId: by.serviceRepId ?? 'rep-1',
    salesRepId: by.salesRepId ?? 'sales-1',
    daysAfterTermEnd: daysBetween(previousEnd, on),
    winBack: false,
  };
};
