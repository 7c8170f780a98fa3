import { DEFAULT_SERVICE_RULES, type ServiceRules } from './service-rules';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Merges overrides over the defaults and checks every number: a rule file can only change values, never
 * add unknown keys or change a type. Returns every problem at once, each naming its path.
 */
export const resolveServiceRules = (overrides: unknown): { rules: ServiceRules; problems: string[] } => {
  const problems: string[] = [];
  const merged = merge(DEFAULT_SERVICE_RULES as unknown as Json, overrides as Json, 'rules', problems);
  const rules = merged as unknown as ServiceRules;
  // A value of the wrong type keeps its default in `merged`, so the meaning checks still see every other value.
  problems.push(...checkServiceRules(rules));
  return { rules, problems };
};

const merge = (base: Json, override: Json | undefined, path: string, problems: string[]): Json => {
  if (override === undefined) return base;
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) {
      problems.push(`${path} must be a list`);
      return base;
    }
    const template = base[0];
    return override.map((item, i) => (template === undefined ? item : merge(template, item, `${path}[${i}]`, problems)));
  }
  if (base !== null && typeof base === 'object') {
    if (override === null || typeof override !== 'object' || Array.isArray(override)) {
      problems.push(`${path} must be an object`);
      return base;
    }
    const out: { [key: string]: Json } = { ...base };
    for (const [key, value] of Object.entries(override)) {
      if (!(key in base)) {
        problems.push(`${path}.${key} is not a known rule`);
        continue;
      }
      out[key] = merge(base[key]!, value, `${path}.${key}`, problems);
    }
    return out;
  }
  if (typeof override !== typeof base || (typeof override === 'number' && !Number.isFinite(override))) {
    problems.push(`${path} must be a ${typeof base}`);
    return base;
  }
  return override;
};

/** Checks the meaning of the numbers: non-negative, whole where they count days or points, ordered tiers. */
export const checkServiceRules = (rules: ServiceRules): string[] => {
  const problems: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number') {
      if (value < 0) problems.push(`${path} must not be negative`);
      const fractional = /percent|Ratio|Rate|PerPoint/i.test(path.split('.').pop() ?? '');
      if (!fractional && !Number.isInteger(value)) problems.push(`${path} must be a whole number`);
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  walk(rules, 'rules');
  if (rules.workingDays.some((day) => day < 1 || day > 7)) problems.push('rules.workingDays must be ISO weekdays 1–7');
  if (rules.reminderWindow.latestDaysBefore > rules.reminderWindow.earliestDaysBefore) {
    problems.push('rules.reminderWindow.latestDaysBefore must not exceed earliestDaysBefore');
  }
  const tiers = rules.serviceCommissionTiers;
  if (tiers.length === 0 || tiers[0]!.fromRate !== 0) problems.push('rules.serviceCommissionTiers must start at fromRate 0');
  if (tiers.some((tier, i) => i > 0 && tier.fromRate <= tiers[i - 1]!.fromRate)) problems.push('rules.serviceCommissionTiers must ascend by fromRate');
  if (tiers.some((tier) => tier.fromRate > 1)) problems.push('rules.serviceCommissionTiers fromRate is a fraction (0–1)');
  if (rules.salesCommissionPercent < 2 || rules.salesCommissionPercent > 4) problems.push('rules.salesCommissionPercent must be within 2–4');
  if (rules.pipelineWindows.length === 0 || rules.pipelineWindows.some((w, i) => i > 0 && w <= rules.pipelineWindows[i - 1]!)) {
    problems.push('rules.pipelineWindows must be a non-empty ascending list');
  }
  for (const name of ['noLogin', 'noContact'] as const) {
    const list = rules.churn[name];
    if (list.length === 0 || list.some((tier, i) => i > 0 && tier.days <= list[i - 1]!.days)) problems.push(`rules.churn.${name} must be a non-empty list ascending by days`);
  }
  if (rules.churn.levels.medium >= rules.churn.levels.high) problems.push('rules.churn.levels.medium must be below high');
  if (rules.leaderboard.dormantAfterDays >= rules.leaderboard.deadAfterDays) problems.push('rules.leaderboard.dormantAfterDays must be below deadAfterDays');
  if (rules.churn.spendDrop.belowRatio > 1) problems.push('rules.churn.spendDrop.belowRatio is a fraction (0–1)');
  const quality = rules.visitQuality;
  if (quality.multiHeadWindowDays < 1) problems.push('rules.visitQuality.multiHeadWindowDays must be at least 1');
  if (quality.lowSatisfactionAtMost < 1 || quality.lowSatisfactionAtMost > 5) problems.push('rules.visitQuality.lowSatisfactionAtMost must be a score 1–5');
  const capacity = rules.capacity;
  if (capacity.customersPerRep < 1) problems.push('rules.capacity.customersPerRep must be at least 1');
  if (capacity.stretchedCustomersPerRep < capacity.customersPerRep) problems.push('rules.capacity.stretchedCustomersPerRep must not be below customersPerRep');
  if (capacity.dedicatedRepFrom < 1 || capacity.dedicatedRepFrom > capacity.customersPerRep) {
    problems.push('rules.capacity.dedicatedRepFrom must be within 1–customersPerRep');
  }
  if (capacity.managerFrom < capacity.customersPerRep) problems.push('rules.capacity.managerFrom must not be below customersPerRep');
  return problems;
};
