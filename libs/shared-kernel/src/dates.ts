/** Pure calendar helpers on ISO dates (YYYY-MM-DD); no clock. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

const DAY_MS = 86_400_000;

/** Milliseconds at UTC midnight of an ISO day, read field by field (parsing the text as a date costs far more). */
const utcMidnight = (date: string): number => {
  const at = new Date(0);
  at.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return at.getTime();
};

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

export const daysBetween = (from: string, to: string): number => Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);

/** The ISO day `days` after `date` (before, when negative); the views call it in every window they sum over. */
export const addDays = (date: string, days: number): string => {
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
