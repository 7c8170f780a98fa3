import { ArgsType, Field, Int, registerEnumType } from '@nestjs/graphql';
import { type Product, PRODUCTS } from '#customer';
import type { ChurnReasonCode, ChurnRiskLevel } from '../churn-risk/churn-risk';
import type { PipelineFlag, PipelineStatus } from '../renewal-pipeline/renewal-pipeline';
import type { WorklistItemKind } from '../worklist/worklist';
import type { PeriodKind } from '#shared-kernel';
import { REP_ROLES, type RepRole } from '#staff';
import { MAX_PAGE_SIZE } from './rest.dto';
import { IntField } from '#fields';

/** GraphQL enums whose names are the domain's own strings, so REST and GraphQL clients use the same values. */
const enumOf = <T extends string>(values: readonly T[]): { readonly [K in T]: K } =>
  Object.fromEntries(values.map((value) => [value, value])) as { readonly [K in T]: K };
/** A record keyed by every member of a union: the compiler refuses a list that misses one. */
const everyOf = <T extends string>(members: Record<T, true>): T[] => Object.keys(members) as T[];

export const CHURN_RISK_LEVELS = everyOf<ChurnRiskLevel>({ high: true, medium: true, low: true });
export const CHURN_REASON_CODES = everyOf<ChurnReasonCode>({
  no_login: true,
  no_contact: true,
  expiring_under_contacted: true,
  expiring_without_reminder: true,
  no_inquiry: true,
  unread_inquiries: true,
  spend_drop: true,
  dormant: true,
  issue_open: true,
  resolved_not_communicated: true,
  low_satisfaction: true,
  open_complaint: true,
});
export const PIPELINE_STATUSES = everyOf<PipelineStatus>({ pending: true, renewed: true, lapsed: true });
export const PIPELINE_FLAGS = everyOf<PipelineFlag>({ reminder_due: true, under_contacted: true });
export const PERIOD_KINDS = everyOf<PeriodKind>({ day: true, week: true, month: true });
export const WORKLIST_ITEM_KINDS = everyOf<WorklistItemKind>({
  follow_up_due: true,
  not_contacted: true,
  no_login: true,
  unread_inquiries: true,
  expiring_under_contacted: true,
  reminder_due: true,
  issue_awaiting_resolution: true,
  issue_awaiting_communication: true,
});

export const ChurnRiskLevelEnum = enumOf(CHURN_RISK_LEVELS);
export const ChurnReasonCodeEnum = enumOf(CHURN_REASON_CODES);
export const ProductEnum = enumOf<Product>(PRODUCTS);
export const PipelineStatusEnum = enumOf(PIPELINE_STATUSES);
export const PipelineFlagEnum = enumOf(PIPELINE_FLAGS);
export const PeriodKindEnum = enumOf(PERIOD_KINDS);
export const WorklistItemKindEnum = enumOf(WORKLIST_ITEM_KINDS);
export const RepRoleEnum = enumOf<RepRole>(REP_ROLES);

registerEnumType(ChurnRiskLevelEnum, { name: 'ChurnRiskLevel', description: 'Churn-risk level from the configured score thresholds' });
registerEnumType(ChurnReasonCodeEnum, { name: 'ChurnReasonCode', description: 'Why a customer scores churn-risk points' });
registerEnumType(ProductEnum, { name: 'Product' });
registerEnumType(PipelineStatusEnum, { name: 'PipelineStatus', description: 'A term’s renewal status on asOf' });
registerEnumType(PipelineFlagEnum, { name: 'PipelineFlag', description: 'Something the service rep still has to do for a term' });
registerEnumType(PeriodKindEnum, { name: 'PeriodKind', description: 'A day, the ISO week (Monday–Sunday) or the calendar month' });
registerEnumType(WorklistItemKindEnum, { name: 'WorklistItemKind' });
registerEnumType(RepRoleEnum, { name: 'RepRole' });

/** Offset paging with the REST defaults and bounds. */
@ArgsType()
export class PagingArgs {
  @Field(() => Int, { defaultValue: 0, description: 'Rows to skip' })
  @IntField({ min: 0 })
  offset: number;

  @Field(() => Int, { defaultValue: 50, description: `Rows per page, 1–${MAX_PAGE_SIZE}` })
  @IntField({ min: 1, max: MAX_PAGE_SIZE })
  limit: number;
}
