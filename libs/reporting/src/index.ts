/**
 * The effect report, the operations reports, projection status and the projection jobs.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#reporting`).
 */
export { ProjectionAdmin } from './projection-admin';
export type { ProjectionStatus } from './projection-admin';
export { EFFECT_REPORT_HANDLERS } from './queries/effect-report.handlers';
export { GetEffectReport, GetEffectReportHandler } from './queries/effect-report.query';
export { OPERATIONS_REPORT_HANDLERS } from './queries/operations-reports.handlers';
export { GetCapacity, GetCapacityHandler, GetVisitQuality, GetVisitQualityHandler, GetWeeklyFeedback, GetWeeklyFeedbackHandler } from './queries/operations-reports.query';
export type { VisitQualityReport } from './queries/operations-reports.query';
export { effectReport } from './reports/effect-report';
export type { ComparedFigure, EffectFigures, EffectReport } from './reports/effect-report';
export type { MonthPoint } from './reports/effect-report-figures';
export { parseTermSelector, selectTerm, TERM_SELECTOR_HELP } from './reports/effect-report-terms';
export type { ComparisonBasis, DayWindow, PreviousTerm, ReportedTerm, TermSelector } from './reports/effect-report-terms';
export { effectReportHtml } from './reports/effect-report.html';
