import { DEFAULT_SERVICE_RULES as rules } from '#shared-kernel';
import { activityScanStart, activityTransitions } from './activity';
import { series } from './spend-leaderboard.fixtures';

const week = { from: '2026-03-09', to: '2026-03-15' };
const judge = (spend: ReturnType<typeof series> | undefined, lapsedOn: string[] = [], signedOn = '2025-01-01', withRules = rules) =>
  activityTransitions({ series: spend, signedOn, lapsedOn, ...week, rules: withRules });

describe('customer activity: dormant after 7 days without spend, dead after 30 or a lapsed term, revived by spend', () => {
  it('turns dormant on the 7th consecutive day without spend', () => {
    expect(judge(series({ from: '2026-01-01', to: '2026-03-05', spendFen: 10_000 }))).toEqual([
      { day: '2026-03-12', from: 'active', to: 'dormant', cause: 'no_spend' },
    ]);
  });

  it('does not turn dormant after 6 days', () => {
    expect(judge(series({ from: '2026-01-01', to: '2026-03-09', spendFen: 10_000 }))).toEqual([]);
  });

  it('dies on the 30th consecutive day without spend, and not on the 29th', () => {
    expect(judge(series({ from: '2026-01-01', to: '2026-02-13', spendFen: 10_000 }))).toEqual([
      { day: '2026-03-15', from: 'dormant', to: 'dead', cause: 'no_spend' },
    ]);
    expect(judge(series({ from: '2026-01-01', to: '2026-02-14', spendFen: 10_000 }))).toEqual([]);
  });

  it('dies on the day of a lapsed term even with spend that day', () => {
    expect(judge(series({ from: '2026-01-01', to: '2026-03-10', spendFen: 10_000 }), ['2026-03-10'])).toEqual([
      { day: '2026-03-10', from: 'active', to: 'dead', cause: 'lapsed' },
    ]);
  });

  it('revives a dormant customer and a long-dead one on the first day with spend', () => {
    const dormant = series({ from: '2026-01-01', to: '2026-02-20', spendFen: 10_000 }, { from: '2026-03-11', to: '2026-03-11', spendFen: 500 });
    expect(judge(dormant)).toEqual([{ day: '2026-03-11', from: 'dormant', to: 'active', cause: 'spend' }]);
    const lastYear = series({ from: '2025-06-01', to: '2025-06-30', spendFen: 10_000 }, { from: '2026-03-13', to: '2026-03-15', spendFen: 500 });
    expect(judge(lastYear)).toEqual([{ day: '2026-03-13', from: 'dead', to: 'active', cause: 'spend' }]);
  });

  it('revives a customer that died by a lapsed term when spend resumes (a win-back)', () => {
    const spend = series({ from: '2026-01-01', to: '2026-03-09', spendFen: 10_000 }, { from: '2026-03-12', to: '2026-03-15', spendFen: 10_000 });
    expect(judge(spend, ['2026-03-09'])).toEqual([
      { day: '2026-03-09', from: 'active', to: 'dead', cause: 'lapsed' },
      { day: '2026-03-12', from: 'dead', to: 'active', cause: 'spend' },
    ]);
  });

  it('reads back no further than the signing day, so a new account is not revived', () => {
    expect(activityScanStart(week.from, '2025-01-01', rules)).toBe('2026-02-07');
    expect(activityScanStart(week.from, '2026-03-04', rules)).toBe('2026-03-04');
    expect(judge(series({ from: '2026-03-04', to: '2026-03-15', spendFen: 10_000 }), [], '2026-03-04')).toEqual([]);
  });

  it('counts a new account’s first days without spend from its signing day', () => {
    expect(judge(undefined, [], '2026-03-10')).toEqual([]);
    expect(judge(undefined, [], '2026-03-09')).toEqual([{ day: '2026-03-15', from: 'active', to: 'dormant', cause: 'no_spend' }]);
  });

  it('follows the configured number of days', () => {
    const spend = series({ from: '2026-01-01', to: '2026-03-07', spendFen: 10_000 });
    const quicker = { ...rules, leaderboard: { ...rules.leaderboard, dormantAfterDays: 3 } };
    expect(judge(spend, [], '2025-01-01', quicker)).toEqual([{ day: '2026-03-10', from: 'active', to: 'dormant', cause: 'no_spend' }]);
    expect(judge(spend)).toEqual([{ day: '2026-03-14', from: 'active', to: 'dormant', cause: 'no_spend' }]);
  });
});
