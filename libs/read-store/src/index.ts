/**
 * The read-model port, its SQLite and MongoDB adapters, the projection runner, rebuild and verify.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#read-store`).
 */
export { applyEvents, docsOf, projectInMemory, settlePending } from './apply-events';
export type { WorkingSet } from './apply-events';
export { liveCheckpointsOf, liveTarget, ReadModelNotReadyError } from './live-target';
export type { ReadModelRef } from './live-target';
export { assertReadModelsMatchLog } from './log-consistency';
export { MongoReadStore } from './mongodb/mongo-read-store';
export { redactMongoUrl } from './mongodb/mongo-url';
export { EVENT_PARKED, PARKING_STREAM, readParked } from './parked-events';
export type { ParkedEvent } from './parked-events';
export { failOn, typedProjection } from './projection';
export type { DerivedDoc, DocRef, DocSelection, DomainEventLike, Projection, ProjectionContext, Recorded, TypedProjection } from './projection';
export { DEFAULT_REBUILD_MEMORY_MB, ProjectionRebuilder } from './projection-rebuilder';
export type { PoolRebuildOptions, RebuildOptions, RebuildPool, RebuildProgress, RebuildResult } from './projection-rebuilder';
export { ProjectionRunner } from './projection-runner';
export { matchesDoc, READ_STORE, ReadStore, ReadStoreUnavailableError } from './read-store.port';
export type { AggregateRow, CollectionSpec, RollupSpec, Doc, Filter, LiveCheckpoint, ProjectionFailure, Target } from './read-store.port';
export { SqliteReadStore } from './sqlite/sqlite-read-store';
