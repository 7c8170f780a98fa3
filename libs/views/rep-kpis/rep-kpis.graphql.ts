import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { Period, PeriodKind } from '#shared-kernel';
import type { RepRole } from '#staff';
import type { Commission, DailyTarget, MonthlyCoverage, RenewalRate, Workload, WorkloadKind } from './rep-kpis';
import type { RepKpisRow } from './rep-kpis.query';
import { DayField, EnumField, IdField } from '#fields';
import { PERIOD_KINDS, PeriodKindEnum, RepRoleEnum } from '../shared/graphql.types';

/** Sums of renewals over many customers can pass 2^31 fen, beyond GraphQL's 32-bit Int. */
const SUMMED_FEN = 'fen (1 CNY = 100 fen); a Float because sums over many customers can exceed a 32-bit Int';

/** A day, ISO week or month, named by any day in it: the period arguments of the KPI and report queries. */
@ArgsType()
export class PeriodArgs {
  @Field(() => PeriodKindEnum, { description: 'The day, ISO week or month holding `of`' })
  @EnumField(PERIOD_KINDS)
  period: PeriodKind;

  @Field(() => String, { description: 'Any day of the period (YYYY-MM-DD)' })
  @DayField()
  of: string;
}

@ArgsType()
export class TeamKpisArgs extends PeriodArgs {
  @Field(() => String, { nullable: true, description: 'Only reps in this group at the end of the period' })
  @IdField({ optional: true })
  groupId?: string;
}

@ArgsType()
export class RepKpisArgs extends PeriodArgs {
  @Field(() => String)
  @IdField()
  repId: string;
}

@ObjectType('Period')
export class PeriodType implements Period {
  @Field(() => PeriodKindEnum) readonly kind: PeriodKind;
  @Field(() => String, { description: 'First day, inclusive' }) readonly from: string;
  @Field(() => String, { description: 'Last day, inclusive' }) readonly to: string;
}

@ObjectType('DayRange')
export class DayRangeType {
  @Field(() => String) readonly from: string;
  @Field(() => String) readonly to: string;
}

@ObjectType('MonthlyCoverage')
export class MonthlyCoverageType implements MonthlyCoverage {
  @Field(() => DayRangeType, { description: 'From the first of the month to the end of the period' }) readonly month: DayRangeType;
  @Field(() => Int) readonly covered: number;
  @Field(() => Int) readonly assigned: number;
  @Field(() => Float, { nullable: true, description: 'covered ÷ assigned as a fraction; null when nothing is assigned' }) readonly rate: number | null;
}

@ObjectType('ExpiringUnderContacted')
export class ExpiringUnderContactedType {
  @Field(() => Int) readonly count: number;
  @Field(() => [String]) readonly customerIds: readonly string[];
}

@ObjectType('ReminderCounts', { description: 'late + early = sent − onTime' })
export class ReminderCountsType {
  @Field(() => Int) readonly sent: number;
  @Field(() => Int) readonly onTime: number;
  @Field(() => Int, { description: 'Closer to the term end than the window allows' }) readonly late: number;
  @Field(() => Int, { description: 'Further from the term end than the window allows' }) readonly early: number;
}

@ObjectType('Renewals')
export class RenewalsType {
  @Field(() => Int) readonly count: number;
  @Field(() => Float, { description: `Amount collected, in ${SUMMED_FEN}` }) readonly amountFen: number;
}

@ObjectType('RenewalRate')
export class RenewalRateType implements RenewalRate {
  @Field(() => Int) readonly due: number;
  @Field(() => Int) readonly renewed: number;
  @Field(() => Float, { nullable: true, description: 'renewed ÷ due as a fraction; null when nothing was due' }) readonly rate: number | null;
  @Field(() => Int, { description: 'Due terms not renewed yet whose grace period has not ended' }) readonly awaitingGrace: number;
}

@ObjectType('WorkloadPoints', { description: 'Counts × the configured weights' })
export class WorkloadPointsType implements Record<WorkloadKind, number> {
  @Field(() => Int) readonly phoneReached: number;
  @Field(() => Int) readonly otherContact: number;
  @Field(() => Int) readonly onsiteOrMeeting: number;
  @Field(() => Int) readonly renewalReminder: number;
  @Field(() => Int) readonly renewalCollected: number;
  @Field(() => Int) readonly resolutionCommunicated: number;
}

