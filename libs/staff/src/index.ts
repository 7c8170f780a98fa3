/**
 * Reps and groups: the staff aggregate and its read model.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#staff`).
 */
export { ExecuteStaffCommand, ExecuteStaffCommandHandler } from './application/staff-commands';
export { StaffDirectory } from './application/staff-directory';
export { decideGroup, decideRep, GROUP_CATEGORY, GROUP_EVENT_SHAPES, GROUP_KINDS, GroupKind, REP_CATEGORY, REP_EVENT_SHAPES, REP_ROLES, RepRole } from './domain/staff';
export type { GroupEvent, RepEvent } from './domain/staff';
export { REP_ACTIVITY_PROJECTION, REP_ACTIVITY_READ_MODEL, REP_DAYS_COLLECTION, REP_PERIODS_BY_PERIOD, REP_PERIODS_COLLECTION } from './read-models/rep-activity.doc';
export type { RepCounters, RepDayDoc, RepDayTally, RepPeriodDoc, RepPeriodKind } from './read-models/rep-activity.doc';
export { emptyRepDay, repActivityProjection } from './read-models/rep-activity.projection';
export { GROUPS_COLLECTION, REPS_COLLECTION, STAFF_PROJECTION, STAFF_READ_MODEL } from './read-models/staff.doc';
export type { GroupDoc, RepDoc } from './read-models/staff.doc';
export { staffProjection } from './read-models/staff.projection';
