/**
 * The deterministic demo year: customers, staff, telemetry and one BusinessDayStarted per day.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#demo`).
 */
export { generateDemoDays, generateDemoLog } from './demo-log';
export type { DemoEvent, DemoOptions } from './demo-log';
export { DemoTargetNotEmptyError, loadDemo } from './load-demo';
export type { LoadOptions, LoadProgress, LoadSummary } from './load-demo';
export { preparedDemoBatches } from './prepared-log';
