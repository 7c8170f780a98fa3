import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type CategoryCounts, type CategoryRow, type FeedbackCategory, type FeedbackItem, ISSUE_CATEGORIES, type IssueCategory, type IssueItem, type IssueStatus, type MultiHeadCase, type MultiHeadVisit, type SatisfactionFigures, type VisitChannel, type VisitLevel, type VisitQualityFigures, type WeeklyFeedback } from '#customer';
import type { VisitQualityReport } from '#reporting';
import type { RepRole } from '#staff';
import { type Capacity, DayRangeType, type GroupCapacity, type LoadStatus, type ManagerAdvice, PeriodArgs, PeriodType, type RepCapacity, RepRoleEnum, type StaffingAdvice } from '#views';
import { DayField, IdField } from '#fields';

/** GraphQL enums named after the domain's own strings, so REST and GraphQL clients use the same values. */
const enumOf = <T extends string>(values: readonly T[]): { readonly [K in T]: K } =>
  Object.fromEntries(values.map((value) => [value, value])) as { readonly [K in T]: K };
const everyOf = <T extends string>(members: Record<T, true>): T[] => Object.keys(members) as T[];

export const FeedbackIssueCategoryEnum = enumOf<IssueCategory>(ISSUE_CATEGORIES);
export const FeedbackCategoryEnum = enumOf<FeedbackCategory>([...ISSUE_CATEGORIES, 'general']);
export const FeedbackIssueStatusEnum = enumOf(everyOf<IssueStatus>({ open: true, resolved: true, communicated: true }));
export const ManagerAdviceEnum = enumOf(everyOf<ManagerAdvice>({ recommended: true, optional: true, not_needed: true }));
export const LoadStatusEnum = enumOf(everyOf<LoadStatus>({ over: true, at: true, under: true }));
registerEnumType(FeedbackIssueCategoryEnum, { name: 'FeedbackIssueCategory', description: 'The category of an issue raised with a customer' });
registerEnumType(FeedbackCategoryEnum, { name: 'FeedbackCategory', description: 'The categories of the issues a visit raised, or general' });
registerEnumType(FeedbackIssueStatusEnum, { name: 'FeedbackIssueStatus', description: 'open: not resolved; resolved: not yet told to the customer; communicated: closed' });
registerEnumType(ManagerAdviceEnum, { name: 'ManagerAdvice', description: 'Whether seed 001 calls for an after-sales manager' });
registerEnumType(LoadStatusEnum, { name: 'CapacityLoadStatus', description: 'Customers over, at or under what the reps handle' });

// Weekly feedback

@ArgsType()
export class FeedbackReportArgs {
  @Field(() => String, { description: 'Any day of the ISO week (Monday–Sunday; YYYY-MM-DD)' })
  @DayField()
  week: string;

  @Field(() => String, { nullable: true, description: 'Count only up to this day when it is before the Sunday (default: today’s business day); not before the Monday' })
  @DayField({ optional: true })
  asOf?: string;
}

@ObjectType('FeedbackCounts', { isAbstract: true })
abstract class FeedbackCountsType implements CategoryCounts {
  @Field(() => Int, { description: 'Issues raised in the week (up to `through`)' }) readonly raised: number;
  @Field(() => Int, { description: 'Of those, resolved by `through`' }) readonly raisedResolved: number;
  @Field(() => Int, { description: 'Of those, communicated (closed) by `through`' }) readonly raisedCommunicated: number;
  @Field(() => Int, { description: 'Of those, not closed at `through`' }) readonly raisedOpen: number;
  @Field(() => Int, { description: 'Issues resolved in the week, whenever raised' }) readonly resolvedInWeek: number;
  @Field(() => Int, { description: 'Issues communicated in the week, whenever raised' }) readonly communicatedInWeek: number;
  @Field(() => Int, { description: 'Issues not closed at `through`, whenever raised' }) readonly backlog: number;
  @Field(() => Int) readonly backlogAwaitingResolution: number;
  @Field(() => Int) readonly backlogAwaitingCommunication: number;
  @Field(() => Int, { nullable: true, description: 'Age in days of the oldest issue in the backlog' }) readonly oldestBacklogDays: number | null;
}

@ObjectType('FeedbackTotals')
export class FeedbackTotalsType extends FeedbackCountsType {}

@ObjectType('FeedbackCategoryRow')
export class FeedbackCategoryRowType extends FeedbackCountsType implements CategoryRow {
  @Field(() => FeedbackIssueCategoryEnum) readonly category: IssueCategory;
}

@ObjectType('FeedbackItem', { description: 'A visit of the week that wrote down what the customer said' })
export class FeedbackItemType implements FeedbackItem {
  @Field(() => String) readonly day: string;
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String) readonly visitId: string;
  @Field(() => String, { description: 'Who made the visit' }) readonly repId: string;
  @Field(() => String, { description: 'The rep responsible for the customer at the time' }) readonly serviceRepId: string;
  @Field(() => Int) readonly level: VisitLevel;
  @Field(() => Int, { nullable: true }) readonly satisfaction: number | null;
  @Field(() => [FeedbackCategoryEnum]) readonly categories: readonly FeedbackCategory[];
  @Field(() => [String]) readonly issueIds: readonly string[];
  @Field(() => String) readonly feedback: string;
}

