import { addDays, isoWeekdayOf } from './dates';

/** Pure calendar periods on ISO days (YYYY-MM-DD): ISO weeks start on Monday; months are calendar months. */
export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  readonly kind: PeriodKind;
  /** First day, inclusive. */
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (day: string): number => isoWeekdayOf(day);

/** The Monday of the ISO week holding `day`. */
export const weekStart = (day: string): string => addDays(day, 1 - isoWeekday(day));

/** The Sunday of the ISO week holding `day`. */
export const weekEnd = (day: string): string => addDays(weekStart(day), 6);

export const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;

/** The last day of the calendar month holding `day`. */
export const monthEnd = (day: string): string => {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
};

/** The day, ISO week or calendar month holding `of`. */
export const periodBounds = (period: { readonly kind: PeriodKind; readonly of: string }): Period => {
  switch (period.kind) {
    case 'day':
      return { kind: 'day', from: period.of, to: period.of };
    case 'week':
      return { kind: 'week', from: weekStart(period.of), to: weekEnd(period.of) };
    case 'month':
      return { kind: 'month', from: monthStart(period.of), to: monthEnd(period.of) };
    default: {
      const unknown: never = period.kind;
      throw new RangeError(`Unknown period kind ${String(unknown)}`);
    }
  }
};

/** Every day from `from` to `to`, both inclusive (empty when `to` is before `from`). */
export const eachDay = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
};

/** The entry of a dated history (oldest first, each holding from its `from`) in force on `day`: the last with `from <= day`. */
export const entryAt = <T extends { readonly from: string }>(history: readonly T[], day: string): T | undefined => {
  let found: T | undefined;
  for (const entry of history) if (entry.from <= day) found = entry;
  return found;
};
