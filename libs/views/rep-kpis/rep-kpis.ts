import type { CustomerFactsDoc } from '#customer';
import { eachDay, isoWeekday, type Period, type ServiceRules } from '#shared-kernel';
import type { RepCounters, RepDayDoc, RepDayTally, RepDoc } from '#staff';
import {
  commission,
  expiringUnderContacted,
  monthlyCoverage,
  renewalRate,
  renewalsIn,
  serviceCommissionPercent,
  type Commission,
  type MonthlyCoverage,
  type RenewalRate,
} from './rep-kpis-customers';

export type { Commission, MonthlyCoverage, RenewalRate } from './rep-kpis-customers';

export type WorkloadKind = keyof RepDayDoc['workload'];
const WORKLOAD_KINDS: readonly WorkloadKind[] = ['phoneReached', 'otherContact', 'onsiteOrMeeting', 'renewalReminder', 'renewalCollected', 'resolutionCommunicated'];

export interface Workload {
  readonly points: Readonly<Record<WorkloadKind, number>>;
  readonly total: number;
  /** Null for days and weeks (the score is assessed against the threshold once a month) and for reps who are not service reps. */
  readonly fineFen: number | null;
  readonly bonusFen: number | null;
}

export interface DailyTarget {
  readonly day: string;
  readonly customersServed: number;
  readonly phoneCalls: number;
  readonly customersServedMet: boolean;
  readonly phoneCallsMet: boolean;
}

export interface RepKpis {
  readonly repId: string;
  readonly period: Period;
  readonly calls: number;
  readonly contacts: number;
  readonly visits: number;
  readonly distinctCustomersServed: number;
  readonly levelTwoVisits: number;
  readonly monthlyCoverage: MonthlyCoverage;
  readonly expiringUnderContacted: { readonly count: number; readonly customerIds: readonly string[] };
  /** late + early = sent − onTime: late is closer to the term end than the window allows, early further. */
  readonly reminders: { readonly sent: number; readonly onTime: number; readonly late: number; readonly early: number };
  readonly renewals: { readonly count: number; readonly amountFen: number };
  readonly renewalRate: RenewalRate;
  readonly workload: Workload;
  readonly serviceCommission: { readonly ratePercent: number; readonly baseFen: number; readonly amountFen: number };
  /** Reported apart from the service commission; these renewals are never counted as new sales. */
  readonly salesCommission: Commission;
  readonly dailyTargets: {
    readonly days: readonly DailyTarget[];
    readonly summary: { readonly workingDays: number; readonly customersServedMet: number; readonly phoneCallsMet: number; readonly bothMet: number };
  };
}

export interface RepKpisInput {
  readonly rep: Pick<RepDoc, 'id' | 'role'>;
  readonly period: Period;
  /** The rep's day documents; others' and those outside the period are ignored. */
  readonly days: readonly RepDayDoc[];
  /** Every customer whose assignment history ever names the rep, or whose sales rep it is. */
  readonly customers: readonly CustomerFactsDoc[];
  readonly rules: ServiceRules;
}

/** What a rep did in a period: the counters over the whole period, and each day's tally for the daily targets. */
export interface RepActivity extends Omit<RepCounters, 'customersServed'> {
  /** Distinct customers reached over the whole period. */
  readonly distinctCustomersServed: number;
  readonly days: Readonly<Record<string, RepDayTally>>;
}

const sum = (days: readonly RepDayDoc[], pick: (day: RepDayDoc) => number): number => days.reduce((total, day) => total + pick(day), 0);

