/** Board rows of the spend-increase leaderboard: totals over customers, ranked by increment. */
export interface CustomerWeek {
  readonly customerId: string;
  /** The rep assigned at the week's end. */
  readonly repId: string;
  /** On the key-account board that week (the week before averaged the key-account daily spend or more). */
  readonly keyAccount: boolean;
  readonly spendFen: number;
  readonly previousSpendFen: number;
  readonly deaths: number;
  readonly revivals: number;
}

export interface BoardTotals {
  readonly customers: number;
  readonly spendFen: number;
  readonly previousSpendFen: number;
  readonly incrementFen: number;
  /** Increment over the previous week's spend, in percent with one decimal; null when that spend was 0. */
  readonly incrementPercent: number | null;
  readonly deaths: number;
  readonly revivals: number;
}

export interface RepRow extends BoardTotals {
  readonly rank: number;
  readonly repId: string;
  readonly repName: string;
}

export interface GroupRow extends BoardTotals {
  readonly rank: number;
  readonly groupId: string;
  readonly groupName: string;
  /** Reps in the group at the end of the week. */
  readonly reps: number;
}

export const totals = (weeks: readonly CustomerWeek[]): BoardTotals => {
  let spendFen = 0;
  let previousSpendFen = 0;
  let deaths = 0;
  let revivals = 0;
  for (const week of weeks) {
    spendFen += week.spendFen;
    previousSpendFen += week.previousSpendFen;
    deaths += week.deaths;
    revivals += week.revivals;
  }
  return boardTotals({ customers: weeks.length, spendFen, previousSpendFen, deaths, revivals });
};

/** The totals of counts and sums: the increment and its percentage follow from them. */
export const boardTotals = (sums: Pick<BoardTotals, 'customers' | 'spendFen' | 'previousSpendFen' | 'deaths' | 'revivals'>): BoardTotals => {
  const incrementFen = sums.spendFen - sums.previousSpendFen;
  const incrementPercent = sums.previousSpendFen === 0 ? null : Math.round((incrementFen / sums.previousSpendFen) * 1000) / 10;
  return { customers: sums.customers, spendFen: sums.spendFen, previousSpendFen: sums.previousSpendFen, incrementFen, incrementPercent, deaths: sums.deaths, revivals: sums.revivals };
};

/** Totals of several rows (a group's reps). */
export const sumTotals = (rows: readonly BoardTotals[]): BoardTotals =>
  boardTotals({
    customers: rows.reduce((n, row) => n + row.customers, 0),
    spendFen: rows.reduce((n, row) => n + row.spendFen, 0),
    previousSpendFen: rows.reduce((n, row) => n + row.previousSpendFen, 0),
    deaths: rows.reduce((n, row) => n + row.deaths, 0),
    revivals: rows.reduce((n, row) => n + row.revivals, 0),
  });

/** Groups items by a key, keeping first-seen order. */
export const groupBy = <T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
};

/** Ranks by increment, largest first; equal increments by id, so the order never depends on input order. */
export const ranked = <T extends BoardTotals>(rows: readonly T[], id: (row: T) => string): (T & { readonly rank: number })[] =>
  [...rows]
    .sort((a, b) => b.incrementFen - a.incrementFen || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0))
    .map((row, index) => ({ rank: index + 1, ...row }));
