import type { ReadModelRef } from '#read-store';
import type { ChurnKind, IssueCategory, Product } from '#customer';
import type { ChurnFacts, ChurnReason, ChurnRiskLevel } from './churn-risk';
import type { WorklistItem } from '../worklist/worklist';
import type { SpendMonthDoc, UsageMonthDoc } from '#telemetry';

export const CHURN_RISK_PROJECTION = 'churn_risk';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 2: each customer's worklist items for the day ride along (follow-ups, issue categories and churned terms kept).
 * Version 3: a rowid table (pages and worklists read by index 6–10× faster), declared field types.
 */
export const CHURN_RISK_READ_MODEL: ReadModelRef = { projection: CHURN_RISK_PROJECTION, version: 3 };

/** One document per customer: what the churn-risk view shows for the current business day, and (internal) what it is computed from. */
export const CHURN_RISKS_COLLECTION = 'risks';
/** Every (customer, rep) pair ever assigned, so a past day's list for a rep is found by index. */
export const CHURN_ASSIGNMENTS_COLLECTION = 'assignments';
/** One document: the business day the projection has reached. */
export const CHURN_CALENDAR_COLLECTION = 'calendar';
export const CALENDAR_DOC_ID = 'today';
/** The index a list for several reps reads through (SQLite would rather walk the score index and skip most rows). */
export const RISKS_BY_REP_SCORE = 'by_rep_score';
/** A rep's worklist: the rep's customers with something due, riskiest first. */
export const RISKS_BY_REP_WORKLIST = 'by_rep_worklist';
/** The name readers outside the service use, whatever generation is live (a SQLite view, a MongoDB view). */
export const CHURN_RISK_PUBLISHED_NAME = 'churn_risk';

export interface CalendarDoc {
  readonly id: typeof CALENDAR_DOC_ID;
  readonly day: string;
}

export interface AssignmentDoc {
  readonly id: string;
  readonly customerId: string;
  readonly repId: string;
}

/**
 * The customer facts a score and a worklist entry need, pruned on each business day to what can still change
 * either from then on.
 */
export interface ChurnInputs extends ChurnFacts {
  readonly companyName: string;
  readonly keyAccount: boolean;
  readonly assignments: readonly { readonly repId: string; readonly from: string }[];
  readonly churns: readonly { readonly on: string; readonly kind: ChurnKind; readonly termEnd: string }[];
  readonly renewals: readonly { readonly on: string }[];
  readonly issues: readonly {
    readonly issueId: string;
    readonly category: IssueCategory;
    readonly raisedOn: string;
    readonly resolvedOn?: string;
    readonly communicatedOn?: string;
  }[];
  readonly complaints: readonly { readonly complaintId: string; readonly filedOn: string; readonly resolvedOn?: string }[];
  readonly followUps: readonly { readonly followUpId: string; readonly dueOn: string; readonly repId: string; readonly completedOn?: string }[];
}

export interface ChurnRiskDoc {
  /** The customer id. */
  readonly id: string;
  /** The business day the figures are for; null before the log's first business day. */
  readonly day: string | null;
  /** On the list that day: signed by then, assigned, not churned. */
  readonly listed: boolean;
  /** The service rep assigned that day. */
  readonly serviceRepId: string | null;
  readonly companyName: string | null;
  readonly product: Product | null;
  readonly keyAccount: boolean;
  readonly score: number;
  readonly level: ChurnRiskLevel;
  readonly reasons: readonly ChurnReason[];
  /** On the rep's worklist that day: listed, with something due. */
  readonly onWorklist: boolean;
  /** What is due for the customer from its rep that day (empty when nothing is). */
  readonly worklist: readonly WorklistItem[];
  /** What the figures are computed from, pruned to what the day and later days can still read; never in a page. */
  readonly internal: ChurnInternal;
}

export interface ChurnInternal {
  /** Null while only telemetry is known for the id. */
  readonly facts: ChurnInputs | null;
  /** Usage and spend of the months the look-back windows still reach. */
  readonly usage: readonly UsageMonthDoc[];
  readonly spend: readonly SpendMonthDoc[];
}
