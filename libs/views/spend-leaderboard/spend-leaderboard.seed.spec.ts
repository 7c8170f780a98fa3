import { DEFAULT_SERVICE_RULES as rules } from '#shared-kernel';
import { bidder, group, rep, series } from './spend-leaderboard.fixtures';
import { averageCpc, spendLeaderboard } from './spend-leaderboard';

/** Seed 002's case: opened 2006-07-19 at 100 CNY and 30 clicks a day; from October 200 CNY and 300 clicks a day. */
const kangyu = bidder('kangyu', 'rep-1', { signedOn: '2006-07-19', terms: [{ start: '2006-07-19', end: '2007-07-18' }] });
const spend = series({ from: '2006-07-19', to: '2006-09-30', spendFen: 10_000, clicks: 30 }, { from: '2006-10-01', to: '2006-10-31', spendFen: 20_000, clicks: 300 });
const week = (weekStart: string) =>
  spendLeaderboard({
    weekStart,
    customers: [kangyu],
    spend: new Map([['kangyu', spend]]),
    reps: [rep('rep-1', [{ groupId: 'g-1', from: '2006-01-01' }])],
    groups: [group('g-1'), group('key', 'key_account')],
    rules,
  });
const cpcOf = (from: string, to: string) => averageCpc(spend.sum('spendFen', from, to), spend.sum('clicks', from, to));

describe('seed 002: an account growing from 100 to 200 CNY a day', () => {
  it('costs 3.33 CNY a click in summer and 0.67 CNY a click in October', () => {
    expect(cpcOf('2006-07-24', '2006-07-30')).toBe(3.33);
    expect(cpcOf('2006-10-09', '2006-10-15')).toBe(0.67);
  });

  it('enters the board in its opening week with no previous spend and is not counted as a revival', () => {
    expect(week('2006-07-17').regular).toEqual([
      { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 1, spendFen: 50_000, previousSpendFen: 0, incrementFen: 50_000, incrementPercent: null, deaths: 0, revivals: 0 },
    ]);
  });

  it('shows the October growth on the regular board, its W−1 average being below 200 CNY a day', () => {
    const result = week('2006-10-02');
    expect(result.regular).toEqual([
      { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 1, spendFen: 140_000, previousSpendFen: 80_000, incrementFen: 60_000, incrementPercent: 75, deaths: 0, revivals: 0 },
    ]);
    expect(result.keyAccounts).toEqual([]);
  });

  it('becomes a key account the week after a whole week at 200 CNY a day', () => {
    const result = week('2006-10-09');
    expect(result.regular).toEqual([]);
    expect(result.keyAccounts).toEqual([
      { rank: 1, repId: 'rep-1', repName: 'Rep rep-1', customers: 1, spendFen: 140_000, previousSpendFen: 140_000, incrementFen: 0, incrementPercent: 0, deaths: 0, revivals: 0 },
    ]);
    expect(result.groups.map((row) => [row.groupId, row.customers, row.incrementFen])).toEqual([['g-1', 1, 0]]);
  });

  it('counts no death at dormancy a week after the spend stops on 31 October, and one on the 30th day without spend', () => {
    expect(week('2006-11-06').regular[0]).toMatchObject({ spendFen: 0, previousSpendFen: 40_000, incrementPercent: -100, deaths: 0, revivals: 0 });
    expect(week('2006-11-20').regular[0]).toMatchObject({ deaths: 0 });
    expect(week('2006-11-27').regular[0]).toMatchObject({ deaths: 1 });
  });
});

describe('average cost per click', () => {
  it('rounds to whole fen and has none without clicks', () => {
    expect(averageCpc(10_000, 30)).toBe(3.33);
    expect(averageCpc(20_000, 300)).toBe(0.67);
    expect(averageCpc(0, 12)).toBe(0);
    expect(averageCpc(5_000, 0)).toBeNull();
  });
});
