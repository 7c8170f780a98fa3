import type { PeriodKind } from '#shared-kernel';
import { DayField, EnumField, IdField } from '#fields';

export class FeedbackReportQuery {
  @DayField({ description: 'Any day of the ISO week (Monday–Sunday)', example: '2026-03-11' }) week!: string;
  @DayField({
    optional: true,
    description: 'Count only up to this day when it is before the Sunday (default: today’s business day); not before the Monday',
    example: '2026-03-12',
  })
  asOf?: string;
}

export class VisitQualityQuery {
  @EnumField(['day', 'week', 'month'], { description: 'A day, the ISO week (Monday–Sunday) or the calendar month holding `date`' }) period!: PeriodKind;
  @DayField({ example: '2026-03-10' }) date!: string;
  @IdField({ optional: true, description: 'Only reps in this group at the end of the period, and their customers' }) groupId?: string;
}

export class CapacityQuery {
  @DayField({ optional: true, description: 'Read assignments as they stood on this day (default: now)', example: '2026-03-10' }) asOf?: string;
}
