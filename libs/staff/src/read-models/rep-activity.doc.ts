/**
 * What the `rep_activity` projection keeps: one document per rep per business day with the day's counters.
 * Weeks and months are sums of days at query time; distinct customers are unions of the days' lists.
 */
export interface RepDayDoc {
  /** `<repId>:<YYYY-MM-DD>` */
  readonly id: string;
  readonly repId: string;
  readonly day: string;
  /** Visits made by this rep (any channel, reached or not). */
  readonly visits: number;
  /** Phone visits, reached or not. */
  readonly phoneCalls: number;
  /** Visits that reached the customer. */
  readonly contacts: number;
  /** Distinct customers reached this day, sorted. */
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

export const REP_ACTIVITY_PROJECTION = 'rep_activity';
export const REP_DAYS_COLLECTION = 'rep_days';
export const repDayId = (repId: string, day: string): string => `${repId}:${day}`;
