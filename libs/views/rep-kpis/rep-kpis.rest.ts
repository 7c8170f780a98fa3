import { EnumField, DayField, IdField } from '#fields';
import type { PeriodKind } from '#shared-kernel';

/** GET /reps/:repId/kpis: its query string. */
export class KpisQuery {
  @EnumField(['day', 'week', 'month'], { description: 'A day, the ISO week (Monday–Sunday) or the calendar month holding `date`' }) period!: PeriodKind;
  @DayField({ example: '2026-03-10' }) date!: string;
}

/** GET /kpis (the team): its query string. */
export class TeamKpisQuery extends KpisQuery {
  @IdField({ optional: true, description: 'Only reps in this group at the end of the period' }) groupId?: string;
}
