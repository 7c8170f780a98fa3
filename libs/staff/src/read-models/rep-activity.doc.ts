import type { ReadModelRef } from '#read-store';
/**
 * What the `rep_activity` projection keeps: one document per rep per business day with the day's counters, and one
 * per rep per ISO week and per calendar month with the same counters over the period.
 */

/** What a rep did over a span of days: counters, the distinct customers served, reminder timing, workload counts. */
export interface RepCounters {
  /** Visits made by this rep (any channel, reached or not). */
  readonly visits: number;
  /** Phone visits, reached or not. */
  readonly phoneCalls: number;
  /** Visits that reached the customer. */
  readonly contacts: number;
  /** Distinct customers reached in the span, sorted. */
  readonly customersServed: readonly string[];
  readonly levelTwoVisits: number;
  readonly remindersSent: number;
  /** Days before the term end of each reminder sent, so "on time" is judged at query time by the configured window. */
  readonly reminderDaysBefore: readonly number[];
  /** Renewals this rep collected (workload). */
  readonly renewalsCollected: number;
  readonly resolutionsCommunicated: number;
  /** Counts of each kind of work; points come from the configured weights at query time (no rebuild on change). */
  readonly workload: {
    readonly phoneReached: number;
    readonly otherContact: number;
    readonly onsiteOrMeeting: number;
    readonly renewalReminder: number;
    readonly renewalCollected: number;
    readonly resolutionCommunicated: number;
  };
}

export interface RepDayDoc extends RepCounters {
  /** `<repId>:<YYYY-MM-DD>` */
  readonly id: string;
  readonly repId: string;
  readonly day: string;
}

/** What the daily targets read of one day: distinct customers served and phone calls. */
export interface RepDayTally {
  readonly customersServed: number;
  readonly phoneCalls: number;
}

export type RepPeriodKind = 'week' | 'month';

/**
 * One rep's ISO week or calendar month, kept for every period the rep worked in: the sums of its days, how many
 * distinct customers were served over the whole period, and each day's tally for the daily targets. A team's week or
 * month is one index read of a small document per rep instead of every rep-day document of the period.
 */
export interface RepPeriodDoc extends Omit<RepCounters, 'customersServed'> {
  /** `<repId>:<week|month>:<first day>` */
  readonly id: string;
  readonly repId: string;
  readonly kind: RepPeriodKind;
  /** The period's first day (a Monday, or the first of a month). */
  readonly from: string;
  /** Distinct customers reached in the period. */
  readonly distinctCustomersServed: number;
  /** Days with any activity, by day. */
  readonly days: Readonly<Record<string, RepDayTally>>;
  /**
   * The customers reached, sorted: the projection's own input for counting them once (a query never reads it, so a
   * team's month does not carry every rep's customer list).
   */
  readonly internal?: { readonly customersServed: readonly string[] };
}

export const REP_ACTIVITY_PROJECTION = 'rep_activity';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 3: a period's customers served kept as internal input, its documents carry their count.
 */
export const REP_ACTIVITY_READ_MODEL: ReadModelRef = { projection: REP_ACTIVITY_PROJECTION, version: 3 };

export const REP_DAYS_COLLECTION = 'rep_days';
export const repDayId = (repId: string, day: string): string => `${repId}:${day}`;
export const REP_PERIODS_COLLECTION = 'rep_periods';
export const REP_PERIODS_BY_PERIOD = 'by_period_rep';
export const repPeriodId = (repId: string, kind: RepPeriodKind, from: string): string => `${repId}:${kind}:${from}`;
