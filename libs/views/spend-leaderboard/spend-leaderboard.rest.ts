import { DayField } from '#fields';

/** GET /leaderboards/spend-increase: its query string. */
export class LeaderboardQuery {
  @DayField({ description: 'Any day of the week (weeks run Monday–Sunday)', example: '2026-03-09' }) week!: string;
}
