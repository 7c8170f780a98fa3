import type { CustomerFactsDoc } from '#customer';
import { DEFAULT_SERVICE_RULES as rules, type ServiceRules } from '#shared-kernel';
import type { GroupDoc, RepDoc } from '#staff';
import type { SpendSeries } from '#telemetry';
import { bidder, group, rep, series } from './spend-leaderboard.fixtures';
import { spendLeaderboard } from './spend-leaderboard';

/** W = 2026-03-09 … 03-15; W−1 = 03-02 … 03-08. */
const W = '2026-03-09';
const since2025 = (groupId: string) => [{ groupId, from: '2025-01-01' }];
const defaultReps = [rep('rep-1', since2025('g-1')), rep('rep-2', since2025('g-1')), rep('rep-3', since2025('g-2')), rep('rep-4', since2025('g-2'))];
const defaultGroups = [group('g-1'), group('g-2'), group('g-3')];

/** Daily spend at `previous` fen up to the end of W−1 (from January), then at `current` fen through W. */
const steady = (previous: number, current: number) =>
  series({ from: '2026-01-01', to: '2026-03-08', spendFen: previous }, { from: '2026-03-09', to: '2026-03-15', spendFen: current });

interface Board {
  customers: [CustomerFactsDoc, SpendSeries | undefined][];
  weekStart?: string;
  reps?: RepDoc[];
  groups?: GroupDoc[];
  rules?: ServiceRules;
}
const board = ({ customers, weekStart = W, reps = defaultReps, groups = defaultGroups, rules: withRules = rules }: Board) =>
  spendLeaderboard({
    weekStart,
    customers: customers.map(([customer]) => customer),
    spend: new Map(customers.flatMap(([customer, spend]) => (spend ? [[customer.id, spend] as const] : []))),
    reps,
    groups,
    rules: withRules,
  });
const none = { deaths: 0, revivals: 0 };

