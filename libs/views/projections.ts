import { customerFactsProjection } from '#customer';
import type { Projection } from '#read-store';
import { DEFAULT_SERVICE_RULES, type ServiceRules } from '#shared-kernel';
import { repActivityProjection, staffProjection } from '#staff';
import { telemetryDailyProjection } from '#telemetry';
import { churnRiskProjection } from './churn-risk/churn-risk.projection';
import { renewalPipelineProjection } from './renewal-pipeline/renewal-pipeline.projection';
import { spendLeaderboardProjection } from './spend-leaderboard/spend-leaderboard.projection';
import { repKpisProjection } from './rep-kpis/rep-kpis.projection';

/**
 * Every projection the views are built from, in the order status lists them. Read models that hold derived
 * figures (churn scores, the renewal pipeline, the leaderboard, KPI figures) are computed with the service rules, so they are built for the rules in force.
 */
export const projectionsFor = (rules: ServiceRules): readonly Projection[] => [
  customerFactsProjection as unknown as Projection,
  telemetryDailyProjection as unknown as Projection,
  staffProjection as unknown as Projection,
  repActivityProjection as unknown as Projection,
  churnRiskProjection(rules) as unknown as Projection,
  renewalPipelineProjection(rules) as unknown as Projection,
  spendLeaderboardProjection(rules) as unknown as Projection,
  repKpisProjection(rules) as unknown as Projection,
];

/** The projections with the default rules (tests, benchmarks and tools that have no configuration). */
export const ALL_PROJECTIONS: readonly Projection[] = projectionsFor(DEFAULT_SERVICE_RULES);

export const projectionNamed = (name: string): Projection | undefined => ALL_PROJECTIONS.find((projection) => projection.name === name);
