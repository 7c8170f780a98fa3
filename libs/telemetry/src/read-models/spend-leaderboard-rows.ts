/** Board rows of the spend-increase leaderboard: totals over customers, ranked by increment. */
export interface CustomerWeek {
  readonly customerId: string;
  readonly repId: string;
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
  const incrementFen = spendFen - previousSpendFen;
  const incrementPercent = previousSpendFen === 0 ? null : Math.round((incrementFen / previousSpendFen) * 1000) / 10;
  return { customers: weeks.length, spendFen, previousSpendFen, incrementFen, incrementPercent, deaths, revivals };
};

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
