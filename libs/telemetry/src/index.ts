/**
 * Daily usage and spend reported by the platform, one record per customer and day, and their read models.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#telemetry`).
 */
export { ReportTelemetry, ReportTelemetryHandler, TelemetryBatchResult } from './application/report-telemetry';
export { decideSpend, decideUsage, SPEND_CATEGORY, TELEMETRY_EVENT_SHAPES, telemetryStreamId, USAGE_CATEGORY } from './domain/telemetry';
export type { DailySpend, DailyUsage, TelemetryEvent } from './domain/telemetry';
export { monthsCovering, spendSeries, usageSeries } from './read-models/daily-series';
export type { SpendField, SpendSeries, UsageField, UsageSeries } from './read-models/daily-series';
export { evolveTelemetryMonth, TELEMETRY_EVENT_TYPES, telemetryDailyProjection } from './read-models/telemetry-daily.projection';
export type { TelemetryRecorded } from './read-models/telemetry-daily.projection';
export { monthDocId, SPEND_MONTHS_COLLECTION, TELEMETRY_PROJECTION, TELEMETRY_READ_MODEL, USAGE_MONTHS_COLLECTION } from './read-models/telemetry-months.doc';
export type { SpendMonthDoc, UsageMonthDoc } from './read-models/telemetry-months.doc';
