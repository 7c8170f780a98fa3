/**
 * Errors with stable codes, metadata, command context, ids, dates, periods, the clock and the service rules.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#shared-kernel`).
 */
export { Clock, CLOCK, FixedClock, systemClock } from './clock';
export type { CommandContext } from './command-context';
export { addDays, dateInZone, daysBetween, EARLIEST_BUSINESS_DAY, isBusinessDay, isIsoDate, LATEST_BUSINESS_DAY } from './dates';
export { ApplicationError, BadRequest, ConcurrencyConflict, ConfigurationError, DomainError, Forbidden, NotFound, RuleViolation, Unauthenticated } from './errors';
export { canonicalJson, deterministicUuid, ID_PATTERN, isId, newId, stableHash } from './ids';
export { Actor, isRole, ROLES } from './metadata';
export type { EventMetadata, Role } from './metadata';
export { eachDay, entryAt, isoWeekday, monthEnd, monthStart, periodBounds, weekEnd, weekStart } from './periods';
export type { Period, PeriodKind } from './periods';
export { anyText, bool, decodeEvent, isoDay, num, object, oneOf, optional, ShapeMismatch, text } from './shapes';
export type { EventShapes, ObjectOf, OptionalShape, Shape } from './shapes';
export { DEFAULT_SERVICE_RULES } from './service-rules';
export type { ServiceRules } from './service-rules';
export { resolveServiceRules } from './service-rules-validation';
