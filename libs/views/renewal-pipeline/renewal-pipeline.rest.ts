import { DayField, EnumField, IdField } from '#fields';
import { PagingQuery } from '../shared/rest.dto';
import type { PipelineFlag, PipelineStatus } from './renewal-pipeline';

/** GET /renewal-pipeline: its query string. */
export class PipelineQuery extends PagingQuery {
  @DayField({ example: '2026-03-10' }) asOf!: string;
  @EnumField(['15', '30', '90', 'ended'], { optional: true, description: 'Terms ending within a configured window in days (15, 30, 90 by default; 30 also lists the 15-day band) or "ended" (within the grace period); each item names its band' })
  window?: string;
  @EnumField(['pending', 'renewed', 'lapsed'], { optional: true }) status?: PipelineStatus;
  @EnumField(['reminder_due', 'under_contacted'], { optional: true }) flag?: PipelineFlag;
  @IdField({ optional: true }) repId?: string;
  @IdField({ optional: true }) groupId?: string;
}
