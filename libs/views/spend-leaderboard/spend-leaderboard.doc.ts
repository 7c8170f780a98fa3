import type { ReadModelRef } from '#read-store';
import type { LeaderboardFacts } from './spend-leaderboard';
import type { CustomerWeek } from './spend-leaderboard-rows';
import type { SpendMonthDoc } from '#telemetry';

export const SPEND_LEADERBOARD_PROJECTION = 'spend_leaderboard';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 2: customers in a rowid table, contributions with declared field types.
 */
export const SPEND_LEADERBOARD_READ_MODEL: ReadModelRef = { projection: SPEND_LEADERBOARD_PROJECTION, version: 2 };

/** One document per customer: its facts and spend (internal), the business day reached, whether it bids. */
export const LEADERBOARD_CUSTOMERS_COLLECTION = 'customers';
/** One document per week and customer: what the customer adds to that week's boards. */
export const CONTRIBUTIONS_COLLECTION = 'contributions';
export const LEADERBOARD_CALENDAR_COLLECTION = 'calendar';
export const LEADERBOARD_CALENDAR_DOC_ID = 'today';
/** The name readers outside the service use for the contributions, whatever generation is live. */
export const SPEND_LEADERBOARD_PUBLISHED_NAME = 'spend_leaderboard';
/** The index a week's boards are summed through. */
export const CONTRIBUTIONS_BY_WEEK = 'by_week_rep';
/** Weeks kept up to date: the current one and the seven before it. Older weeks are computed from the facts. */
export const KEPT_WEEKS = 8;

export interface LeaderboardCalendarDoc {
  readonly id: typeof LEADERBOARD_CALENDAR_DOC_ID;
  readonly day: string;
  /**
   * The first Monday projected: from that week on, every bidding customer has a contribution each week (the
   * Monday moves them all), so earlier weeks are computed from the facts.
   */
  readonly firstMonday: string | null;
}

export interface LeaderboardCustomerDoc {
  /** The customer id. */
  readonly id: string;
  /** The business day reached: the kept weeks end with its week. Null before the log's first business day. */
  readonly day: string | null;
  /** A bidding customer (the only ones on the boards); false until its signing is known. */
  readonly bidding: boolean;
  readonly internal: {
    readonly facts: LeaderboardFacts | null;
    /** Every month of spend reported (the weeks kept and the days each looks back to). */
    readonly spend: readonly SpendMonthDoc[];
  };
}

/** A customer's contribution to one week's boards; `listed: false` when it adds nothing that week. */
export type ContributionDoc = ListedContribution | UnlistedContribution;

/** A customer's week as the boards sum it (`CustomerWeek`), stored under its week. */
export interface ListedContribution extends CustomerWeek {
  /** `<weekMonday>:<customerId>` */
  readonly id: string;
  /** The Monday of the week. */
  readonly week: string;
  readonly listed: true;
}

export interface UnlistedContribution {
  readonly id: string;
  readonly week: string;
  readonly customerId: string;
  readonly listed: false;
}

export const contributionId = (week: string, customerId: string): string => `${week}:${customerId}`;
