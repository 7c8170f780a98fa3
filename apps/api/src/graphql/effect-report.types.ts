import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Grade, Product, VisitChannel, VisitLevel } from '#customer';
import type { ComparedFigure, ComparisonBasis, DayWindow, EffectFigures, EffectReport, MonthPoint, PreviousTerm, ReportedTerm } from '#reporting';
import { DayField, IdField } from '#fields';
import { AS_OF_DESCRIPTION, TERM_DESCRIPTION, TermField } from '../reports/effect-report.dto';
import { ProductEnum } from '#views';

const BASES: Record<ComparisonBasis, ComparisonBasis> = { full_terms: 'full_terms', same_days: 'same_days', none: 'none' };
export const ComparisonBasisEnum = BASES;
registerEnumType(ComparisonBasisEnum, {
  name: 'EffectComparisonBasis',
  description: 'full_terms: an ended term against the whole previous term; same_days: a running term against as many days from the previous term’s start; none: no previous term',
});

@ArgsType()
export class EffectReportArgs {
  @Field(() => String)
  @IdField()
  customerId: string;

  @Field(() => String, { nullable: true, description: TERM_DESCRIPTION })
  @TermField()
  term?: string;

  @Field(() => String, { nullable: true, description: AS_OF_DESCRIPTION })
  @DayField({ optional: true })
  asOf?: string;
}

@ObjectType('EffectDayWindow', { description: 'Days from `from` to `to`, both inclusive' })
export class EffectDayWindowType implements DayWindow {
  @Field(() => String) readonly from: string;
  @Field(() => String) readonly to: string;
  @Field(() => Int) readonly days: number;
}

@ObjectType('EffectTerm')
export class EffectTermType implements ReportedTerm {
  @Field(() => Int, { description: '1 = the customer’s first term' }) readonly number: number;
  @Field(() => String) readonly start: string;
  @Field(() => String) readonly end: string;
  @Field(() => Int) readonly days: number;
  @Field(() => EffectDayWindowType, { description: 'The days counted: the whole term, or up to asOf while it runs' }) readonly counted: EffectDayWindowType;
  @Field(() => Boolean) readonly complete: boolean;
}

@ObjectType('EffectPreviousTerm')
export class EffectPreviousTermType implements PreviousTerm {
  @Field(() => Int) readonly number: number;
  @Field(() => String) readonly start: string;
  @Field(() => String) readonly end: string;
  @Field(() => Int) readonly days: number;
  @Field(() => EffectDayWindowType, { description: 'The days compared with the reported term’s counted days' }) readonly compared: EffectDayWindowType;
}

@ObjectType('EffectFigure', { description: 'A figure of the term against the previous term. Money in fen (Float: sums can pass 2^31), CPC in CNY' })
export class EffectFigureType implements ComparedFigure {
  @Field(() => Float, { nullable: true }) readonly current: number | null;
  @Field(() => Float, { nullable: true, description: 'The previous term over its compared days; null without one' }) readonly previous: number | null;
  @Field(() => Float, { nullable: true, description: 'current − previous' }) readonly change: number | null;
  @Field(() => Float, { nullable: true, description: 'The change in % of previous (one decimal); null when previous is 0' }) readonly changePercent: number | null;
  @Field(() => Float, { nullable: true, description: 'The whole previous term' }) readonly previousTerm: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Platform figures: the first day the log holds the customer’s telemetry, when a compared period starts before it (then nothing is compared)',
  })
  readonly noDataBefore: string | null;
}