@ObjectType('FeedbackIssue')
export class FeedbackIssueType implements IssueItem {
  @Field(() => String) readonly issueId: string;
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String, { nullable: true, description: 'The rep assigned to the customer at `through`' }) readonly serviceRepId: string | null;
  @Field(() => FeedbackIssueCategoryEnum) readonly category: IssueCategory;
  @Field(() => String) readonly description: string;
  @Field(() => String, { nullable: true }) readonly visitId: string | null;
  @Field(() => String) readonly raisedOn: string;
  @Field(() => String) readonly raisedBy: string;
  @Field(() => FeedbackIssueStatusEnum, { description: 'At `through`' }) readonly status: IssueStatus;
  @Field(() => String, { nullable: true }) readonly resolvedOn: string | null;
  @Field(() => String, { nullable: true }) readonly communicatedOn: string | null;
  @Field(() => Int, { description: 'Days from raising to `through`' }) readonly ageDays: number;
}

@ObjectType('WeeklyFeedback', { description: 'Feedback and issues of an ISO week by category, with resolution status' })
export class WeeklyFeedbackType implements WeeklyFeedback {
  @Field(() => DayRangeType, { description: 'Monday to Sunday' }) readonly week: DayRangeType;
  @Field(() => String, { description: 'The last day counted: the Sunday, or asOf when earlier' }) readonly through: string;
  @Field(() => Boolean, { description: 'Whether the whole week is counted' }) readonly complete: boolean;
  @Field(() => [FeedbackCategoryRowType]) readonly categories: readonly FeedbackCategoryRowType[];
  @Field(() => FeedbackTotalsType) readonly totals: FeedbackTotalsType;
  @Field(() => [FeedbackItemType]) readonly feedback: readonly FeedbackItemType[];
  @Field(() => [FeedbackIssueType]) readonly issuesRaised: readonly FeedbackIssueType[];
  @Field(() => [FeedbackIssueType], { description: 'Issues not closed at `through`, oldest first' }) readonly backlog: readonly FeedbackIssueType[];
}

// Visit quality

@ArgsType()
export class VisitQualityArgs extends PeriodArgs {
  @Field(() => String, { nullable: true, description: 'Only reps in this group at the end of the period, and their customers' })
  @IdField({ optional: true })
  groupId?: string;
}

@ObjectType('VisitSatisfaction')
export class SatisfactionType implements SatisfactionFigures {
  @Field(() => Int) readonly count: number;
  @Field(() => Float, { nullable: true, description: 'Two decimals' }) readonly average: number | null;
  @Field(() => [Int], { description: 'Counts of scores 1 to 5' }) readonly distribution: readonly number[];
  @Field(() => Int, { description: 'Scores at or below the configured low mark' }) readonly low: number;
  @Field(() => Float, { nullable: true }) readonly lowShare: number | null;
}

@ObjectType('VisitQualityFigures', { isAbstract: true })
abstract class VisitQualityFiguresType implements VisitQualityFigures {
  @Field(() => Int) readonly visits: number;
  @Field(() => Int) readonly levelOne: number;
  @Field(() => Int) readonly levelTwo: number;
  @Field(() => Int) readonly customersVisited: number;
  @Field(() => Int) readonly levelOneCustomers: number;
  @Field(() => Int, { description: 'Level-1 customers with a level-2 visit in the period on or after their first level-1 visit' }) readonly verifiedCustomers: number;
  @Field(() => Float, { nullable: true, description: 'verifiedCustomers ÷ levelOneCustomers' }) readonly verifiedShare: number | null;
  @Field(() => Int) readonly reached: number;
  @Field(() => Float, { nullable: true, description: 'reached ÷ visits' }) readonly reachedShare: number | null;
  @Field(() => Int) readonly decisionMaker: number;
  @Field(() => Float, { nullable: true, description: 'decisionMaker ÷ reached' }) readonly decisionMakerShare: number | null;
  @Field(() => SatisfactionType) readonly satisfaction: SatisfactionType;
  @Field(() => Int, { description: 'Level-1 visits that followed another rep’s within the window' }) readonly multiHeadVisits: number;
}

@ObjectType('VisitQualityScope')
export class VisitQualityScopeType extends VisitQualityFiguresType {}

@ObjectType('VisitQualityRep')
export class VisitQualityRepType extends VisitQualityFiguresType {
  @Field(() => String) readonly repId: string;
  @Field(() => String, { nullable: true }) readonly repName: string | null;
  @Field(() => String, { nullable: true, description: 'The rep’s group at the end of the period' }) readonly groupId: string | null;
}

