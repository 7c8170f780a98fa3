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
 */
export const CUSTOMER_FACTS_READ_MODEL: ReadModelRef = { projection: CUSTOMER_FACTS_PROJECTION, version: 3 };

export const CUSTOMERS_COLLECTION = 'customers';
