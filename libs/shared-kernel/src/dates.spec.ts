import { addDays, daysBetween, isIsoDate, isoWeekdayOf } from './dates';

/** The plain reading of ISO days through the Date parser, which the day arithmetic must agree with everywhere. */
const parsedAddDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const parsedDaysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

describe('day arithmetic', () => {
  it('crosses month ends, leap days and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-10', 0)).toBe('2026-03-10');
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('keeps four-digit years at both ends of the calendar', () => {
    expect(addDays('0000-01-01', 1)).toBe('0000-01-02');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(daysBetween('0000-01-01', '0001-01-01')).toBe(366);
  });

  it('agrees with the Date parser on every day of 1999–2001 and offsets up to a year either way', () => {
    const mismatches: string[] = [];
    for (let day = '1999-01-01'; day <= '2001-12-31'; day = parsedAddDays(day, 1)) {
      for (const offset of [-366, -31, -1, 1, 29, 365]) {
        if (addDays(day, offset) !== parsedAddDays(day, offset)) mismatches.push(`${day}+${offset}`);
        const other = parsedAddDays(day, offset);
        if (daysBetween(day, other) !== parsedDaysBetween(day, other)) mismatches.push(`${day}..${other}`);
      }
    }
    expect(mismatches).toStrictEqual([]);
  });

  it('agrees with the Date parser across century rules (1600, 1700, 1900, 2000, 2100) and far offsets', () => {
    const mismatches: string[] = [];
    for (const start of ['1599-12-01', '1699-12-01', '1899-12-01', '1999-12-01', '2099-12-01']) {
      for (let day = start, i = 0; i < 120; i += 1, day = parsedAddDays(day, 1)) {
        for (const offset of [-146_097, -36_524, -1461, 60, 1461, 36_525]) {
          if (addDays(day, offset) !== parsedAddDays(day, offset)) mismatches.push(`${day}+${offset}`);
        }
      }
    }
    expect(mismatches).toStrictEqual([]);
  });

  it('answers outside years 0–9999 as the first ten characters of Date\'s ISO text, and counts an overflowing day on', () => {
    expect(addDays('9999-12-31', 1)).toBe('+010000-01');
    expect(addDays('0000-01-01', -1)).toBe('-000001-12');
    expect(daysBetween('2026-01-31', '2026-02-30')).toBe(30);
  });

  it('answers the same from the days it keeps as when it computes them, past the bound on kept days too', () => {
    const mismatches: string[] = [];
    // 70,000 consecutive days (more than it keeps), twice: the second pass answers from what it kept where it could.
    for (let pass = 0; pass < 2; pass += 1) {
      for (let i = 0, day = '1900-01-01'; i < 70_000; i += 1) {
        const next = addDays(day, 1);
        if (next !== parsedAddDays(day, 1)) mismatches.push(`${day}+1`);
        if (daysBetween('1900-01-01', day) !== i) mismatches.push(`1900-01-01..${day}`);
        day = next;
      }
    }
    expect(mismatches).toStrictEqual([]);
  });
});

/** The ISO weekday through the Date parser (NaN where it finds no day). */
const parsedWeekday = (date: string): number => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 ? 7 : weekday;
};

describe('isoWeekdayOf', () => {
  it('agrees with the Date parser on every day from 1899 to 2101 and at both ends of the calendar', () => {
    const mismatches: string[] = [];
    for (let day = '1899-01-01'; day <= '2101-12-31'; day = addDays(day, 1)) if (isoWeekdayOf(day) !== parsedWeekday(day)) mismatches.push(day);
    for (const day of ['0000-01-01', '0000-03-01', '0001-01-01', '1582-10-15', '1969-12-31', '1970-01-01', '9999-12-31']) {
      if (isoWeekdayOf(day) !== parsedWeekday(day)) mismatches.push(day);
    }
    expect(mismatches).toStrictEqual([]);
    expect(isoWeekdayOf('2026-11-30')).toBe(1);
    expect(isoWeekdayOf('2026-12-06')).toBe(7);
  });

  it('counts days 29–31 past a month’s end on, as Date does, and is NaN where Date finds no day', () => {
    expect(isoWeekdayOf('2026-02-30')).toBe(1);
    expect(isoWeekdayOf('2026-02-31')).toBe(2);
    expect(isoWeekdayOf('2026-04-31')).toBe(5);
    for (const text of ['2026-13-01', '2026-00-10', '2026-01-32', '2026-01-00', '2026-1-01', 'not a day', '']) expect(isoWeekdayOf(text)).toBeNaN();
  });
});

describe('isIsoDate', () => {
  /** What `Date` says of a day: the check before it was counted by hand. */
  const byDate = (value: string): boolean => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
  };

  it('agrees with Date on every month 00–13 and day 00–32 of years around each leap rule', () => {
    const years = [0, 1, 4, 100, 400, 1899, 1900, 1999, 2000, 2001, 2023, 2024, 2025, 2026, 2099, 2100, 2400, 9999];
    let checked = 0;
    for (const year of years) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect([value, isIsoDate(value)]).toStrictEqual([value, byDate(value)]);
          checked += 1;
        }
      }
    }
    expect(checked).toBe(18 * 14 * 33);
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-12-31', true],
    ['2026-1-01', false],
    ['2026-01-01T00:00:00Z', false],
    [' 2026-01-01', false],
    ['２０２６-01-01', false],
    [20260101, false],
    [null, false],
  ])('%j is a day: %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});
