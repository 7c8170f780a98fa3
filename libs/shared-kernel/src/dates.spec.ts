import { addDays, daysBetween } from './dates';

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
});