/** A rep's activity in a period from the rep's day documents (others' and those outside the period are ignored). */
export const activityOfDays = (days: readonly RepDayDoc[], repId: string, period: Period): RepActivity => {
  const own = days.filter((day) => day.repId === repId && day.day >= period.from && day.day <= period.to);
  const workload = (kind: WorkloadKind) => sum(own, (day) => day.workload[kind]);
  return {
    visits: sum(own, (day) => day.visits),
    phoneCalls: sum(own, (day) => day.phoneCalls),
    contacts: sum(own, (day) => day.contacts),
    distinctCustomersServed: new Set(own.flatMap((day) => day.customersServed)).size,
    levelTwoVisits: sum(own, (day) => day.levelTwoVisits),
    remindersSent: sum(own, (day) => day.remindersSent),
    reminderDaysBefore: own.flatMap((day) => day.reminderDaysBefore),
    renewalsCollected: sum(own, (day) => day.renewalsCollected),
    resolutionsCommunicated: sum(own, (day) => day.resolutionsCommunicated),
    workload: Object.fromEntries(WORKLOAD_KINDS.map((kind) => [kind, workload(kind)])) as unknown as RepCounters['workload'],
    days: Object.fromEntries(own.map((day) => [day.day, { customersServed: day.customersServed.length, phoneCalls: day.phoneCalls }])),
  };
};

const reminders = (activity: RepActivity, rules: ServiceRules): RepKpis['reminders'] => {
  const { earliestDaysBefore, latestDaysBefore } = rules.reminderWindow;
  const late = activity.reminderDaysBefore.filter((before) => before < latestDaysBefore).length;
  const early = activity.reminderDaysBefore.filter((before) => before > earliestDaysBefore).length;
  const sent = activity.remindersSent;
  return { sent, onTime: sent - late - early, late, early };
};

/**
 * Points are counts × the configured weights, so a changed weight needs no rebuild. The monthly threshold with its
 * fine or bonus is the service reps' workload assessment (工作量考核); supervisors and sales reps get their points
 * without one.
 */
export const workloadScore = (counts: RepCounters['workload'], kind: Period['kind'], rules: ServiceRules, role: RepDoc['role']): Workload => {
  const weights = rules.workload.points;
  const points: Record<WorkloadKind, number> = {
    phoneReached: counts.phoneReached * weights.phoneReached,
    otherContact: counts.otherContact * weights.otherContact,
    onsiteOrMeeting: counts.onsiteOrMeeting * weights.onsiteOrMeeting,
    renewalReminder: counts.renewalReminder * weights.renewalReminder,
    renewalCollected: counts.renewalCollected * weights.renewalCollected,
    resolutionCommunicated: counts.resolutionCommunicated * weights.resolutionCommunicated,
  };
  const total = points.phoneReached + points.otherContact + points.onsiteOrMeeting + points.renewalReminder + points.renewalCollected + points.resolutionCommunicated;
  if (role !== 'service') return { points, total, fineFen: null, bonusFen: null };
  switch (kind) {
    case 'day':
    case 'week':
      return { points, total, fineFen: null, bonusFen: null };
    case 'month': {
      const { monthlyThreshold, fineFenPerPoint, bonusFenPerPoint } = rules.workload;
      const fineFen = total < monthlyThreshold ? Math.round((monthlyThreshold - total) * fineFenPerPoint) : 0;
      const bonusFen = total > monthlyThreshold ? Math.round((total - monthlyThreshold) * bonusFenPerPoint) : 0;
      return { points, total, fineFen, bonusFen };
    }
    default: {
      const unknown: never = kind;
      throw new RangeError(`Unknown period kind ${String(unknown)}`);
    }
  }
};

/** The working days of the last period asked for (a team's rows share them): the days, and what they were computed from. */
let lastWorkingDays: { readonly from: string; readonly to: string; readonly weekdays: readonly number[]; readonly days: readonly string[] } | undefined;

/** The working days of a period, in order. */
const workingDaysIn = (period: Period, weekdays: readonly number[]): readonly string[] => {
  const last = lastWorkingDays;
  if (last && last.from === period.from && last.to === period.to && last.weekdays === weekdays) return last.days;
  const days = eachDay(period.from, period.to).filter((day) => weekdays.includes(isoWeekday(day)));
  lastWorkingDays = { from: period.from, to: period.to, weekdays, days };
  return days;
};

