/**
 * Wiring shared by the three apps: the config (from `#config`), opening the configured stores, upcasters, logging.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#engine`).
 */
export { APP_CONFIG, AppConfig, DEFAULT_DEMO, DEFAULT_REBUILD_THREADS, loadConfig, PROJECTION_MODES } from '#config';
export type { ProjectionMode } from '#config';
export { businessToday } from './business-today';
export { loggersFor, requestIdOf } from './logging';
export { demoEndDay, openEventStore, openReadStore, storeLocations } from './open-stores';
export type { OpenEventStoreOptions, StoresConfig } from './open-stores';
export { REBUILD_MIN_HEAP_MB, rebuildHeapMb, rebuildPoolFor, RebuildThreads } from './rebuild-threads';
export type { RebuildThreadInput, RebuildThreadsOptions } from './rebuild-threads';