@ObjectType('MultiHeadVisit')
export class MultiHeadVisitType implements MultiHeadVisit {
  @Field(() => String) readonly visitId: string;
  @Field(() => String) readonly on: string;
  @Field(() => String) readonly repId: string;
  @Field(() => String, { nullable: true }) readonly groupId: string | null;
  @Field(() => String) readonly serviceRepId: string;
  @Field(() => String) readonly channel: VisitChannel;
  @Field(() => Int) readonly level: VisitLevel;
  @Field(() => Boolean, { description: 'Came after another rep’s visit within the window' }) readonly multiHead: boolean;
}

@ObjectType('MultiHeadCase')
export class MultiHeadCaseType implements MultiHeadCase {
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String) readonly from: string;
  @Field(() => String) readonly to: string;
  @Field(() => [String]) readonly repIds: readonly string[];
  @Field(() => Boolean, { description: 'The reps were in different groups' }) readonly crossGroup: boolean;
  @Field(() => [MultiHeadVisitType]) readonly visits: readonly MultiHeadVisitType[];
}

@ObjectType('MultiHeadSummary')
export class MultiHeadSummaryType {
  @Field(() => Int) readonly cases: number;
  @Field(() => Int) readonly customers: number;
  @Field(() => [MultiHeadCaseType]) readonly list: readonly MultiHeadCaseType[];
}

@ObjectType('VisitQuality', { description: 'Level-2 verification, reach, satisfaction and multi-head visits over a period' })
export class VisitQualityType implements VisitQualityReport {
  @Field(() => PeriodType) readonly period: PeriodType;
  @Field(() => String, { nullable: true }) readonly groupId: string | null;
  @Field(() => Int) readonly multiHeadWindowDays: number;
  @Field(() => [VisitQualityRepType]) readonly reps: readonly VisitQualityRepType[];
  @Field(() => VisitQualityScopeType) readonly scope: VisitQualityScopeType;
  @Field(() => MultiHeadSummaryType) readonly multiHead: MultiHeadSummaryType;
}

// Capacity

@ArgsType()
export class CapacityArgs {
  @Field(() => String, { nullable: true, description: 'Read assignments as they stood on this day (default: now)' })
  @DayField({ optional: true })
  asOf?: string;
}

@ObjectType('StaffingAdvice', { description: 'Seed 001: service reps between ⌈n ÷ stretch⌉ and ⌈n ÷ per rep⌉, none below the dedicated-rep mark' })
export class StaffingAdviceType implements StaffingAdvice {
  @Field(() => Int) readonly customers: number;
  @Field(() => Int) readonly serviceReps: number;
  @Field(() => Int) readonly serviceRepsMin: number;
  @Field(() => ManagerAdviceEnum) readonly manager: ManagerAdvice;
}

@ObjectType('CapacityLoad', { isAbstract: true })
abstract class LoadType {
  @Field(() => Int) readonly customers: number;
  @Field(() => Int, { description: 'reps × customers per rep' }) readonly capacity: number;
  @Field(() => Float, { nullable: true, description: 'customers ÷ capacity' }) readonly load: number | null;
  @Field(() => Int, { description: 'capacity − customers; negative when over' }) readonly headroom: number;
  @Field(() => LoadStatusEnum) readonly status: LoadStatus;
}

@ObjectType('CapacityRep')
export class CapacityRepType extends LoadType implements RepCapacity {
  @Field(() => String) readonly repId: string;
  @Field(() => String, { nullable: true }) readonly repName: string | null;
  @Field(() => RepRoleEnum, { nullable: true }) readonly role: RepRole | null;
  @Field(() => String, { nullable: true }) readonly groupId: string | null;
  @Field(() => Int) readonly keyAccounts: number;
}

@ObjectType('CapacityGroup')
export class CapacityGroupType extends LoadType implements GroupCapacity {
  @Field(() => String) readonly groupId: string;
  @Field(() => String, { nullable: true }) readonly groupName: string | null;
  @Field(() => Int) readonly reps: number;
  @Field(() => StaffingAdviceType) readonly advice: StaffingAdviceType;
  @Field(() => Int, { description: 'advice.serviceReps − reps' }) readonly repsShort: number;
}

@ObjectType('CapacityScope')
export class CapacityScopeType extends LoadType {
  @Field(() => Int) readonly reps: number;
  @Field(() => StaffingAdviceType) readonly advice: StaffingAdviceType;
  @Field(() => Int, { description: 'advice.serviceReps − reps' }) readonly repsShort: number;
}

@ObjectType('Capacity', { description: 'Active customers per rep against the configured load, with the recommended staffing' })
export class CapacityType implements Capacity {
  @Field(() => String, { nullable: true, description: 'Null: the assignments now' }) readonly asOf: string | null;
  @Field(() => Int) readonly customersPerRep: number;
  @Field(() => [CapacityRepType]) readonly reps: readonly CapacityRepType[];
  @Field(() => [CapacityGroupType]) readonly groups: readonly CapacityGroupType[];
  @Field(() => CapacityScopeType) readonly scope: CapacityScopeType;
}
