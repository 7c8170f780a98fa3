import { DayField } from '#fields';

/** GET /reps/:repId/worklist: its query string. */
export class WorklistQuery {
  @DayField({ description: 'The working day', example: '2026-03-10' }) date!: string;
}
