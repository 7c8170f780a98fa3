/**
 * The deterministic demo year: customers, staff, telemetry and one BusinessDayStarted per day.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#demo`).
 */
export { generateDemoDays, generateDemoLog, loadDemo } from './demo-log';
export type { DemoEvent, DemoOptions, LoadProgress, LoadSummary } from './demo-log';