describe('spend-increase leaderboard (增量排行榜)', () => {
  it('ranks reps by the increment of their customers, ties by rep id, with the percent to one decimal', () => {
    const result = board({
      customers: [
        [bidder('a', 'rep-1'), steady(10_000, 13_000)],
        [bidder('b', 'rep-1'), steady(3_000, 2_000)],
        [bidder('c', 'rep-2', { signedOn: W }), series({ from: W, to: '2026-03-15', spendFen: 1_000 })],
        [bidder('d', 'rep-3'), steady(4_000, 5_000)],
        [bidder('e', 'rep-4'), steady(6_000, 5_000)],
        [bidder('late', 'rep-4', { signedOn: '2026-03-16' }), undefined],
        [{ ...bidder('member', 'rep-4'), product: 'membership' }, steady(90_000, 0)],
      ],
    });
    expect(result.week).toEqual({ from: '2026-03-09', to: '2026-03-15' });
    expect(result.regular).toEqual([
      { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 2, spendFen: 105_000, previousSpendFen: 91_000, incrementFen: 14_000, incrementPercent: 15.4, ...none },
      { rank: 2, repId: 'rep-2', repName: 'Rep rep-2', customers: 1, spendFen: 7_000, previousSpendFen: 0, incrementFen: 7_000, incrementPercent: null, ...none },
      { rank: 3, repId: 'rep-3', repName: 'Rep rep-3', customers: 1, spendFen: 35_000, previousSpendFen: 28_000, incrementFen: 7_000, incrementPercent: 25, ...none },
      { rank: 4, repId: 'rep-4', repName: 'Rep rep-4', customers: 1, spendFen: 35_000, previousSpendFen: 42_000, incrementFen: -7_000, incrementPercent: -16.7, ...none },
    ]);
    expect(result.keyAccounts).toEqual([]);
    expect(result.groups).toEqual([
      { rank: 1, groupId: 'g-1', groupName: 'Group g-1', reps: 2, customers: 3, spendFen: 112_000, previousSpendFen: 91_000, incrementFen: 21_000, incrementPercent: 23.1, ...none },
      { rank: 2, groupId: 'g-2', groupName: 'Group g-2', reps: 2, customers: 2, spendFen: 70_000, previousSpendFen: 70_000, incrementFen: 0, incrementPercent: 0, ...none },
    ]);
  });

  it('takes any day of the week as that week', () => {
    expect(board({ customers: [], weekStart: '2026-03-11' }).week).toEqual({ from: '2026-03-09', to: '2026-03-15' });
  });

  describe('key-account separation (大客户剥离): average daily spend in W−1 of 200 CNY or more', () => {
    const customers: Board['customers'] = [
      [bidder('f', 'rep-1'), steady(19_999, 19_999)],
      [bidder('g', 'rep-1'), steady(20_000, 21_000)],
      [bidder('h', 'rep-2'), steady(30_000, 25_000)],
    ];

    it('leaves 199.99 CNY a day on the regular board and moves 200 CNY a day to the key-account board', () => {
      const result = board({ customers });
      expect(result.regular).toEqual([
        { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 1, spendFen: 139_993, previousSpendFen: 139_993, incrementFen: 0, incrementPercent: 0, ...none },
      ]);
      expect(result.keyAccounts).toEqual([
        { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 1, spendFen: 147_000, previousSpendFen: 140_000, incrementFen: 7_000, incrementPercent: 5, ...none },
        { rank: 2, repId: 'rep-2', repName: 'Rep rep-2', customers: 1, spendFen: 175_000, previousSpendFen: 210_000, incrementFen: -35_000, incrementPercent: -16.7, ...none },
      ]);
      expect(result.groups).toEqual([
        { rank: 1, groupId: 'g-1', groupName: 'Group g-1', reps: 2, customers: 3, spendFen: 461_993, previousSpendFen: 489_993, incrementFen: -28_000, incrementPercent: -5.7, ...none },
      ]);
    });

    it('follows the configured threshold', () => {
      const lower = { ...rules, leaderboard: { ...rules.leaderboard, keyAccountDailySpendFen: 19_999 } };
      const result = board({ customers, rules: lower });
      expect(result.regular).toEqual([]);
      expect(result.keyAccounts.map((row) => [row.repId, row.customers, row.incrementFen])).toEqual([
        ['rep-1', 2, 7_000],
        ['rep-2', 1, -35_000],
      ]);
    });
  });

  it('counts a customer for the rep assigned at the end of the week, even when reassigned mid-week', () => {
    const customers: Board['customers'] = [
      [bidder('i', 'rep-1', { assignments: [{ repId: 'rep-1', from: '2025-01-01' }, { repId: 'rep-2', from: '2026-03-11' }] }), steady(5_000, 6_000)],
      [bidder('j', 'rep-1', { assignments: [{ repId: 'rep-1', from: '2025-01-01' }, { repId: 'rep-2', from: '2026-03-16' }] }), steady(5_000, 5_000)],
    ];
    expect(board({ customers }).regular.map((row) => [row.repId, row.customers, row.incrementFen])).toEqual([
      ['rep-2', 1, 7_000],
      ['rep-1', 1, 0],
    ]);
    expect(board({ customers, weekStart: '2026-03-02' }).regular.map((row) => [row.repId, row.customers, row.incrementFen])).toEqual([['rep-1', 2, 0]]);
  });

  it('sums a group over the reps in it at the end of the week, following a rep who moved groups', () => {
    const reps = [
      rep('rep-1', [...since2025('g-1'), { groupId: 'g-2', from: '2026-03-12' }]),
      rep('rep-2', since2025('g-1')),
      rep('rep-3', [...since2025('g-2'), { groupId: 'g-1', from: '2026-03-16' }]),
    ];
    const customers: Board['customers'] = [
      [bidder('k', 'rep-1'), steady(5_000, 6_000)],
      [bidder('l', 'rep-2'), steady(5_000, 5_000)],
      [bidder('m', 'rep-3'), steady(1_000, 3_000)],
    ];
    const summary = (weekStart: string) => board({ customers, reps, weekStart }).groups.map((row) => [row.groupId, row.reps, row.customers, row.incrementFen]);
    expect(summary(W)).toEqual([
      ['g-2', 2, 2, 21_000],
      ['g-1', 1, 1, 0],
    ]);
    expect(summary('2026-03-02')).toEqual([
      ['g-1', 2, 2, 0],
      ['g-2', 1, 1, 0],
    ]);
  });

  it('shows the deaths and revivals of the week in each row', () => {
    const customers: Board['customers'] = [
      [bidder('dormant-on-12th', 'rep-1'), series({ from: '2026-01-01', to: '2026-03-05', spendFen: 5_000 })],
      [bidder('dead-on-15th', 'rep-1'), series({ from: '2026-01-01', to: '2026-02-13', spendFen: 5_000 })],
      [
        bidder('lapsed-on-10th', 'rep-1', { status: 'churned', churns: [{ on: '2026-03-10', kind: 'lapsed', termEnd: '2026-03-10' }] }),
        series({ from: '2026-01-01', to: '2026-03-10', spendFen: 5_000 }),
      ],
      [bidder('back-from-dormant', 'rep-2'), series({ from: '2026-01-01', to: '2026-02-20', spendFen: 5_000 }, { from: '2026-03-11', to: '2026-03-11', spendFen: 500 })],
      [bidder('back-from-dead', 'rep-2'), series({ from: '2025-06-01', to: '2025-06-30', spendFen: 5_000 }, { from: '2026-03-13', to: '2026-03-15', spendFen: 500 })],
    ];
    const result = board({ customers });
    expect(result.regular.map((row) => [row.repId, row.customers, row.deaths, row.revivals])).toEqual([
      ['rep-2', 2, 0, 2],
      ['rep-1', 3, 2, 0],
    ]);
    expect(result.groups.map((row) => [row.groupId, row.customers, row.deaths, row.revivals])).toEqual([['g-1', 5, 2, 2]]);
  });

  it('leaves out customers churned before the week with no spend and nothing happening in it', () => {
    const churned = (on: string, kind: 'lapsed' | 'cancelled') => ({ status: 'churned' as const, churns: [{ on, kind, termEnd: on }] });
    const customers: Board['customers'] = [
      [bidder('long-gone', 'rep-1', churned('2026-01-31', 'lapsed')), series({ from: '2025-01-01', to: '2026-01-31', spendFen: 5_000 })],
      [bidder('still-spending', 'rep-1', churned('2026-03-01', 'cancelled')), series({ from: '2026-01-01', to: '2026-03-04', spendFen: 5_000 })],
      [bidder('dies-this-week', 'rep-1', churned('2026-02-01', 'cancelled')), series({ from: '2026-01-01', to: '2026-02-12', spendFen: 5_000 })],
    ];
    expect(board({ customers }).regular).toEqual([
      { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 2, spendFen: 0, previousSpendFen: 15_000, incrementFen: -15_000, incrementPercent: -100, deaths: 1, revivals: 0 },
    ]);
  });
});
