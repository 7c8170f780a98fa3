/**
 * Every number the views use (DOMAIN.md "Rules and KPIs", "Bidding accounts", "Churn risk"), as data.
 * These are the defaults; the application reads overrides from configuration and validates them at start-up.
 * Money is in fen; rates are fractions (0.5 = 50 %).
 */
export interface ServiceRules {
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday); daily targets apply on these. */
  readonly workingDays: readonly number[];
  readonly dailyTargets: { readonly customersServed: number; readonly phoneCalls: number };
  /** Contacts each assigned customer must have in every calendar month. */
  readonly monthlyContactsPerCustomer: number;
  /** A renewal reminder is on time when sent this many days before the term end (inclusive range). */
  readonly reminderWindow: { readonly earliestDaysBefore: number; readonly latestDaysBefore: number };
  /** Customers whose term ends within `horizonDays` need `minContacts` in every `windowDays`. */
  readonly expiring: { readonly horizonDays: number; readonly minContacts: number; readonly windowDays: number };
  /** Visit cadence in days: a customer is overdue after `maxDays` (key accounts after `keyAccountDays`). */
  readonly visitCadence: { readonly minDays: number; readonly maxDays: number; readonly keyAccountDays: number };
  readonly workload: {
    readonly points: {
      readonly phoneReached: number;
      readonly otherContact: number;
      readonly onsiteOrMeeting: number;
      readonly renewalReminder: number;
      readonly renewalCollected: number;
      readonly resolutionCommunicated: number;
    };
    readonly monthlyThreshold: number;
    readonly fineFenPerPoint: number;
    readonly bonusFenPerPoint: number;
  };
  /** Service-rep commission tiers by renewal rate, ascending by `fromRate`; the first starts at 0. */
  readonly serviceCommissionTiers: readonly { readonly fromRate: number; readonly percent: number }[];
  readonly salesCommissionPercent: number;
  /** A renewal counts for the renewal rate when collected no later than this many days after the term end. */
  readonly renewalGraceDays: number;
  readonly leaderboard: {
    /** Average daily spend in W−1 at or above which a customer is a key account for W. */
    readonly keyAccountDailySpendFen: number;
    readonly dormantAfterDays: number;
    readonly deadAfterDays: number;
  };
  readonly pipelineWindows: readonly number[];
  readonly churn: {
    readonly levels: { readonly high: number; readonly medium: number };
    readonly cap: number;
    /** Tiers by days without a login; the highest tier reached counts. */
    readonly noLogin: readonly { readonly days: number; readonly points: number }[];
    /** Tiers by days without a contact by the service rep (strictly more than `days`). */
    readonly noContact: readonly { readonly days: number; readonly points: number }[];
    readonly expiringUnderContacted: { readonly withinDays: number; readonly minContacts: number; readonly windowDays: number; readonly points: number };
    readonly expiringWithoutReminder: { readonly withinDays: number; readonly points: number };
    readonly noInquiry: { readonly windowDays: number; readonly points: number };
    readonly unreadInquiries: { readonly moreThan: number; readonly points: number };
    readonly spendDrop: { readonly recentDays: number; readonly baselineDays: number; readonly belowRatio: number; readonly points: number };
    readonly dormant: { readonly days: number; readonly points: number };
    readonly issueOpen: { readonly moreThanDays: number; readonly points: number };
    readonly resolvedNotCommunicated: { readonly points: number };
    readonly lowSatisfaction: { readonly atMost: number; readonly points: number };
    readonly openComplaint: { readonly points: number };
  };
  /** Visit quality (seed 003): two levels of visits are wanted; uncoordinated visits by several reps are not. */
  readonly visitQuality: {
    /** Level-1 visits of one customer by different reps within this many consecutive days are multi-head visits. */
    readonly multiHeadWindowDays: number;
    /** A satisfaction score at or below this is low. */
    readonly lowSatisfactionAtMost: number;
  };
  /** Staffing (seed 001): customers per rep and the team the customer count calls for. */
  readonly capacity: {
    /** Customers one service rep handles. */
    readonly customersPerRep: number;
    /** Customers one rep can carry at a stretch: the low end of a recommended range (1,000 customers → 4 reps). */
    readonly stretchedCustomersPerRep: number;
    /** From this many customers a dedicated service rep is needed; below it the work is done part-time. */
    readonly dedicatedRepFrom: number;
    /** From this many customers an after-sales manager is recommended. */
    readonly managerFrom: number;
    /** With more service reps than this a manager is optional. */
    readonly managerOptionalAboveReps: number;
  };
}

export const DEFAULT_SERVICE_RULES: ServiceRules = {
  workingDays: [1, 2, 3, 4, 5],
  dailyTargets: { customersServed: 5, phoneCalls: 10 },
  monthlyContactsPerCustomer: 1,
  reminderWindow: { earliestDaysBefore: 30, latestDaysBefore: 15 },
  expiring: { horizonDays: 90, minContacts: 2, windowDays: 30 },
  visitCadence: { minDays: 14, maxDays: 30, keyAccountDays: 14 },
  workload: {
    points: { phoneReached: 2, otherContact: 1, onsiteOrMeeting: 10, renewalReminder: 1, renewalCollected: 20, resolutionCommunicated: 3 },
    monthlyThreshold: 500,
    fineFenPerPoint: 100,
    bonusFenPerPoint: 30,
  },
  serviceCommissionTiers: [
    { fromRate: 0, percent: 3 },
    { fromRate: 0.5, percent: 4 },
    { fromRate: 0.7, percent: 5 },
    { fromRate: 0.85, percent: 6 },
  ],
  salesCommissionPercent: 3,
  renewalGraceDays: 30,
  leaderboard: { keyAccountDailySpendFen: 20_000, dormantAfterDays: 7, deadAfterDays: 30 },
  pipelineWindows: [15, 30, 90],
  churn: {
    levels: { high: 60, medium: 30 },
    cap: 100,
    noLogin: [
      { days: 14, points: 20 },
      { days: 30, points: 30 },
    ],
    noContact: [
      { days: 30, points: 20 },
      { days: 45, points: 25 },
    ],
    expiringUnderContacted: { withinDays: 90, minContacts: 2, windowDays: 30, points: 15 },
    expiringWithoutReminder: { withinDays: 30, points: 10 },
    noInquiry: { windowDays: 30, points: 15 },
    unreadInquiries: { moreThan: 5, points: 5 },
    spendDrop: { recentDays: 7, baselineDays: 28, belowRatio: 0.5, points: 20 },
    dormant: { days: 7, points: 25 },
    issueOpen: { moreThanDays: 7, points: 10 },
    resolvedNotCommunicated: { points: 5 },
    lowSatisfaction: { atMost: 2, points: 15 },
    openComplaint: { points: 10 },
  },
  visitQuality: { multiHeadWindowDays: 3, lowSatisfactionAtMost: 2 },
  capacity: { customersPerRep: 200, stretchedCustomersPerRep: 250, dedicatedRepFrom: 40, managerFrom: 1000, managerOptionalAboveReps: 3 },
};