@ObjectType('Workload')
export class WorkloadType implements Workload {
  @Field(() => WorkloadPointsType) readonly points: WorkloadPointsType;
  @Field(() => Int) readonly total: number;
  @Field(() => Int, { nullable: true, description: 'Fen; null for days and weeks (assessed monthly) and for supervisors and sales reps (only service reps are assessed)' }) readonly fineFen: number | null;
  @Field(() => Int, { nullable: true, description: 'Fen; null for days and weeks (assessed monthly) and for supervisors and sales reps (only service reps are assessed)' }) readonly bonusFen: number | null;
}

@ObjectType('ServiceCommission')
export class ServiceCommissionType {
  @Field(() => Float, { description: 'The tier’s percent for the renewal rate' }) readonly ratePercent: number;
  @Field(() => Float, { description: `Renewals collected as service rep, in ${SUMMED_FEN}` }) readonly baseFen: number;
  @Field(() => Float, { description: `Commission, in ${SUMMED_FEN}` }) readonly amountFen: number;
}

@ObjectType('Commission')
export class CommissionType implements Commission {
  @Field(() => Float, { description: `Renewals collected, in ${SUMMED_FEN}` }) readonly baseFen: number;
  @Field(() => Float) readonly percent: number;
  @Field(() => Float, { description: `Commission, in ${SUMMED_FEN}` }) readonly amountFen: number;
}

@ObjectType('DailyTarget')
export class DailyTargetType implements DailyTarget {
  @Field(() => String) readonly day: string;
  @Field(() => Int) readonly customersServed: number;
  @Field(() => Int) readonly phoneCalls: number;
  @Field(() => Boolean) readonly customersServedMet: boolean;
  @Field(() => Boolean) readonly phoneCallsMet: boolean;
}

@ObjectType('DailyTargetSummary')
export class DailyTargetSummaryType {
  @Field(() => Int) readonly workingDays: number;
  @Field(() => Int) readonly customersServedMet: number;
  @Field(() => Int) readonly phoneCallsMet: number;
  @Field(() => Int) readonly bothMet: number;
}

@ObjectType('DailyTargets')
export class DailyTargetsType {
  @Field(() => [DailyTargetType], { description: 'One row per working day of the period' }) readonly days: readonly DailyTargetType[];
  @Field(() => DailyTargetSummaryType) readonly summary: DailyTargetSummaryType;
}

@ObjectType('RepKpis', { description: 'A rep’s KPIs for a day, ISO week or month, computed at query time' })
export class RepKpisType implements RepKpisRow {
  @Field(() => String) readonly repId: string;
  @Field(() => String) readonly repName: string;
  @Field(() => RepRoleEnum) readonly role: RepRole;
  @Field(() => String, { nullable: true, description: 'The rep’s group at the end of the period' }) readonly groupId: string | null;
  @Field(() => PeriodType) readonly period: PeriodType;
  @Field(() => Int) readonly calls: number;
  @Field(() => Int) readonly contacts: number;
  @Field(() => Int) readonly visits: number;
  @Field(() => Int) readonly distinctCustomersServed: number;
  @Field(() => Int) readonly levelTwoVisits: number;
  @Field(() => MonthlyCoverageType) readonly monthlyCoverage: MonthlyCoverageType;
  @Field(() => ExpiringUnderContactedType) readonly expiringUnderContacted: ExpiringUnderContactedType;
  @Field(() => ReminderCountsType) readonly reminders: ReminderCountsType;
  @Field(() => RenewalsType) readonly renewals: RenewalsType;
  @Field(() => RenewalRateType) readonly renewalRate: RenewalRateType;
  @Field(() => WorkloadType) readonly workload: WorkloadType;
  @Field(() => ServiceCommissionType) readonly serviceCommission: ServiceCommissionType;
  @Field(() => CommissionType, { description: 'Reported apart from the service commission; never counted as new sales' }) readonly salesCommission: CommissionType;
  @Field(() => DailyTargetsType) readonly dailyTargets: DailyTargetsType;
}

@ObjectType('TeamKpis')
export class TeamKpisType {
  @Field(() => PeriodKindEnum) readonly period: PeriodKind;
  @Field(() => String) readonly from: string;
  @Field(() => String) readonly to: string;
  @Field(() => [RepKpisType], { description: 'Every rep the caller may see, by rep id' }) readonly reps: readonly RepKpisType[];
}
