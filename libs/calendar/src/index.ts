/**
 * The business day as an event in the log: its decider and the exactly-once appender.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#calendar`).
 */
export { BusinessCalendar, businessDayToAppend } from './application/business-calendar';
export { BUSINESS_CALENDAR_STREAM, BUSINESS_DAY_STARTED, CALENDAR_EVENT_SHAPES } from './domain/business-day';
export type { BusinessDayEvent } from './domain/business-day';
