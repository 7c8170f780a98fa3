import { CommandBody } from '../http/command-sender';
import { BoolField, DayField, EnumField, IdField, IntField, MoneyField, NestedField, TextField } from '#fields';
import { CHURN_KINDS, COMPLAINT_CATEGORIES, CONTACT_ROLES, GRADES, ISSUE_CATEGORIES, PRODUCTS, VISIT_CHANNELS, VISIT_LEVELS, VISIT_PURPOSES } from '#customer';

export class ContactDto {
  @TextField({ max: 100, example: 'Li Wei' }) name: string;
  @TextField({ max: 40, example: '+86 571 8888 0000' }) phone: string;
  @TextField({ max: 200, optional: true, example: 'li.wei@example.com' }) email?: string;
}

export class TermDto {
  @DayField({ example: '2026-01-01' }) start: string;
  @DayField({ example: '2026-12-31' }) end: string;
}

export class SignCustomerDto extends CommandBody {
  @IdField({ example: 'cust-1001' }) customerId: string;
  @TextField({ max: 200, example: 'Hangzhou Valve Co.' }) companyName: string;
  @NestedField(() => ContactDto) contact: ContactDto;
  @TextField({ max: 100, example: 'machinery' }) industry: string;
  @EnumField(PRODUCTS) product: string;
  @MoneyField({ description: 'Contract amount' }) contractAmount: number;
  @NestedField(() => TermDto) term: TermDto;
  @IdField({ description: 'The sales rep who signed the contract' }) salesRepId: string;
  @IdField({ description: 'The service rep responsible for the customer' }) serviceRepId: string;
  @EnumField(GRADES) grade: string;
  @BoolField({ optional: true, description: 'Key account (defaults to false)' }) keyAccount?: boolean;
}

export class AssignServiceRepDto extends CommandBody {
  @IdField() serviceRepId: string;
  @TextField({ max: 500, optional: true }) reason?: string;
}

export class GradeCustomerDto extends CommandBody {
  @EnumField(GRADES) grade: string;
}

export class SetKeyAccountDto extends CommandBody {
  @BoolField() keyAccount: boolean;
}

export class ReportedEffectDto {
  @IntField({ max: 1_000_000, description: 'Calls the customer reports receiving' }) calls: number;
  @IntField({ max: 1_000_000, description: 'Inquiries the customer reports' }) inquiries: number;
  @IntField({ max: 1_000_000, description: 'Deals the customer reports' }) deals: number;
}

export class RecordVisitDto extends CommandBody {
  @IdField({ example: 'visit-20260310-01' }) visitId: string;
  @EnumField(VISIT_LEVELS, { description: '1 = the responsible rep; 2 = a supervisor verification visit' }) level: number;
  @EnumField(VISIT_CHANNELS) channel: string;
  @EnumField(VISIT_PURPOSES) purpose: string;
  @BoolField({ description: 'Whether the customer was reached' }) reached: boolean;
  @EnumField(CONTACT_ROLES, { optional: true, description: 'Who was spoken to' }) contactRole?: string;
  @TextField({ max: 4000 }) summary: string;
  @TextField({ max: 4000, optional: true }) feedback?: string;
  @NestedField(() => ReportedEffectDto, { optional: true }) effect?: ReportedEffectDto;
  @IntField({ optional: true, min: 1, max: 5, description: 'Satisfaction 1–5 (only when reached)' }) satisfaction?: number;
  @DayField({ optional: true, description: 'Date of the next follow-up (creates a follow-up)' }) nextFollowUpOn?: string;
  @IdField({ optional: true, description: 'Id for that follow-up (default: <visitId>-follow-up)' }) followUpId?: string;
}

export class ScheduleFollowUpDto extends CommandBody {
  @IdField() followUpId: string;
  @DayField() dueOn: string;
  @TextField({ max: 2000, optional: true }) note?: string;
}

export class RaiseIssueDto extends CommandBody {
  @IdField() issueId: string;
  @EnumField(ISSUE_CATEGORIES) category: string;
  @TextField({ max: 4000 }) description: string;
  @IdField({ optional: true, description: 'The visit during which it was raised' }) visitId?: string;
}

export class ResolveDto extends CommandBody {
  @TextField({ max: 4000 }) resolution: string;
}

export class CommunicateResolutionDto extends CommandBody {
  @EnumField(VISIT_CHANNELS) channel: string;
  @TextField({ max: 2000, optional: true }) note?: string;
}

export class FileComplaintDto extends CommandBody {
  @IdField() complaintId: string;
  @EnumField(COMPLAINT_CATEGORIES) category: string;
  @TextField({ max: 4000 }) description: string;
  @IdField({ optional: true, description: 'The rep the complaint is about' }) againstRepId?: string;
}

export class IntroduceBuyerDto extends CommandBody {
  @IdField() introductionId: string;
  @TextField({ max: 200 }) buyerName: string;
  @TextField({ max: 2000, optional: true }) note?: string;
}

export class SendRenewalReminderDto extends CommandBody {
  @IdField() reminderId: string;
  @EnumField(VISIT_CHANNELS) channel: string;
}

export class CollectRenewalDto extends CommandBody {
  @MoneyField({ description: 'Amount collected' }) amount: number;
  @NestedField(() => TermDto) newTerm: TermDto;
  @TextField({
    max: 100,
    description:
      'Payment reference: recorded at most once, ever, across all customers. Compared after Unicode NFKC normalisation, with invisible characters removed, every dash read as "-", white space collapsed and letters upper-cased, so "pay-f1", "ＰＡＹ-F1" and "PAY‐F1" are the same reference as "PAY-F1". Control characters are refused.',
    example: 'BANK-2027-000123',
    singleLine: true,
  })
  paymentReference: string;
}

export class RecordChurnDto extends CommandBody {
  @EnumField(CHURN_KINDS, { description: 'lapsed: the term ended without renewal; cancelled: the customer cancelled' }) kind: string;
  @TextField({ max: 2000, optional: true }) reason?: string;
}
