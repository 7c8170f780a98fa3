import { type CustomerFactsDoc, isChurnedAsOf, type TermFact } from '#customer';
import { addDays, daysBetween, entryAt, monthStart, type ServiceRules } from '#shared-kernel';

/** Rep KPIs read from customer facts: coverage, expiring customers, renewals and commissions. */
export interface MonthlyCoverage {
  readonly month: { readonly from: string; readonly to: string };
  readonly covered: number;
  readonly assigned: number;
  /** covered ÷ assigned as a fraction; null when nothing is assigned. */
  readonly rate: number | null;
}

export interface RenewalRate {
  readonly due: number;
  readonly renewed: number;
  /** renewed ÷ due as a fraction; null when nothing was due. */
  readonly rate: number | null;
  /** Due terms with no renewal yet whose grace period's last day is `to` or later: not lost yet. */
  readonly awaitingGrace: number;
}

export interface Commission {
  readonly baseFen: number;
  readonly percent: number;
  readonly amountFen: number;
}

export const assignedRepAt = (customer: CustomerFactsDoc, day: string): string | undefined => entryAt(customer.assignments, day)?.repId;

/**
 * Signed by `day` and not churned, or won back by a renewal after the last churn: the one reading of "active" that
 * KPIs, capacity, the worklist and churn risk share (a renewal on the churn's own day is a win-back).
 */
export const activeAt = (customer: CustomerFactsDoc, day: string): boolean => customer.signedOn <= day && !isChurnedAsOf(customer, day);

const contactsBetween = (customer: CustomerFactsDoc, from: string, to: string, repId?: string): number =>
  customer.visits.filter((visit) => visit.reached && visit.on >= from && visit.on <= to && (repId === undefined || visit.repId === repId)).length;

/** The term in force on `day`: the last that started on or before it. */
const termAt = (customer: CustomerFactsDoc, day: string): TermFact | undefined => customer.terms.filter((term) => term.start <= day).at(-1);

const assignedActive = (customers: readonly CustomerFactsDoc[], repId: string, day: string): CustomerFactsDoc[] =>
  customers.filter((customer) => assignedRepAt(customer, day) === repId && activeAt(customer, day));

/** Of the active customers assigned at `to`, those contacted by this rep enough times in `to`'s month so far. */
export const monthlyCoverage = (customers: readonly CustomerFactsDoc[], repId: string, to: string, rules: ServiceRules): MonthlyCoverage => {
  const from = monthStart(to);
  const assigned = assignedActive(customers, repId, to);
  const covered = assigned.filter((customer) => contactsBetween(customer, from, to, repId) >= rules.monthlyContactsPerCustomer).length;
  return { month: { from, to }, covered, assigned: assigned.length, rate: assigned.length === 0 ? null : covered / assigned.length };
};

/** Expiring, unrenewed customers of the rep at `to` with too few contacts by anyone: it is the customer who is at risk. */
export const expiringUnderContacted = (customers: readonly CustomerFactsDoc[], repId: string, to: string, rules: ServiceRules): string[] => {
  const { horizonDays, minContacts, windowDays } = rules.expiring;
  const windowFrom = addDays(to, 1 - windowDays);
  return assignedActive(customers, repId, to)
    .filter((customer) => {
      const term = termAt(customer, to);
      if (!term || (term.renewedOn !== undefined && term.renewedOn <= to)) return false;
      const daysLeft = daysBetween(to, term.end);
      return daysLeft >= 0 && daysLeft <= horizonDays && contactsBetween(customer, windowFrom, to) < minContacts;
    })
    .map((customer) => customer.id)
    .sort();
};

/** Renewals collected in [from, to] for which `role` names the rep. */
export const renewalsIn = (
  customers: readonly CustomerFactsDoc[],
  repId: string,
  role: 'serviceRepId' | 'salesRepId',
  from: string,
  to: string,
): { count: number; amountFen: number } => {
  let count = 0;
  let amountFen = 0;
  for (const customer of customers) {
    for (const renewal of customer.renewals) {
      if (renewal[role] !== repId || renewal.on < from || renewal.on > to) continue;
      count += 1;
      amountFen += renewal.amountFen;
    }
  }
  return { count, amountFen };
};

/** Terms ending in [from, to] whose customer was assigned to the rep on the end day; renewed within the grace days. */
export const renewalRate = (customers: readonly CustomerFactsDoc[], repId: string, from: string, to: string, rules: ServiceRules): RenewalRate => {
  let due = 0;
  let renewed = 0;
  let awaitingGrace = 0;
  for (const customer of customers) {
    for (const term of customer.terms) {
      if (term.end < from || term.end > to || assignedRepAt(customer, term.end) !== repId) continue;
      due += 1;
      const graceEnd = addDays(term.end, rules.renewalGraceDays);
      if (term.renewedOn !== undefined && term.renewedOn <= graceEnd) renewed += 1;
      else if (term.renewedOn === undefined && graceEnd >= to) awaitingGrace += 1;
    }
  }
  return { due, renewed, rate: due === 0 ? null : renewed / due, awaitingGrace };
};

/** Percent of the highest tier the rate reaches; the first tier when there is no rate. */
export const serviceCommissionPercent = (rate: number | null, rules: ServiceRules): number => {
  const tiers = rules.serviceCommissionTiers;
  let percent = tiers[0]?.percent ?? 0;
  if (rate === null) return percent;
  for (const tier of tiers) if (rate >= tier.fromRate) percent = tier.percent;
  return percent;
};

/** Commission on a base, rounded to whole fen only here, at the end. */
export const commission = (baseFen: number, percent: number): Commission => ({ baseFen, percent, amountFen: Math.round((baseFen * percent) / 100) });
