export * from './event-store.port';
export * from './stream-name';
export * from './upcasting';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
export * from './command-executor';
export * from './tokens';
