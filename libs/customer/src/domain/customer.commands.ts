import type {
  ChurnKind,
  ComplaintCategory,
  Contact,
  ContactRole,
  Grade,
  IssueCategory,
  Product,
  ReportedEffect,
  Term,
  VisitChannel,
  VisitLevel,
  VisitPurpose,
} from './customer.events';

/**
 * Commands carry everything the decision needs, time included: `on` is the business date the command
 * takes effect, and `actorId` who gives it. The domain never reads a clock.
 */
interface Base {
  readonly customerId: string;
  readonly actorId: string;
  readonly on: string;
}

export type CustomerCommand =
  | {
      readonly type: 'SignCustomer';
      readonly data: Base & {
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
      };
    }
  | { readonly type: 'AssignServiceRep'; readonly data: Base & { readonly serviceRepId: string; readonly reason?: string } }
  | { readonly type: 'GradeCustomer'; readonly data: Base & { readonly grade: Grade } }
  | { readonly type: 'SetKeyAccount'; readonly data: Base & { readonly keyAccount: boolean } }
  | {
      readonly type: 'RecordVisit';
      readonly data: Base & {
        readonly visitId: string;
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
        /** Id for the follow-up created from `nextFollowUpOn`. */
        readonly followUpId?: string;
      };
    }
  | { readonly type: 'ScheduleFollowUp'; readonly data: Base & { readonly followUpId: string; readonly dueOn: string; readonly note?: string } }
  | {
      readonly type: 'RaiseIssue';
      readonly data: Base & { readonly issueId: string; readonly category: IssueCategory; readonly description: string; readonly visitId?: string };
    }
  | { readonly type: 'ResolveIssue'; readonly data: Base & { readonly issueId: string; readonly resolution: string } }
  | {
      readonly type: 'CommunicateIssueResolution';
      readonly data: Base & { readonly issueId: string; readonly channel: VisitChannel; readonly note?: string };
    }
  | {
      readonly type: 'FileComplaint';
      readonly data: Base & {
        readonly complaintId: string;
        readonly category: ComplaintCategory;
        readonly description: string;
        readonly againstRepId?: string;
      };
    }
  | { readonly type: 'ResolveComplaint'; readonly data: Base & { readonly complaintId: string; readonly resolution: string } }
  | {
      readonly type: 'IntroduceBuyer';
      readonly data: Base & { readonly introductionId: string; readonly buyerName: string; readonly note?: string };
    }
  | { readonly type: 'SendRenewalReminder'; readonly data: Base & { readonly reminderId: string; readonly channel: VisitChannel } }
  | {
      readonly type: 'CollectRenewal';
      readonly data: Base & { readonly amountFen: number; readonly newTerm: Term; readonly paymentReference: string };
    }
  | { readonly type: 'RecordChurn'; readonly data: Base & { readonly kind: ChurnKind; readonly reason?: string } };

export type CustomerCommandType = CustomerCommand['type'];
