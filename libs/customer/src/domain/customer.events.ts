/**
 * Everything that happens to a customer, as plain data with stable past-tense type strings.
 * Money is integer fen (1 CNY = 100 fen) so sums are exact. Dates are ISO `YYYY-MM-DD` in the business
 * time zone; instants are ISO-8601 UTC.
 */
export const PRODUCTS = ['membership', 'bidding'] as const;
export type Product = (typeof PRODUCTS)[number];
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];
export const VISIT_CHANNELS = ['phone', 'onsite', 'email', 'sms', 'chat', 'meeting'] as const;
export type VisitChannel = (typeof VISIT_CHANNELS)[number];
export const VISIT_PURPOSES = ['care', 'effect_survey', 'reminder', 'training', 'renewal', 'order_confirmation'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];
export const CONTACT_ROLES = ['decision_maker', 'operator'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];
export const VISIT_LEVELS = [1, 2] as const;
export type VisitLevel = (typeof VISIT_LEVELS)[number];
export const ISSUE_CATEGORIES = ['platform', 'content', 'promotion', 'billing', 'technical', 'other'] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];
export const COMPLAINT_CATEGORIES = ['service', 'product', 'billing', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const CHURN_KINDS = ['lapsed', 'cancelled'] as const;
export type ChurnKind = (typeof CHURN_KINDS)[number];

export interface Term {
  readonly start: string;
  readonly end: string;
}

export interface Contact {
  readonly name: string;
  readonly phone: string;
  readonly email?: string;
}

export interface ReportedEffect {
  readonly calls: number;
  readonly inquiries: number;
  readonly deals: number;
}

export type CustomerEvent =
  | {
      readonly type: 'CustomerSigned';
      readonly data: {
        readonly customerId: string;
        readonly companyName: string;
        readonly contact: Contact;
        readonly industry: string;
        readonly product: Product;
        readonly contractAmountFen: number;
        readonly term: Term;
        readonly salesRepId: string;
        readonly serviceRepId: string;
        readonly grade: Grade;
        readonly keyAccount: boolean;
        readonly signedOn: string;
      };
    }
  | {
      readonly type: 'ServiceRepAssigned';
      readonly data: {
        readonly customerId: string;
        readonly serviceRepId: string;
        readonly previousServiceRepId: string;
        readonly reason?: string;
        readonly assignedOn: string;
      };
    }
  | { readonly type: 'CustomerGraded'; readonly data: { readonly customerId: string; readonly grade: Grade; readonly previousGrade: Grade } }
  | { readonly type: 'KeyAccountFlagChanged'; readonly data: { readonly customerId: string; readonly keyAccount: boolean } }
  | {
      readonly type: 'VisitRecorded';
      readonly data: {
        readonly customerId: string;
        readonly visitId: string;
        readonly repId: string;
        readonly level: VisitLevel;
        readonly channel: VisitChannel;
        readonly purpose: VisitPurpose;
        readonly reached: boolean;
        readonly contactRole?: ContactRole;
        readonly summary: string;
        readonly feedback?: string;
        readonly effect?: ReportedEffect;
        readonly satisfaction?: number;
        readonly nextFollowUpOn?: string;
        readonly visitedOn: string;
        /** The service rep responsible at the time, so a supervisor's level-2 visit is attributed correctly. */
        readonly serviceRepId: string;
      };
    }
  | {
      readonly type: 'FollowUpScheduled';
      readonly data: {
        readonly customerId: string;
        readonly followUpId: string;
        readonly dueOn: string;
        readonly repId: string;
        readonly note?: string;
        readonly visitId?: string;
      };
    }
  | {
      readonly type: 'FollowUpCompleted';
      readonly data: { readonly customerId: string; readonly followUpId: string; readonly visitId: string; readonly completedOn: string };
    }
  | {
      readonly type: 'IssueRaised';
      readonly data: {
        readonly customerId: string;
        readonly issueId: string;
        readonly category: IssueCategory;
        readonly description: string;
        readonly raisedBy: string;
        readonly visitId?: string;
        readonly raisedOn: string;
      };
    }
  | {
      readonly type: 'IssueResolved';
      readonly data: { readonly customerId: string; readonly issueId: string; readonly resolution: string; readonly resolvedBy: string; readonly resolvedOn: string };
    }
  | {
      readonly type: 'IssueResolutionCommunicated';
      readonly data: {
        readonly customerId: string;
        readonly issueId: string;
        readonly channel: VisitChannel;
        readonly note?: string;
        readonly communicatedBy: string;
        readonly communicatedOn: string;
      };
    }
  | {
      readonly type: 'ComplaintFiled';
      readonly data: {
        readonly customerId: string;
        readonly complaintId: string;
        readonly category: ComplaintCategory;
        readonly description: string;
        readonly againstRepId?: string;
        readonly filedBy: string;
        readonly filedOn: string;
      };
    }
  | {
      readonly type: 'ComplaintResolved';
      readonly data: { readonly customerId: string; readonly complaintId: string; readonly resolution: string; readonly resolvedBy: string; readonly resolvedOn: string };
    }
  | {
      readonly type: 'BuyerIntroduced';
      readonly data: {
        readonly customerId: string;
        readonly introductionId: string;
        readonly buyerName: string;
        readonly note?: string;
        readonly introducedBy: string;
        readonly introducedOn: string;
      };
    }
  | {
      readonly type: 'RenewalReminderSent';
      readonly data: {
        readonly customerId: string;
        readonly reminderId: string;
        readonly channel: VisitChannel;
        readonly termEnd: string;
        /** Days from the sending date to the term end (negative once the term has ended). */
        readonly daysBeforeTermEnd: number;
        readonly sentBy: string;
        readonly sentOn: string;
      };
    }
  | {
      readonly type: 'RenewalCollected';
      readonly data: {
        readonly customerId: string;
        readonly amountFen: number;
        readonly paymentReference: string;
        readonly previousTerm: Term;
        readonly newTerm: Term;
        readonly collectedBy: string;
        readonly serviceRepId: string;
        readonly salesRepId: string;
        readonly collectedOn: string;
        /** Days from the previous term end to collection (negative when early). */
        readonly daysAfterTermEnd: number;
        readonly winBack: boolean;
      };
    }
  | {
      readonly type: 'CustomerChurned';
      readonly data: {
        readonly customerId: string;
        readonly kind: ChurnKind;
        readonly reason?: string;
        readonly termEnd: string;
        readonly churnedOn: string;
      };
    };

export type CustomerEventType = CustomerEvent['type'];


export const CUSTOMER_CATEGORY = 'customer';
