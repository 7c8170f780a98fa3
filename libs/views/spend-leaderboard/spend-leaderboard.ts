import type { CustomerFactsDoc } from '#customer';
import { addDays, entryAt, type ServiceRules, weekStart as mondayOf } from '#shared-kernel';
import type { GroupDoc, RepDoc } from '#staff';
import { activityTransitions, isDeath, isRevival } from './activity';
import type { SpendSeries } from '#telemetry';
import { type BoardTotals, type CustomerWeek, type GroupRow, type RepRow, groupBy, ranked, sumTotals, totals } from './spend-leaderboard-rows';

export type { BoardTotals, GroupRow, RepRow } from './spend-leaderboard-rows';

/** Calendar fact, not a rule: an ISO week has seven days. */
const WEEK_DAYS = 7;

export interface SpendLeaderboardInput {
  /** Monday of the week; any other day is taken as the week holding it. */
  readonly weekStart: string;
  /** Bidding customers; others are ignored. */
  readonly customers: readonly CustomerFactsDoc[];
  /** Daily spend by customer id; a customer without a series had no spend. */
  readonly spend: ReadonlyMap<string, SpendSeries>;
  readonly reps: readonly RepDoc[];
  readonly groups: readonly GroupDoc[];
  readonly rules: ServiceRules;
}

export interface SpendLeaderboard {
  readonly week: { readonly from: string; readonly to: string };
  /** Per rep, over the rep's customers that are not key accounts this week. */
  readonly regular: readonly RepRow[];
  /** Per rep, over the rep's key accounts this week (大客户剥离). */
  readonly keyAccounts: readonly RepRow[];
  /** Per group, over all customers of the group's reps. */
  readonly groups: readonly GroupRow[];
}

/** Average cost per click in CNY, rounded to 2 decimals; null without clicks. */
export const averageCpc = (spendFen: number, clicks: number): number | null => (clicks > 0 ? Math.round(spendFen / clicks) / 100 : null);

/** What a customer's week on the board reads of its facts. */
export type LeaderboardFacts = Pick<CustomerFactsDoc, 'id' | 'product' | 'signedOn' | 'assignments'> & {
  readonly churns: readonly Pick<CustomerFactsDoc['churns'][number], 'on' | 'kind'>[];
  readonly renewals: readonly Pick<CustomerFactsDoc['renewals'][number], 'on'>[];
};

/** Churned before `day` and not won back by a renewal since. */
const churnedBefore = (customer: LeaderboardFacts, day: string): boolean => {
  const lastChurn = customer.churns.filter((churn) => churn.on < day).at(-1);
  return lastChurn !== undefined && !customer.renewals.some((renewal) => renewal.on > lastChurn.on && renewal.on < day);
};

/**
 * One customer's contribution to the boards of the week starting `from`: its rep at the week's end, whether it is a
 * key account that week, its spend in the week and the week before, its deaths and revivals; undefined when it has
 * no rep yet, or churned before the week and shows no spend or change in it.
 */
export const customerWeek = (customer: LeaderboardFacts, series: SpendSeries | undefined, from: string, rules: ServiceRules): CustomerWeek | undefined => {
  const to = addDays(from, WEEK_DAYS - 1);
  const repId = entryAt(customer.assignments, to)?.repId;
  if (repId === undefined) return undefined;
  const spendFen = series?.sum('spendFen', from, to) ?? 0;
  const previousSpendFen = series?.sum('spendFen', addDays(from, -WEEK_DAYS), addDays(from, -1)) ?? 0;
  const lapsedOn = customer.churns.filter((churn) => churn.kind === 'lapsed').map((churn) => churn.on);
  const transitions = activityTransitions({ series, signedOn: customer.signedOn, lapsedOn, from, to, rules });
  if (spendFen === 0 && previousSpendFen === 0 && transitions.length === 0 && churnedBefore(customer, from)) return undefined;
  return {
    customerId: customer.id,
    repId,
    // Average daily spend over the days of W−1 at or above the threshold, compared as a sum to stay in whole fen.
    keyAccount: previousSpendFen >= WEEK_DAYS * rules.leaderboard.keyAccountDailySpendFen,
    spendFen,
    previousSpendFen,
    deaths: transitions.filter(isDeath).length,
    revivals: transitions.filter(isRevival).length,
  };
};

/** Board totals of one rep on one board (regular or key accounts): what a week's contributions add up to. */
export interface RepBoardTotals {
  readonly repId: string;
  readonly keyAccount: boolean;
  readonly totals: BoardTotals;
}

const repRows = (rows: readonly RepBoardTotals[], names: ReadonlyMap<string, string>): RepRow[] =>
  ranked(
    rows.map(({ repId, totals: sums }) => ({ repId, repName: names.get(repId) ?? repId, ...sums })),
    (row) => row.repId,
  );

/** The group a rep is in on `day`: its group history, or its current group when it has no history. */
const groupOn = (rep: RepDoc, day: string): string | undefined => {
  if (rep.registeredOn > day) return undefined;
  return rep.groups.length === 0 ? rep.groupId : entryAt(rep.groups, day)?.groupId;
};

/**
 * The three boards of the week starting `from` from each rep's totals per board: regular and key-account rows per
 * rep, and group rows summing the reps in each group at the week's end.
 */
export const boardsOf = (from: string, rows: readonly RepBoardTotals[], reps: readonly RepDoc[], groups: readonly GroupDoc[]): SpendLeaderboard => {
  const to = addDays(from, WEEK_DAYS - 1);
  const names = new Map(reps.map((rep) => [rep.id, rep.name]));
  const repGroup = new Map(reps.map((rep) => [rep.id, groupOn(rep, to)]));
  const repsByGroup = groupBy(reps, (rep) => repGroup.get(rep.id));
  const totalsByGroup = groupBy(rows, (row) => repGroup.get(row.repId));
  const groupRows = groups
    .filter((group) => totalsByGroup.has(group.id))
    .map((group) => ({
      groupId: group.id,
      groupName: group.name,
      reps: repsByGroup.get(group.id)?.length ?? 0,
      ...sumTotals((totalsByGroup.get(group.id) ?? []).map((row) => row.totals)),
    }));
  return {
    week: { from, to },
    regular: repRows(rows.filter((row) => !row.keyAccount), names),
    keyAccounts: repRows(rows.filter((row) => row.keyAccount), names),
    groups: ranked(groupRows, (row) => row.groupId),
  };
};

/** Weekly spend-increase leaderboard (增量排行榜): regular, key-account and group boards, computed at query time. */
export const spendLeaderboard = (input: SpendLeaderboardInput): SpendLeaderboard => {
  const from = mondayOf(input.weekStart);
  const weeks = input.customers
    .filter((customer) => customer.product === 'bidding')
    .map((customer) => customerWeek(customer, input.spend.get(customer.id), from, input.rules))
    .filter((week): week is CustomerWeek => week !== undefined);
  const rows: RepBoardTotals[] = [];
  for (const keyAccount of [false, true]) {
    for (const [repId, own] of groupBy(weeks.filter((week) => week.keyAccount === keyAccount), (week) => week.repId)) rows.push({ repId, keyAccount, totals: totals(own) });
  }
  return boardsOf(from, rows, input.reps, input.groups);
};
