import { DEFAULT_SERVICE_RULES } from './service-rules';
import { resolveServiceRules } from './service-rules-validation';

describe('resolveServiceRules', () => {
  it('accepts the defaults and returns them unchanged when nothing is overridden', () => {
    expect(resolveServiceRules({})).toEqual({ rules: DEFAULT_SERVICE_RULES, problems: [] });
  });

  it('merges overrides deeply, keeping every other default', () => {
    const { rules, problems } = resolveServiceRules({ dailyTargets: { phoneCalls: 12 }, churn: { noLogin: [{ days: 10, points: 15 }, { days: 20, points: 25 }] } });
    expect(problems).toEqual([]);
    expect(rules.dailyTargets).toEqual({ customersServed: 5, phoneCalls: 12 });
    expect(rules.churn.noLogin).toEqual([{ days: 10, points: 15 }, { days: 20, points: 25 }]);
    expect(rules.churn.noContact).toEqual(DEFAULT_SERVICE_RULES.churn.noContact);
  });

  it('names every problem with its path: unknown keys, wrong types, negative or fractional counts, unordered tiers', () => {
    const { problems } = resolveServiceRules({
      dailyTarget: { phoneCalls: 1 },
      dailyTargets: { phoneCalls: '10', customersServed: -1 },
      visitCadence: { maxDays: 2.5 },
    });
    expect(problems).toEqual([
      'rules.dailyTarget is not a known rule',
      'rules.dailyTargets.phoneCalls must be a number',
    ]);
    expect(resolveServiceRules({ dailyTargets: { customersServed: -1 }, visitCadence: { maxDays: 2.5 } }).problems).toEqual([
      'rules.dailyTargets.customersServed must not be negative',
      'rules.visitCadence.maxDays must be a whole number',
    ]);
    expect(
      resolveServiceRules({ serviceCommissionTiers: [{ fromRate: 0, percent: 3 }, { fromRate: 0.7, percent: 5 }, { fromRate: 0.5, percent: 4 }] }).problems,
    ).toEqual(['rules.serviceCommissionTiers must ascend by fromRate']);
    expect(resolveServiceRules({ salesCommissionPercent: 5 }).problems).toEqual(['rules.salesCommissionPercent must be within 2–4']);
    expect(resolveServiceRules({ leaderboard: { dormantAfterDays: 30 } }).problems).toEqual(['rules.leaderboard.dormantAfterDays must be below deadAfterDays']);
  });
});
