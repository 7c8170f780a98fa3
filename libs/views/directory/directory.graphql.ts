import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { type ComplaintCategory, GRADES, type Grade, type IssueCategory, type Product, PRODUCTS, type VisitChannel, type VisitLevel, type VisitPurpose } from '#customer';
import { BoolField, DayField, EnumField, IdField, IntField, TextField } from '#fields';
import type { GroupKind, RepRole } from '#staff';
import { PagingArgs, ProductEnum, RepRoleEnum } from '../shared/graphql.types';
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind } from './timeline';
import { CUSTOMER_STATUSES, type CustomerListItem, type CustomerListPage, type CustomerProfile, type CustomerStatus, type CustomerTimeline, type GroupListItem, type RepListItem } from './directory.query';
import { MAX_DIRECTORY_PAGE } from './directory.rest';

@ArgsType()
export class CustomerArgs {
  @Field(() => String)
  @IdField()
  id: string;
}

@ArgsType()
export class CustomersArgs {
  @Field(() => String, { nullable: true, description: 'The start of the company name (case and full-width forms ignored)' })
  @TextField({ optional: true, max: 200, singleLine: true })
  q?: string;

  @Field(() => String, { nullable: true, description: 'Only customers this service rep serves now' })
  @IdField({ optional: true })
  repId?: string;

  @Field(() => String, { nullable: true, description: 'Only customers served now by a rep of this group' })
  @IdField({ optional: true })
  groupId?: string;

  @Field(() => String, { nullable: true, description: `One of ${GRADES.join(', ')}` })
  @EnumField(GRADES, { optional: true })
  grade?: Grade;

  @Field(() => ProductEnum, { nullable: true })
  @EnumField(PRODUCTS, { optional: true })
  product?: Product;

  @Field(() => String, { nullable: true, description: `One of ${CUSTOMER_STATUSES.join(', ')}` })
  @EnumField(CUSTOMER_STATUSES, { optional: true })
  status?: CustomerStatus;

  @Field(() => Boolean, { nullable: true, description: 'Only key accounts (true) or only the others (false)' })
  @BoolField({ optional: true })
  keyAccount?: boolean;

  @Field(() => String, { nullable: true, description: 'Only customers whose current term ends on or after this day' })
  @DayField({ optional: true })
  termEndFrom?: string;

  @Field(() => String, { nullable: true, description: 'Only customers whose current term ends on or before this day' })
  @DayField({ optional: true })
  termEndTo?: string;

  @Field(() => Int, { defaultValue: 50, description: `Customers per page, 1–${MAX_DIRECTORY_PAGE}` })
  @IntField({ min: 1, max: MAX_DIRECTORY_PAGE })
  limit: number;

  @Field(() => String, { nullable: true, description: 'The nextCursor of the previous page (none for the first page)' })
  @TextField({ optional: true, max: 1000, singleLine: true })
  cursor?: string;
}

@ObjectType('CustomerListItem')
export class CustomerListItemType implements CustomerListItem {
  @Field(() => String) readonly id: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String) readonly industry: string;
  @Field(() => ProductEnum) readonly product: Product;
  @Field(() => String) readonly grade: Grade;
  @Field(() => Boolean) readonly keyAccount: boolean;
  @Field(() => String) readonly status: CustomerStatus;
  @Field(() => String) readonly serviceRepId: string;
  @Field(() => String) readonly salesRepId: string;
  @Field(() => String) readonly termStart: string;
  @Field(() => String) readonly termEnd: string;
  @Field(() => Int) readonly openIssues: number;
  @Field(() => Int) readonly openComplaints: number;
  @Field(() => String, { nullable: true }) readonly nextFollowUpOn: string | null;
}

@ObjectType('CustomerListPage')
export class CustomerListPageType implements CustomerListPage {
  @Field(() => Int, { description: 'Customers matching the filter in your scope (all pages)' }) readonly total: number;
  @Field(() => Int) readonly limit: number;
  @Field(() => [CustomerListItemType]) readonly items: readonly CustomerListItemType[];
  @Field(() => String, { nullable: true, description: 'Pass as cursor for the next page; null on the last one' }) readonly nextCursor: string | null;
}

@ObjectType('CustomerServiceRep')
class ServiceRepType {
  @Field(() => String) readonly id: string;
  @Field(() => String, { nullable: true }) readonly name: string | null;
  @Field(() => String, { nullable: true }) readonly groupId: string | null;
  @Field(() => String, { description: 'Serving the customer since' }) readonly since: string;
}

@ObjectType('CustomerSalesRep')
class SalesRepType {
  @Field(() => String) readonly id: string;
  @Field(() => String, { nullable: true }) readonly name: string | null;
}

