/**
 * The event-store port, its SQLite and KurrentDB adapters, upcasting and the command executor.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#event-store`).
 */
export { CommandExecutor, CommandOutcome, eventsToAppend } from './command-executor';
export type { ExecutorObserver } from './command-executor';
export { AppendOutcomeUnknownError, AppendRequest, AppendTooLargeError, EVENT_STORE, EventStore, EventStoreUnavailableError, EventToAppend, ImportRejectedError, LogNotEmptyError, WrongExpectedRevisionError } from './event-store.port';
export type { ImportProgress, ImportSummary, PreparedEvent, RecordedEvent, Subscription } from './event-store.port';
export { connectKurrentDb } from './kurrentdb/connect-kurrentdb';
export type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
export { connectionStringProblem, redactUrl } from './kurrentdb/kurrentdb-mapping';
export { DURABILITIES, SqliteEventStore, WAL_AUTOCHECKPOINT_PAGES } from './sqlite/sqlite-event-store';
export type { Durability } from './sqlite/sqlite-event-store';
export { streamName } from './stream-name';
export { COMMAND_EXECUTOR } from './tokens';
export { UpcasterChain, withUpcasting } from './upcasting';
export type { Repair, Upcaster } from './upcasting';