/** One row per working day of the period; a day without a document counts as a day with nothing done. */
export const dailyTargets = (days: RepActivity['days'], period: Period, rules: ServiceRules): RepKpis['dailyTargets'] => {
  const targets = rules.dailyTargets;
  const rows: DailyTarget[] = [];
  let customersServedMet = 0;
  let phoneCallsMet = 0;
  let bothMet = 0;
  for (const day of workingDaysIn(period, rules.workingDays)) {
    const tally = Object.hasOwn(days, day) ? days[day] : undefined;
    const customersServed = tally?.customersServed ?? 0;
    const phoneCalls = tally?.phoneCalls ?? 0;
    const served = customersServed >= targets.customersServed;
    const called = phoneCalls >= targets.phoneCalls;
    rows.push({ day, customersServed, phoneCalls, customersServedMet: served, phoneCallsMet: called });
    if (served) customersServedMet += 1;
    if (called) phoneCallsMet += 1;
    if (served && called) bothMet += 1;
  }
  return { days: rows, summary: { workingDays: rows.length, customersServedMet, phoneCallsMet, bothMet } };
};

/** What a rep's KPIs read of the customers: figures that are counts and sums over customers. */
export interface CustomerFigures {
  readonly monthlyCoverage: MonthlyCoverage;
  /** Sorted customer ids. */
  readonly expiring: readonly string[];
  readonly renewals: { readonly count: number; readonly amountFen: number };
  readonly salesRenewals: { readonly count: number; readonly amountFen: number };
  readonly renewalRate: RenewalRate;
}

/** The customer figures of one rep's period, from the customers that name the rep. */
export const customerFigures = (customers: readonly CustomerFactsDoc[], repId: string, period: Period, rules: ServiceRules): CustomerFigures => ({
  monthlyCoverage: monthlyCoverage(customers, repId, period.to, rules),
  expiring: expiringUnderContacted(customers, repId, period.to, rules),
  renewals: renewalsIn(customers, repId, 'serviceRepId', period.from, period.to),
  salesRenewals: renewalsIn(customers, repId, 'salesRepId', period.from, period.to),
  renewalRate: renewalRate(customers, repId, period.from, period.to, rules),
});

/** A rep's KPIs for a day, an ISO week or a calendar month, computed at query time from dated facts. */
export const repKpis = ({ rep, period, days, customers, rules }: RepKpisInput): RepKpis =>
  repKpisFrom({ rep, period, activity: activityOfDays(days, rep.id, period), figures: customerFigures(customers, rep.id, period, rules), rules });

export interface RepKpisFromInput {
  readonly rep: Pick<RepDoc, 'id' | 'role'>;
  readonly period: Period;
  /** The rep's activity in the period (summed from its days, or read from its week or month document). */
  readonly activity: RepActivity;
  /** The customer figures of the period (computed, or read from a read model). */
  readonly figures: CustomerFigures;
  readonly rules: ServiceRules;
}

/** A rep's KPIs from the rep's activity and the customer figures of the period. */
export const repKpisFrom = ({ rep, period, activity, figures, rules }: RepKpisFromInput): RepKpis => {
  const expiring = figures.expiring;
  const renewals = figures.renewals;
  const rate = figures.renewalRate;
  const service = commission(renewals.amountFen, serviceCommissionPercent(rate.rate, rules));
  const sales = figures.salesRenewals;
  return {
    repId: rep.id,
    period,
    calls: activity.phoneCalls,
    contacts: activity.contacts,
    visits: activity.visits,
    distinctCustomersServed: activity.distinctCustomersServed,
    levelTwoVisits: activity.levelTwoVisits,
    monthlyCoverage: figures.monthlyCoverage,
    expiringUnderContacted: { count: expiring.length, customerIds: expiring },
    reminders: reminders(activity, rules),
    renewals,
    renewalRate: rate,
    workload: workloadScore(activity.workload, period.kind, rules, rep.role),
    serviceCommission: { ratePercent: service.percent, baseFen: service.baseFen, amountFen: service.amountFen },
    salesCommission: commission(sales.amountFen, rules.salesCommissionPercent),
    dailyTargets: dailyTargets(activity.days, period, rules),
  };
};
