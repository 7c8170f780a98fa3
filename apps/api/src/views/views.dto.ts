import { Type } from 'class-transformer';
import { type Product, PRODUCTS } from '#customer';
import type { ChurnRiskLevel, PipelineFlag, PipelineStatus } from '#views';
import type { PeriodKind } from '#shared-kernel';
import { DayField, EnumField, IdField, IntField } from '../http/fields';

export const MAX_PAGE_SIZE = 500;

/** Query strings arrive as text: numbers are converted before they are validated. */
export class PagingQuery {
  @Type(() => Number) @IntField({ optional: true, min: 0, description: 'Rows to skip (default 0)' }) offset?: number;
  @Type(() => Number) @IntField({ optional: true, min: 1, max: MAX_PAGE_SIZE, description: `Rows per page, 1–${MAX_PAGE_SIZE} (default 50)` }) limit?: number;
}

export class ChurnRiskQuery extends PagingQuery {
  @DayField({ description: 'The day the score is computed for', example: '2026-03-10' }) asOf!: string;
  @IdField({ optional: true, description: 'Only customers assigned to this rep on asOf' }) repId?: string;
  @IdField({ optional: true, description: 'Only customers of reps in this group on asOf' }) groupId?: string;
  @EnumField(['high', 'medium', 'low'], { optional: true }) level?: ChurnRiskLevel;
  @EnumField(PRODUCTS, { optional: true }) product?: Product;
}

export class PipelineQuery extends PagingQuery {
  @DayField({ example: '2026-03-10' }) asOf!: string;
  @EnumField(['15', '30', '90', 'ended'], { optional: true, description: 'Terms ending within a configured window in days (15, 30, 90 by default; 30 also lists the 15-day band) or "ended" (within the grace period); each item names its band' })
  window?: string;
  @EnumField(['pending', 'renewed', 'lapsed'], { optional: true }) status?: PipelineStatus;
  @EnumField(['reminder_due', 'under_contacted'], { optional: true }) flag?: PipelineFlag;
  @IdField({ optional: true }) repId?: string;
  @IdField({ optional: true }) groupId?: string;
}

export class WorklistQuery {
  @DayField({ description: 'The working day', example: '2026-03-10' }) date!: string;
}

export class KpisQuery {
  @EnumField(['day', 'week', 'month'], { description: 'A day, the ISO week (Monday–Sunday) or the calendar month holding `date`' }) period!: PeriodKind;
  @DayField({ example: '2026-03-10' }) date!: string;
}

export class TeamKpisQuery extends KpisQuery {
  @IdField({ optional: true, description: 'Only reps in this group at the end of the period' }) groupId?: string;
}

export class LeaderboardQuery {
  @DayField({ description: 'Any day of the week (weeks run Monday–Sunday)', example: '2026-03-09' }) week!: string;
}

export const paging = (query: PagingQuery) => ({ offset: query.offset ?? 0, limit: query.limit ?? 50 });
