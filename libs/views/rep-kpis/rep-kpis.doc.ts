import type { ReadModelRef } from '#read-store';
import type { CustomerFactsDoc } from '#customer';

export const REP_KPIS_PROJECTION = 'rep_kpis';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 3: customers in a rowid table.
 * Version 4: each period's rep totals kept as rollups.
 */
export const REP_KPIS_READ_MODEL: ReadModelRef = { projection: REP_KPIS_PROJECTION, version: 4 };

/** One document per customer: the facts its contributions are computed from (internal), and the business day reached. */
export const KPI_CUSTOMERS_COLLECTION = 'customers';
/** One document per period, rep and customer: what the customer adds to the rep's KPIs for the period. */
export const KPI_CONTRIBUTIONS_COLLECTION = 'contributions';
export const KPI_CALENDAR_COLLECTION = 'calendar';
export const KPI_CALENDAR_DOC_ID = 'today';
export const REP_KPIS_PUBLISHED_NAME = 'rep_kpis';
/** The index a period's renewal figures are summed through (the rows that add any). */
export const CONTRIBUTIONS_BY_PERIOD_REP = 'by_period_rep';
/** The index a period's monthly coverage is counted through (the customers assigned at the period's end). */
export const CONTRIBUTIONS_COVERAGE = 'by_period_assigned';
/** The renewal figures of a contribution, summed per period and rep. */
export const KPI_SUMMED = ['renewals', 'renewalFen', 'salesRenewals', 'salesRenewalFen', 'due', 'renewed', 'awaiting'] as const;
/** The rollup of a period's monthly coverage per rep (the customers assigned at the period's end, and those covered). */
export const COVERAGE_TOTALS = 'coverage_totals';
/** The rollup of a period's renewal figures per rep (the rows that add any). */
export const LISTED_TOTALS = 'listed_totals';
/** The index a period's expiring, under-contacted customers are listed through. */
export const CONTRIBUTIONS_EXPIRING = 'by_period_expiring';

/** The kinds of period kept: the current and the previous ISO week and calendar month. Days are computed from facts. */
export type KeptPeriodKind = 'week' | 'month';

export interface KpiCalendarDoc {
  readonly id: typeof KPI_CALENDAR_DOC_ID;
  readonly day: string;
  /** The first Monday and the first 1st of a month projected: from then on every customer contributes to each period. */
  readonly firstMonday: string | null;
  readonly firstMonthStart: string | null;
}

export interface KpiCustomerDoc {
  readonly id: string;
  /** The business day reached (null before the log's first business day). */
  readonly day: string | null;
  readonly internal: {
    /** Null while only a later event than the signing is known (never, in a log the domain wrote). */
    readonly facts: CustomerFactsDoc | null;
  };
}

export interface KpiContribution {
  /** `<kind>:<from>:<repId>:<customerId>` */
  readonly id: string;
  readonly kind: KeptPeriodKind;
  /** The period's first day. */
  readonly from: string;
  readonly repId: string;
  readonly customerId: string;
  /** Adds a renewal, a commission base, a term due or an expiring customer to the rep's figures (coverage aside). */
  readonly listed: boolean;
  /** Assigned to the rep and active at the period's end (monthly coverage counts it), and covered that month. */
  readonly assigned: number;
  readonly covered: number;
  /** Expiring, unrenewed and under-contacted at the period's end. */
  readonly expiring: boolean;
  /** Renewals collected in the period as the service rep, and as the sales rep. */
  readonly renewals: number;
  readonly renewalFen: number;
  readonly salesRenewals: number;
  readonly salesRenewalFen: number;
  /** Terms ending in the period with the rep assigned on the end day: renewed within the grace, or still awaiting it. */
  readonly due: number;
  readonly renewed: number;
  readonly awaiting: number;
}

export const kpiContributionId = (kind: KeptPeriodKind, from: string, repId: string, customerId: string): string => `${kind}:${from}:${repId}:${customerId}`;