@ObjectType('EffectFigures')
export class EffectFiguresType implements EffectFigures {
  @Field(() => EffectFigureType) readonly logins: EffectFigureType;
  @Field(() => EffectFigureType) readonly shopViews: EffectFigureType;
  @Field(() => EffectFigureType) readonly adClicks: EffectFigureType;
  @Field(() => EffectFigureType) readonly inquiriesReceived: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'Summed over the visits’ reported effect' }) readonly reportedCalls: EffectFigureType;
  @Field(() => EffectFigureType) readonly reportedInquiries: EffectFigureType;
  @Field(() => EffectFigureType) readonly reportedDeals: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'fen' }) readonly spendFen: EffectFigureType;
  @Field(() => EffectFigureType) readonly clicks: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'Spend ÷ clicks in CNY, 2 decimals; null without clicks' }) readonly cpc: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'On the first day with a spend report' }) readonly keywordsAtStart: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'On the last day with a spend report' }) readonly keywordsAtEnd: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'Average over the days with a spend report, one decimal' }) readonly keywordsAverage: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'Every visit, reached or not, at any level' }) readonly visits: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'Visits that reached the customer' }) readonly contacts: EffectFigureType;
  @Field(() => EffectFigureType) readonly issuesRaised: EffectFigureType;
  @Field(() => EffectFigureType) readonly issuesResolved: EffectFigureType;
  @Field(() => EffectFigureType, { description: 'Resolutions told to the customer (issues closed)' }) readonly issuesCommunicated: EffectFigureType;
  @Field(() => EffectFigureType) readonly buyerIntroductions: EffectFigureType;
  @Field(() => EffectFigureType) readonly renewalReminders: EffectFigureType;
}

@ObjectType('EffectVisitsByChannel')
export class EffectVisitsByChannelType extends EffectFigureType {
  @Field(() => String) readonly channel: VisitChannel;
}

@ObjectType('EffectVisitsByLevel')
export class EffectVisitsByLevelType extends EffectFigureType {
  @Field(() => Int, { description: '1 = the responsible rep; 2 = a supervisor’s verification visit' }) readonly level: VisitLevel;
}

@ObjectType('EffectMonth', { description: 'A calendar month of a term, clipped to the counted days' })
export class EffectMonthType implements MonthPoint {
  @Field(() => String, { description: 'YYYY-MM' }) readonly month: string;
  @Field(() => Int, { description: '1 = the term’s first month' }) readonly monthOfTerm: number;
  @Field(() => String) readonly from: string;
  @Field(() => String) readonly to: string;
  @Field(() => Int) readonly days: number;
  @Field(() => Int) readonly logins: number;
  @Field(() => Int) readonly inquiriesReceived: number;
  @Field(() => Float, { description: 'fen' }) readonly spendFen: number;
  @Field(() => Int) readonly clicks: number;
  @Field(() => Float, { nullable: true, description: 'CNY; null without clicks' }) readonly cpc: number | null;
}

@ObjectType('EffectMonths')
export class EffectMonthsType {
  @Field(() => [EffectMonthType], { description: 'The reported term’s counted months' }) readonly current: readonly EffectMonthType[];
  @Field(() => [EffectMonthType], { description: 'The whole previous term’s months; empty without one' }) readonly previous: readonly EffectMonthType[];
}

@ObjectType('EffectServiceRep')
export class EffectServiceRepType {
  @Field(() => String) readonly id: string;
  @Field(() => String) readonly name: string;
}

@ObjectType('EffectReport', { description: 'A customer’s effect report (服务效果统计) for one term, against the previous term' })
export class EffectReportType implements EffectReport {
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String) readonly industry: string;
  @Field(() => ProductEnum) readonly product: Product;
  @Field(() => String) readonly grade: Grade;
  @Field(() => Boolean) readonly keyAccount: boolean;
  @Field(() => EffectServiceRepType, { nullable: true, description: 'Responsible on the last counted day' }) readonly serviceRep: EffectServiceRepType | null;
  @Field(() => String, { description: 'The business day the report is made for' }) readonly asOf: string;
  @Field(() => EffectTermType) readonly term: EffectTermType;
  @Field(() => EffectPreviousTermType, { nullable: true }) readonly previousTerm: EffectPreviousTermType | null;
  @Field(() => ComparisonBasisEnum) readonly basis: ComparisonBasis;
  @Field(() => String) readonly comparisonNote: string;
  @Field(() => [String]) readonly headline: readonly string[];
  @Field(() => EffectFiguresType) readonly figures: EffectFiguresType;
  @Field(() => [EffectVisitsByChannelType]) readonly visitsByChannel: readonly EffectVisitsByChannelType[];
  @Field(() => [EffectVisitsByLevelType]) readonly visitsByLevel: readonly EffectVisitsByLevelType[];
  @Field(() => EffectMonthsType) readonly months: EffectMonthsType;
}

