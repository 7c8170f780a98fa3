import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import type { Product } from '#customer';
import type { PipelineFlag, PipelineStatus } from './renewal-pipeline';
import type { PipelineRow, PipelineSummary } from './renewal-pipeline.query';
import { DayField, EnumField, IdField } from '#fields';
import { PagingArgs, PIPELINE_FLAGS, PIPELINE_STATUSES, PipelineFlagEnum, PipelineStatusEnum, ProductEnum } from '../shared/graphql.types';

const WINDOW_DOC = 'a configured window in days as text ("15", "30", "90" by default) or "ended" (ended within the grace period)';

@ArgsType()
export class RenewalPipelineArgs extends PagingArgs {
  @Field(() => String, { description: 'The day the pipeline is seen from (YYYY-MM-DD)' })
  @DayField()
  asOf: string;

  @Field(() => String, { nullable: true, description: `Only terms ending within this window, every smaller band included: ${WINDOW_DOC}` })
  @EnumField(['15', '30', '90', 'ended'], { optional: true })
  window?: string;

  @Field(() => PipelineStatusEnum, { nullable: true })
  @EnumField(PIPELINE_STATUSES, { optional: true })
  status?: PipelineStatus;

  @Field(() => PipelineFlagEnum, { nullable: true })
  @EnumField(PIPELINE_FLAGS, { optional: true })
  flag?: PipelineFlag;

  @Field(() => String, { nullable: true })
  @IdField({ optional: true })
  repId?: string;

  @Field(() => String, { nullable: true })
  @IdField({ optional: true })
  groupId?: string;
}

@ObjectType('PipelineRow')
export class PipelineRowType implements PipelineRow {
  @Field(() => String) readonly customerId: string;
  @Field(() => String) readonly companyName: string;
  @Field(() => String, { description: 'The service rep assigned on asOf' }) readonly serviceRepId: string;
  @Field(() => ProductEnum) readonly product: Product;
  @Field(() => String) readonly termEnd: string;
  @Field(() => Int, { description: 'Negative once the term has ended' }) readonly daysToEnd: number;
  // graphql-js serialises a number as a String field's text, so the row needs no conversion.
  @Field(() => String, { description: `The smallest window holding daysToEnd: ${WINDOW_DOC}` }) readonly window: number | 'ended';
  @Field(() => Int) readonly remindersSent: number;
  @Field(() => String, { nullable: true }) readonly lastReminderOn?: string;
  @Field(() => Int, { description: 'Reminders for this term sent inside the on-time window before its end' }) readonly remindersOnTime: number;
  @Field(() => Int, { description: 'Contacts in the last expiring.windowDays days (30 by default)' }) readonly contactsLast30Days: number;
  @Field(() => String, { nullable: true }) readonly lastContactOn?: string;
  @Field(() => [PipelineFlagEnum]) readonly flags: readonly PipelineFlag[];
  @Field(() => PipelineStatusEnum) readonly status: PipelineStatus;
  @Field(() => String, { nullable: true }) readonly renewedOn?: string;
  @Field(() => String, { nullable: true, description: 'The service rep’s group on asOf' }) readonly groupId: string | null;
}

@ObjectType('PipelineWindowSummary')
export class PipelineWindowSummaryType {
  @Field(() => String, { description: `The window: ${WINDOW_DOC}` }) readonly window: number | 'ended';
  @Field(() => Int) readonly pending: number;
  @Field(() => Int) readonly renewed: number;
  @Field(() => Int) readonly lapsed: number;
}

@ObjectType('PipelineSummary', { description: 'Counts over every term in scope, before the window, status and flag filters' })
export class PipelineSummaryType implements PipelineSummary {
  @Field(() => [PipelineWindowSummaryType]) readonly byWindow: readonly PipelineWindowSummaryType[];
  @Field(() => Int) readonly reminderDue: number;
  @Field(() => Int) readonly underContacted: number;
}

@ObjectType('RenewalPipelinePage', { description: 'Terms ending soon (or just ended), soonest first' })
export class RenewalPipelinePageType {
  @Field(() => String) readonly asOf: string;
  @Field(() => PipelineSummaryType) readonly summary: PipelineSummaryType;
  @Field(() => Int, { description: 'Rows matching the filter, before paging' }) readonly total: number;
  @Field(() => Int) readonly offset: number;
  @Field(() => Int) readonly limit: number;
  @Field(() => [PipelineRowType]) readonly items: readonly PipelineRowType[];
}
