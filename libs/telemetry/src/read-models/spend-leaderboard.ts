import type { CustomerFactsDoc } from '../../../customer/src/read-models/customer-facts.doc';
import { addDays } from '../../../shared-kernel/src/dates';
import { entryAt, weekStart as mondayOf } from '../../../shared-kernel/src/periods';
import type { ServiceRules } from '../../../shared-kernel/src/service-rules';
import type { GroupDoc, RepDoc } from '../../../staff/src/read-models/staff.doc';
import { activityTransitions, isDeath, isRevival } from './activity';
import type { SpendSeries } from './daily-series';
import { type CustomerWeek, type GroupRow, type RepRow, groupBy, ranked, totals } from './spend-leaderboard-rows';

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

/** Churned before `day` and not won back by a renewal since. */
const churnedBefore = (customer: CustomerFactsDoc, day: string): boolean => {
  const lastChurn = customer.churns.filter((churn) => churn.on < day).at(-1);
  return lastChurn !== undefined && !customer.renewals.some((renewal) => renewal.on > lastChurn.on && renewal.on < day);
};

const customerWeek = (customer: CustomerFactsDoc, input: SpendLeaderboardInput, from: string, to: string): CustomerWeek | undefined => {
  const repId = entryAt(customer.assignments, to)?.repId;
  if (repId === undefined) return undefined;
  const series = input.spend.get(customer.id);
  const spendFen = series?.sum('spendFen', from, to) ?? 0;
  const previousSpendFen = series?.sum('spendFen', addDays(from, -WEEK_DAYS), addDays(from, -1)) ?? 0;
  const lapsedOn = customer.churns.filter((churn) => churn.kind === 'lapsed').map((churn) => churn.on);
  const transitions = activityTransitions({ series, signedOn: customer.signedOn, lapsedOn, from, to, rules: input.rules });
  if (spendFen === 0 && previousSpendFen === 0 && transitions.length === 0 && churnedBefore(customer, from)) return undefined;
  return {
    customerId: customer.id,
    repId,
    // Average daily spend over the days of W−1 at or above the threshold, compared as a sum to stay in whole fen.
    keyAccount: previousSpendFen >= WEEK_DAYS * input.rules.leaderboard.keyAccountDailySpendFen,
    spendFen,
    previousSpendFen,
    deaths: transitions.filter(isDeath).length,
    revivals: transitions.filter(isRevival).length,
  };
};

const repRows = (weeks: readonly CustomerWeek[], names: ReadonlyMap<string, string>): RepRow[] =>
  ranked(
    [...groupBy(weeks, (week) => week.repId)].map(([repId, own]) => ({ repId, repName: names.get(repId) ?? repId, ...totals(own) })),
    (row) => row.repId,
  );

/** The group a rep is in on `day`: its group history, or its current group when it has no history. */
const groupOn = (rep: RepDoc, day: string): string | undefined => {
  if (rep.registeredOn > day) return undefined;
  return rep.groups.length === 0 ? rep.groupId : entryAt(rep.groups, day)?.groupId;
};

/** Weekly spend-increase leaderboard (增量排行榜): regular, key-account and group boards, computed at query time. */
export const spendLeaderboard = (input: SpendLeaderboardInput): SpendLeaderboard => {
  const from = mondayOf(input.weekStart);
  const to = addDays(from, WEEK_DAYS - 1);
  const weeks = input.customers
    .filter((customer) => customer.product === 'bidding')
    .map((customer) => customerWeek(customer, input, from, to))
    .filter((week): week is CustomerWeek => week !== undefined);
  const names = new Map(input.reps.map((rep) => [rep.id, rep.name]));
  const repGroup = new Map(input.reps.map((rep) => [rep.id, groupOn(rep, to)]));
  const repsByGroup = groupBy(input.reps, (rep) => repGroup.get(rep.id));
  const customersByGroup = groupBy(weeks, (week) => repGroup.get(week.repId));
  const groupRows = input.groups
    .filter((group) => customersByGroup.has(group.id))
    .map((group) => ({
      groupId: group.id,
      groupName: group.name,
      reps: repsByGroup.get(group.id)?.length ?? 0,
      ...totals(customersByGroup.get(group.id) ?? []),
    }));
  return {
    week: { from, to },
    regular: repRows(weeks.filter((week) => !week.keyAccount), names),
    keyAccounts: repRows(weeks.filter((week) => week.keyAccount), names),
    groups: ranked(groupRows, (row) => row.groupId),
  };
};
