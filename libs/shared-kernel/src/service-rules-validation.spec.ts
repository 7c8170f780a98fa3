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
    // Every problem at once: the wrong shapes and the wrong values beside them.
    expect(problems).toStrictEqual([
      'rules.dailyTarget is not a known rule',
      'rules.dailyTargets.phoneCalls must be a number',
      'rules.dailyTargets.customersServed must not be negative',
      'rules.visitCadence.maxDays must be a whole number',
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

  it('checks the visit-quality and capacity rules: a window of at least a day, a score 1–5, ordered staffing thresholds', () => {
    expect(resolveServiceRules({ visitQuality: { multiHeadWindowDays: 0, lowSatisfactionAtMost: 6 } }).problems).toEqual([
      'rules.visitQuality.multiHeadWindowDays must be at least 1',
      'rules.visitQuality.lowSatisfactionAtMost must be a score 1–5',
    ]);
    expect(resolveServiceRules({ visitQuality: { multiHeadWindowDays: 1.5 } }).problems).toEqual(['rules.visitQuality.multiHeadWindowDays must be a whole number']);
    expect(resolveServiceRules({ capacity: { customersPerRep: 0 } }).problems).toEqual([
      'rules.capacity.customersPerRep must be at least 1',
      'rules.capacity.dedicatedRepFrom must be within 1–customersPerRep',
    ]);
    expect(resolveServiceRules({ capacity: { stretchedCustomersPerRep: 150, dedicatedRepFrom: 300, managerFrom: 100 } }).problems).toEqual([
      'rules.capacity.stretchedCustomersPerRep must not be below customersPerRep',
      'rules.capacity.dedicatedRepFrom must be within 1–customersPerRep',
      'rules.capacity.managerFrom must not be below customersPerRep',
    ]);
    const { rules, problems } = resolveServiceRules({ capacity: { customersPerRep: 150, stretchedCustomersPerRep: 180 }, visitQuality: { multiHeadWindowDays: 7 } });
    expect(problems).toEqual([]);
    expect(rules.capacity).toEqual({ ...DEFAULT_SERVICE_RULES.capacity, customersPerRep: 150, stretchedCustomersPerRep: 180 });
    expect(rules.visitQuality).toEqual({ multiHeadWindowDays: 7, lowSatisfactionAtMost: 2 });
  });
});
