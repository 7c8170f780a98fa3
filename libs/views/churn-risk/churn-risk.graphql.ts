import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { type Product, PRODUCTS } from '#customer';
import type { ChurnReason, ChurnReasonCode, ChurnRiskLevel } from './churn-risk';
import type { ChurnRiskRow } from './churn-risk.query';
import { DayField, EnumField, IdField } from '#fields';
import { CHURN_RISK_LEVELS, ChurnReasonCodeEnum, ChurnRiskLevelEnum, PagingArgs, ProductEnum } from '../shared/graphql.types';

@ArgsType()
export class ChurnRiskArgs extends PagingArgs {
  @Field(() => String, { description: 'The day the score is computed for (YYYY-MM-DD)' })
  @DayField()
  asOf: string;

  @Field(() => String, { nullable: true, description: 'Only customers assigned to this rep on asOf' })
  @IdField({ optional: true })
  repId?: string;

  @Field(() => String, { nullable: true, description: 'Only customers of reps in this group on asOf' })
  @IdField({ optional: true })
  groupId?: string;

  @Field(() => ChurnRiskLevelEnum, { nullable: true })
  @EnumField(CHURN_RISK_LEVELS, { optional: true })
  level?: ChurnRiskLevel;

  @Field(() => ProductEnum, { nullable: true })
  @EnumField(PRODUCTS, { optional: true })
  product?: Product;
}

@ObjectType('ChurnReason')
export class ChurnReasonType implements ChurnReason {
  @Field(() => ChurnReasonCodeEnum) readonly code: ChurnReasonCode;
  @Field(() => Int) readonly points: number;
  @Field(() => String, { description: 'The facts behind the points, in words' }) readonly detail: string;
}

@ObjectType('ChurnRiskRow')
export class ChurnRiskRowType implements ChurnRiskRow {
  @Field(() => String) readonly customerId: string;
  @Field(() => Int, { description: 'Sum of the reasons’ points, capped by the rules' }) readonly score: number;
  @Field(() => ChurnRiskLevelEnum) readonly level: ChurnRiskLevel;
  @Field(() => [ChurnReasonType]) readonly reasons: readonly ChurnReasonType[];
  @Field(() => String) readonly companyName: string;
  @Field(() => ProductEnum) readonly product: Product;
  @Field(() => Boolean) readonly keyAccount: boolean;
  @Field(() => String, { description: 'The service rep assigned on asOf' }) readonly serviceRepId: string;
  @Field(() => String, { nullable: true, description: 'That rep’s group on asOf' }) readonly groupId: string | null;
}

@ObjectType('ChurnRiskPage', { description: 'Customers by churn risk on asOf, riskiest first' })
export class ChurnRiskPageType {
  @Field(() => String) readonly asOf: string;
  @Field(() => Int, { description: 'Rows matching the filter, before paging' }) readonly total: number;
  @Field(() => Int) readonly offset: number;
  @Field(() => Int) readonly limit: number;
  @Field(() => [ChurnRiskRowType]) readonly items: readonly ChurnRiskRowType[];
}
