/** Pure calendar helpers on ISO dates (YYYY-MM-DD); no clock. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Leap years of the proleptic Gregorian calendar (as `Date` counts them). */
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * A calendar day written YYYY-MM-DD that exists (no 2026-02-30). Counted, not parsed through `Date`: every request
 * with a date checks it, some more than once.
 */
export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!);
};

/**
 * The business days the service accepts from its users: 2000-01-01 to 2099-12-31. A day outside them is a typing
 * or clock mistake (a visit in 1970, telemetry for 0000-01-01, a term to 9999-12-31), never an after-sales fact.
 */
export const EARLIEST_BUSINESS_DAY = '2000-01-01';
export const LATEST_BUSINESS_DAY = '2099-12-31';

/** A calendar day (YYYY-MM-DD) within the business days the service accepts. */
export const isBusinessDay = (value: unknown): value is string => isIsoDate(value) && value >= EARLIEST_BUSINESS_DAY && value <= LATEST_BUSINESS_DAY;

const DAY_MS = 86_400_000;

/** Milliseconds at UTC midnight of an ISO day, through `Date` (the fallback for days outside years 0–9999). */
const utcMidnight = (date: string): number => {
  const at = new Date(0);
  at.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return at.getTime();
};

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, in integer arithmetic (H. Hinnant's `days_from_civil`):
 * the views and projections call it in every window they sum over, and a `Date` per call cost a third of a rebuild.
 * A day past the month's end counts on into the next month, as `Date` does.
 */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

/** The ISO day of a day number (`civil_from_days`), for years 0–9999; undefined outside them. */
const civilFromDays = (days: number): string | undefined => {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return undefined;
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${two(month)}-${two(day)}`;
};

/**
 * Days and their numbers already met, both ways: a rebuild asks for the same few hundred days millions of times (the
 * windows every customer's figures sum over), and a lookup is several times cheaper than parsing the text again.
 * Bounded, so arbitrary input cannot grow them: past the bound, days are computed without being kept.
 */
const KEPT_DAYS = 50_000;
const numbersOfDays = new Map<string, number>();
const daysOfNumbers = new Map<number, string>();

/** The day number of an ISO day, or NaN when the text is not one (callers then take the `Date` path). */
const dayNumber = (date: string): number => {
  const known = numbersOfDays.get(date);
  if (known !== undefined) return known;
  if (!ISO_DATE.test(date)) return Number.NaN;
  const month = Number(date.slice(5, 7));
  if (month < 1 || month > 12) return Number.NaN;
  const days = daysFromCivil(Number(date.slice(0, 4)), month, Number(date.slice(8, 10)));
  if (numbersOfDays.size < KEPT_DAYS) numbersOfDays.set(date, days);
  return days;
};

/** `civilFromDays`, kept (see KEPT_DAYS). */
const dayOfNumber = (days: number): string | undefined => {
  const known = daysOfNumbers.get(days);
  if (known !== undefined) return known;
  const day = civilFromDays(days);
  if (day !== undefined && daysOfNumbers.size < KEPT_DAYS) daysOfNumbers.set(days, day);
  return day;
};

/**
 * ISO weekday (1 = Monday … 7 = Sunday) of a day given as text, or NaN where `Date` finds no such day (a month out
 * of range, a day of the month outside 01–31). Days 29–31 past a month's end count on into the next month, as in
 * `Date`.
 */
export const isoWeekdayOf = (date: string): number => {
  const days = dayNumber(date);
  const dayOfMonth = Number(date.slice(8, 10));
  if (Number.isNaN(days) || dayOfMonth < 1 || dayOfMonth > 31) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday === 0 ? 7 : weekday;
  }
  // 1970-01-01, day 0, was a Thursday.
  const weekday = (((days + 4) % 7) + 7) % 7;
  return weekday === 0 ? 7 : weekday;
};

export const daysBetween = (from: string, to: string): number => {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
  return b - a;
};

/** The ISO day `days` after `date` (before, when negative); the views call it in every window they sum over. */
export const addDays = (date: string, days: number): string => {
  const from = dayNumber(date);
  const fast = Number.isNaN(from) || !Number.isInteger(days) ? undefined : dayOfNumber(from + days);
  if (fast !== undefined) return fast;
  const at = new Date(utcMidnight(date) + days * DAY_MS);
  const year = at.getUTCFullYear();
  if (year < 0 || year > 9999) return at.toISOString().slice(0, 10);
  return `${String(year).padStart(4, '0')}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())}`;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a given IANA time zone (formatters are costly to build: one per zone). */
export const dateInZone = (instant: string, timeZone: string): string => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(instant));
};
