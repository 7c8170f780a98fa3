import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import type { ChurnRiskLevel } from '../churn-risk/churn-risk';
import type { WorklistEntry, WorklistItem, WorklistItemKind } from './worklist';
import type { Worklist } from './worklist.query';
import { DayField, IdField } from '#fields';
import { ChurnRiskLevelEnum, WorklistItemKindEnum } from '../shared/graphql.types';

@ArgsType()
export class WorklistArgs {
  @Field(() => String)
  @IdField()
  repId: string;

  @Field(() => String, { description: 'The working day (YYYY-MM-DD)' })
  @DayField()
  asOf: string;
}

@ObjectType('WorklistItem')
export class WorklistItemType implements WorklistItem {
  @Field(() => WorklistItemKindEnum) readonly kind: WorklistItemKind;
  @Field(() => String) readonly detail: string;
  @Field(() => String, { nullable: true }) readonly dueOn?: string;
}

@ObjectType('WorklistRisk')
export class WorklistRiskType {
  @Field(() => Int) readonly score: number;
  @Field(() => ChurnRiskLevelEnum) readonly level: ChurnRiskLevel;
}

@ObjectType('WorklistEntry')
export class WorklistEntryType implements WorklistEntry {
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String) readonly repId: string;
  @Field(() => WorklistRiskType, { description: 'The customer’s churn risk on asOf' }) readonly risk: WorklistRiskType;
  @Field(() => [WorklistItemType]) readonly items: readonly WorklistItemType[];
}

@ObjectType('Worklist', { description: 'A rep’s day: every assigned customer with something due, riskiest first' })
export class WorklistType implements Worklist {
  @Field(() => String) readonly repId: string;
  @Field(() => String) readonly asOf: string;
  @Field(() => Int, { description: 'Customers assigned to the rep on asOf, with or without something due' }) readonly customersAssigned: number;
  @Field(() => [WorklistEntryType]) readonly entries: readonly WorklistEntryType[];
}
