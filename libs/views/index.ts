/**
 * One folder per view (churn risk, renewal pipeline, rep KPIs, spend leaderboard, worklist, capacity, the directory of
 * customers, reps and groups): rules, projection, document and query handler.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#views`).
 */
export { capacity } from './capacity/capacity';
export type { Capacity, GroupCapacity, LoadStatus, ManagerAdvice, RepCapacity, StaffingAdvice } from './capacity/capacity';
export { churnLookBackStart, churnRisk, compareRisk } from './churn-risk/churn-risk';
export type { ChurnReason, ChurnReasonCode, ChurnRiskLevel } from './churn-risk/churn-risk';
export { CHURN_RISK_PROJECTION } from './churn-risk/churn-risk.doc';
export { ChurnRiskArgs, ChurnRiskPageType } from './churn-risk/churn-risk.graphql';
export { GetChurnRisk, GetChurnRiskHandler } from './churn-risk/churn-risk.query';
export type { ChurnRiskFilter, ChurnRiskRow } from './churn-risk/churn-risk.query';
export { ChurnRiskQuery } from './churn-risk/churn-risk.rest';
export { ALL_PROJECTIONS, projectionsFor } from './projections';
export { comparePipeline, renewalPipelineEntries } from './renewal-pipeline/renewal-pipeline';
export type { PipelineFlag, PipelineStatus } from './renewal-pipeline/renewal-pipeline';
export { PIPELINE_CALENDAR_COLLECTION, PIPELINE_CALENDAR_DOC_ID, RENEWAL_PIPELINE_PROJECTION } from './renewal-pipeline/renewal-pipeline.doc';
export { RenewalPipelineArgs, RenewalPipelinePageType } from './renewal-pipeline/renewal-pipeline.graphql';
export { GetRenewalPipeline, GetRenewalPipelineHandler, withinWindow } from './renewal-pipeline/renewal-pipeline.query';
export type { PipelineFilter, PipelineRow, PipelineSummary } from './renewal-pipeline/renewal-pipeline.query';
export { PipelineQuery } from './renewal-pipeline/renewal-pipeline.rest';
export { repKpis } from './rep-kpis/rep-kpis';
export type { Commission, DailyTarget, MonthlyCoverage, RenewalRate, Workload, WorkloadKind } from './rep-kpis/rep-kpis';
export { activeAt } from './rep-kpis/rep-kpis-customers';
export { DayRangeType, PeriodArgs, PeriodType, RepKpisArgs, RepKpisType, TeamKpisArgs, TeamKpisType } from './rep-kpis/rep-kpis.graphql';
export { GetRepKpis, GetRepKpisHandler, GetTeamKpis, GetTeamKpisHandler } from './rep-kpis/rep-kpis.query';
export type { RepKpisRow } from './rep-kpis/rep-kpis.query';
export { KpisQuery, TeamKpisQuery } from './rep-kpis/rep-kpis.rest';
export { isKeptAnswer } from './shared/answer-cache';
export { FactReads } from './shared/fact-reads';
export { ProductEnum, RepRoleEnum } from './shared/graphql.types';
export { pageOf } from './shared/paging';
export type { Paging } from './shared/paging';
export { paging, PagingQuery } from './shared/rest.dto';
export { customersEverAssigned, telemetryOf } from './shared/scoped-customers';
export { SERVICE_RULES } from './shared/tokens';
export { assertCanSeeRep, groupOfRepAt, inScope, viewerScope } from './shared/viewer-scope';
export type { ViewerScope } from './shared/viewer-scope';
export { averageCpc, spendLeaderboard } from './spend-leaderboard/spend-leaderboard';
export type { SpendLeaderboard } from './spend-leaderboard/spend-leaderboard';
export type { BoardTotals, GroupRow, RepRow } from './spend-leaderboard/spend-leaderboard-rows';
export { SpendLeaderboardArgs, SpendLeaderboardType } from './spend-leaderboard/spend-leaderboard.graphql';
export { GetSpendLeaderboard, GetSpendLeaderboardHandler } from './spend-leaderboard/spend-leaderboard.query';
export { LeaderboardQuery } from './spend-leaderboard/spend-leaderboard.rest';
export { compareWorklist, worklistEntry } from './worklist/worklist';
export type { WorklistEntry, WorklistItem, WorklistItemKind } from './worklist/worklist';
export { WorklistArgs, WorklistType } from './worklist/worklist.graphql';
export { GetWorklist, GetWorklistHandler } from './worklist/worklist.query';
export type { Worklist } from './worklist/worklist.query';
export { WorklistQuery } from './worklist/worklist.rest';
export { CustomerArgs, CustomerListPageType, CustomerProfileType, CustomersArgs, CustomerTimelineArgs, CustomerTimelineType, GroupListItemType, RepListItemType } from './directory/directory.graphql';
export { GetCustomer, GetCustomerHandler, GetCustomerTimeline, GetCustomerTimelineHandler, ListCustomers, ListCustomersHandler, ListGroups, ListGroupsHandler, ListReps, ListRepsHandler, profileOf } from './directory/directory.query';
export type { CustomerListFilter, CustomerListItem, CustomerListPage, CustomerProfile, CustomerTimeline, GroupListItem, RepListItem } from './directory/directory.query';
export { customerTimeline } from './directory/timeline';
export type { TimelineEntry, TimelineKind } from './directory/timeline';
export { customerListOf, CustomersQuery } from './directory/directory.rest';
