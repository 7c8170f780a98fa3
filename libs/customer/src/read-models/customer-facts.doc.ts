import type { ReadModelRef } from '#read-store';
import type { ChurnKind, ComplaintCategory, ContactRole, Grade, IssueCategory, Product, VisitChannel, VisitPurpose, VisitLevel } from '../domain/customer.events';

/**
 * What the `customer_facts` projection keeps per customer: dated facts only, never anything derived from
 * "today". Views compute days-since, due flags and scores at query time for an `asOf` date.
 * Lists are in event order (which is date order for facts recorded as they happen). Dates are ISO days.
 */
export interface CustomerFactsDoc {
  readonly id: string;
  readonly companyName: string;
  readonly industry: string;
  readonly product: Product;
  readonly grade: Grade;
  readonly keyAccount: boolean;
  readonly contractAmountFen: number;
  readonly signedOn: string;
  readonly salesRepId: string;
  /** The service rep assigned now. */
  readonly serviceRepId: string;
  /** Assignment history, oldest first; each entry holds from `from` (inclusive) until the next one's `from`. */
  readonly assignments: readonly { readonly repId: string; readonly from: string }[];
  /** Contract terms, oldest first; the last is the current one. `renewedOn` is set once a renewal follows it. */
  readonly terms: readonly TermFact[];
  readonly status: 'active' | 'churned';
  readonly churns: readonly { readonly on: string; readonly kind: ChurnKind; readonly termEnd: string }[];
  readonly visits: readonly VisitFact[];
  readonly reminders: readonly ReminderFact[];
  readonly renewals: readonly RenewalFact[];
  readonly issues: readonly IssueFact[];
  readonly complaints: readonly ComplaintFact[];
  readonly followUps: readonly FollowUpFact[];
  readonly buyerIntroductions: readonly { readonly on: string; readonly by: string }[];
}

export interface TermFact {
  readonly start: string;
  readonly end: string;
  /** Collection date of the renewal that followed this term, if any. */
  readonly renewedOn?: string;
}

export interface VisitFact {
  readonly visitId: string;
  readonly on: string;
  /** Who made the visit. */
  readonly repId: string;
  /** The service rep responsible for the customer at the time. */
  readonly serviceRepId: string;
  readonly level: VisitLevel;
  readonly channel: VisitChannel;
  readonly purpose: VisitPurpose;
  readonly reached: boolean;
  readonly contactRole?: ContactRole;
  readonly satisfaction?: number;
  readonly effect?: { readonly calls: number; readonly inquiries: number; readonly deals: number };
  /** What the customer said, as the rep wrote it down (the weekly feedback report lists it). */
  readonly feedback?: string;
}

export interface ReminderFact {
  readonly reminderId: string;
  readonly on: string;
  readonly termEnd: string;
  readonly daysBeforeTermEnd: number;
  readonly by: string;
  readonly channel: VisitChannel;
}

export interface RenewalFact {
  readonly on: string;
  readonly amountFen: number;
  readonly paymentReference: string;
  readonly previousTerm: { readonly start: string; readonly end: string };
  readonly newTerm: { readonly start: string; readonly end: string };
  readonly collectedBy: string;
  readonly serviceRepId: string;
  readonly salesRepId: string;
  readonly daysAfterTermEnd: number;
  readonly winBack: boolean;
}

export interface IssueFact {
  readonly issueId: string;
  readonly category: IssueCategory;
  readonly description: string;
  /** The visit during which the issue came up, if any. */
  readonly visitId?: string;
  readonly raisedOn: string;
  readonly raisedBy: string;
  readonly resolvedOn?: string;
  readonly resolvedBy?: string;
  readonly communicatedOn?: string;
  readonly communicatedBy?: string;
}

export interface ComplaintFact {
  readonly complaintId: string;
  readonly category: ComplaintCategory;
  readonly filedOn: string;
  readonly againstRepId?: string;
  readonly resolvedOn?: string;
}

export interface FollowUpFact {
  readonly followUpId: string;
  readonly dueOn: string;
  readonly repId: string;
  readonly completedOn?: string;
}

export const CUSTOMER_FACTS_PROJECTION = 'customer_facts';

/**
 * The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in.
 * Version 2: visits keep the customer's feedback text, issues their description and visit (the weekly feedback report).
 * Version 3: a rowid table (facts read by id for past days).
 * Version 4: the customer directory (a row per customer, listed and searched by index).
 */
export const CUSTOMER_FACTS_READ_MODEL: ReadModelRef = { projection: CUSTOMER_FACTS_PROJECTION, version: 4 };

export const CUSTOMERS_COLLECTION = 'customers';

/**
 * One row per customer, derived from its facts whenever they change: what a list of customers shows and is filtered,
 * searched and paged by, each through an index.
 */
export const CUSTOMER_DIRECTORY_COLLECTION = 'directory';
/** The directory's stable name for readers outside the service (a SQL view, a MongoDB view). */
export const CUSTOMER_DIRECTORY_PUBLISHED_NAME = 'customer_directory';
/** Every customer in name order (the key of the list's cursor, and of a search by the start of a name). */
export const DIRECTORY_BY_NAME = 'by_name';
/** One rep's customers in name order. */
export const DIRECTORY_BY_SERVICE_REP = 'by_service_rep_name';
/** A sales rep's customers in name order. */
export const DIRECTORY_BY_SALES_REP = 'by_sales_rep_name';
/** Customers by the end of their current term. */
export const DIRECTORY_BY_TERM_END = 'by_term_end';

export interface CustomerDirectoryDoc {
  readonly id: string;
  readonly companyName: string;
  /** The name as searched (`nameSearchKey`), then the id: unique, so the list's order and cursor are total. */
  readonly nameKey: string;
  readonly industry: string;
  readonly product: Product;
  readonly grade: Grade;
  readonly keyAccount: boolean;
  readonly status: 'active' | 'churned';
  readonly serviceRepId: string;
  readonly salesRepId: string;
  /** The current (last) term. */
  readonly termStart: string;
  readonly termEnd: string;
  readonly openIssues: number;
  readonly openComplaints: number;
  /** The earliest follow-up not yet completed, if any. */
  readonly nextFollowUpOn: string | null;
}

/**
 * A company name as searched: Unicode-normalised (full-width letters and digits read as ASCII), lower-cased, and with
 * control characters read as spaces, so that a search for the start of a name finds "ＡＢＣ科技" and "abc科技" alike
 * (and the key's separator, U+0001, is never part of a name).
 */
export const nameSearchKey = (name: string): string => name.normalize('NFKC').toLowerCase().replace(/\p{Cc}/gu, ' ');

/** What is still open on a customer: issues and complaints not resolved, and the earliest follow-up not completed. */
export const openWorkOf = (doc: Pick<CustomerFactsDoc, 'issues' | 'complaints' | 'followUps'>): { issues: IssueFact[]; complaints: ComplaintFact[]; nextFollowUp: FollowUpFact | undefined } => {
  let nextFollowUp: FollowUpFact | undefined;
  for (const followUp of doc.followUps) if (followUp.completedOn === undefined && (nextFollowUp === undefined || followUp.dueOn < nextFollowUp.dueOn)) nextFollowUp = followUp;
  return { issues: doc.issues.filter((issue) => issue.resolvedOn === undefined), complaints: doc.complaints.filter((complaint) => complaint.resolvedOn === undefined), nextFollowUp };
};

/** Between a directory row's name and id in its `nameKey`: below every character a name keeps. */
export const NAME_KEY_SEPARATOR = '\u0001';