@ObjectType('CustomerTerm')
class TermType {
  @Field(() => String) readonly start: string;
  @Field(() => String) readonly end: string;
  @Field(() => String, { nullable: true }) readonly renewedOn: string | null;
}

@ObjectType('CustomerOpenIssue')
class OpenIssueType {
  @Field(() => String) readonly issueId: string;
  @Field(() => String) readonly category: IssueCategory;
  @Field(() => String) readonly description: string;
  @Field(() => String) readonly raisedOn: string;
  @Field(() => String) readonly raisedBy: string;
}

@ObjectType('CustomerOpenComplaint')
class OpenComplaintType {
  @Field(() => String) readonly complaintId: string;
  @Field(() => String) readonly category: ComplaintCategory;
  @Field(() => String) readonly filedOn: string;
  @Field(() => String, { nullable: true }) readonly againstRepId: string | null;
}

@ObjectType('CustomerFollowUp')
class FollowUpType {
  @Field(() => String) readonly followUpId: string;
  @Field(() => String) readonly dueOn: string;
  @Field(() => String) readonly repId: string;
}

@ObjectType('CustomerLastVisit')
class LastVisitType {
  @Field(() => String) readonly visitId: string;
  @Field(() => String) readonly on: string;
  @Field(() => String) readonly repId: string;
  @Field(() => Int) readonly level: VisitLevel;
  @Field(() => String) readonly channel: VisitChannel;
  @Field(() => String) readonly purpose: VisitPurpose;
  @Field(() => Boolean) readonly reached: boolean;
}

@ObjectType('CustomerProfile')
export class CustomerProfileType implements CustomerProfile {
  @Field(() => String) readonly id: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String) readonly industry: string;
  @Field(() => ProductEnum) readonly product: Product;
  @Field(() => String) readonly grade: Grade;
  @Field(() => Boolean) readonly keyAccount: boolean;
  @Field(() => Int) readonly contractAmountFen: number;
  @Field(() => String) readonly signedOn: string;
  @Field(() => String) readonly status: CustomerStatus;
  @Field(() => String, { nullable: true }) readonly churnedOn: string | null;
  @Field(() => ServiceRepType) readonly serviceRep: ServiceRepType;
  @Field(() => SalesRepType) readonly salesRep: SalesRepType;
  @Field(() => TermType) readonly term: TermType;
  @Field(() => Int) readonly termsSigned: number;
  @Field(() => [OpenIssueType]) readonly openIssues: readonly OpenIssueType[];
  @Field(() => [OpenComplaintType]) readonly openComplaints: readonly OpenComplaintType[];
  @Field(() => FollowUpType, { nullable: true }) readonly nextFollowUp: FollowUpType | null;
  @Field(() => LastVisitType, { nullable: true }) readonly lastVisit: LastVisitType | null;
  @Field(() => Int) readonly visits: number;
  @Field(() => Int) readonly renewals: number;
}

@ArgsType()
export class CustomerTimelineArgs extends PagingArgs {
  @Field(() => String)
  @IdField()
  id: string;
}

@ObjectType('TimelineEntry')
class TimelineEntryType implements TimelineEntry {
  @Field(() => String) readonly on: string;
  @Field(() => String, { description: `One of ${TIMELINE_KINDS.join(', ')}` }) readonly kind: TimelineKind;
  @Field(() => String, { nullable: true, description: 'Who did it, where the facts say (a rep id)' }) readonly by: string | null;
  @Field(() => String) readonly text: string;
}

@ObjectType('CustomerTimeline')
export class CustomerTimelineType implements CustomerTimeline {
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => Int) readonly total: number;
  @Field(() => Int) readonly offset: number;
  @Field(() => Int) readonly limit: number;
  @Field(() => [TimelineEntryType], { description: 'Newest first' }) readonly items: readonly TimelineEntryType[];
}

@ObjectType('RepListItem')
export class RepListItemType implements RepListItem {
  @Field(() => String) readonly id: string;
  @Field(() => String) readonly name: string;
  @Field(() => RepRoleEnum) readonly role: RepRole;
  @Field(() => String) readonly groupId: string;
  @Field(() => String, { nullable: true }) readonly groupName: string | null;
  @Field(() => String) readonly registeredOn: string;
}

@ObjectType('GroupListItem')
export class GroupListItemType implements GroupListItem {
  @Field(() => String) readonly id: string;
  @Field(() => String) readonly name: string;
  @Field(() => String) readonly kind: GroupKind;
  @Field(() => Int, { description: 'Reps in the group now' }) readonly reps: number;
}
