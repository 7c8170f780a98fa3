import type { Collection, Db, MongoClient } from 'mongodb';
import { type Clock, systemClock } from '#shared-kernel';
import {
  type AggregateRow,
  type AggregateSpec,
  assertName,
  assertRollups,
  type CheckpointRecord,
  type CollectionSpec,
  type CommitOutcome,
  type LiveCheckpoint,
  decodePosition,
  type Doc,
  type DocWrite,
  encodePosition,
  type Filter,
  type FindOptions,
  INTERNAL_FIELD,
  type LeaseFence,
  type PrepareOptions,
  type ProjectionFailure,
  type ProjectionRegistration,
  type ReadStore,
  ReadStoreUnavailableError,
  sortAggregateRows,
  type StoredDoc,
  type Target,
} from '../read-store.port';
import {
  CHECKPOINT_COLLECTION,
  type CheckpointDocument,
  checkpointId,
  checkpointUpdate,
  collectionName,
  publishedView,
  databaseFromUrl,
  DEFAULT_DATABASE,
  describeConnectionError,
  emptyCheckpoint,
  fromMongoGroup,
  mergeGroups,
  fromStoredDocument,
  groupWrites,
  hasUrlOption,
  indexesFor,
  isUnavailableError,
  POSITION_FIELD,
  REGISTRY_COLLECTION,
  isDuplicateKey,
  LEASE_COLLECTION,
  type LeaseDocument,
  type RegistryDocument,
  type StoredDocument,
  supportsTransactions,
  writesPerCommand,
  toCheckpointRecord,
  toMongoAggregation,
  toMongoFilter,
  toMongoSort,
  toPaging,
  toPortDoc,
  toRegistration,
} from './mongo-mapping';
import { commitBatch } from './mongo-commit';

export interface MongoReadStoreOptions {
  readonly url: string;
  /** Defaults to the database named in the URL, then `after_sales`. */
  readonly database?: string;
  /**
   * How long each operation waits for a server it can use (a primary, during an election): the URL's own setting,
   * then the driver's 30 s, so that an election (about 12 s at most by default) is waited out, not answered 503.
   */
  readonly serverSelectionTimeoutMS?: number;
  /** How long the start waits for the server to answer at all before it gives up with a clear message (10 s). */
  readonly startTimeoutMS?: number;
  readonly appName?: string;
  readonly clock?: Clock;
  /** Told once when the server cannot do something the store does without (publishing stable names as views). */
  readonly warn?: (message: string) => void;
}

/** How long a start waits for MongoDB to answer (unless the URL sets its own server selection timeout). */
export const DEFAULT_START_TIMEOUT_MS = 10_000;

/** A server that answers "not implemented" (FerretDB, some MongoDB-compatible services) rather than failing. */
const isNotImplemented = (error: unknown): boolean => {
  const { code, codeName, message } = (error ?? {}) as { code?: unknown; codeName?: unknown; message?: unknown };
  return code === 238 || codeName === 'NotImplemented' || code === 115 || codeName === 'CommandNotSupported' || (typeof message === 'string' && /not implemented/i.test(message));
};

/**
 * The production read-model store: one MongoDB collection per projection collection and generation. On a replica
 * set a commit is one transaction; elsewhere each document write is guarded by its stored position, so a replayed
 * batch is harmless, and the checkpoint only moves forward.
 */
export class MongoReadStore implements ReadStore {
  private readonly registry: Collection<RegistryDocument>;
  private readonly checkpoints: Collection<CheckpointDocument>;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** Whether commits run in a multi-document transaction (replica set or sharded cluster). */
    readonly transactional: boolean,
    /** At most this many document writes per command, where the server needs it (see `writesPerCommand`). */
    private readonly perCommand: number | undefined,
    private readonly url: string,
    private readonly clock: Clock,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.registry = db.collection<RegistryDocument>(REGISTRY_COLLECTION);
    this.checkpoints = db.collection<CheckpointDocument>(CHECKPOINT_COLLECTION);
  }

  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    // The driver is loaded when a MongoDB store is first opened: a process on the embedded store never pays for it.
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(options.url, {
      appName: options.appName ?? 'after-sales-read-store',
      // Undefined fields are dropped, as JSON does in the embedded store, instead of being stored as null.
      ignoreUndefined: true,
      // Only when asked for: the client lives as long as the service, and waits out elections with the default.
      ...(options.serverSelectionTimeoutMS === undefined ? {} : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS }),
    });
    const startTimeout = options.startTimeoutMS ?? (hasUrlOption(options.url, 'serverSelectionTimeoutMS') ? undefined : DEFAULT_START_TIMEOUT_MS);
    let timer: NodeJS.Timeout | undefined;
    try {
      const connected = (async () => {
        await client.connect();
        const db = client.db(options.database ?? databaseFromUrl(options.url) ?? DEFAULT_DATABASE);
        return { db, hello: await db.command({ hello: 1 }), buildInfo: await db.admin().command({ buildInfo: 1 }).catch(() => ({})) };
      })();
      const gaveUp = new Promise<never>((_resolve, reject) => {
        if (startTimeout !== undefined) timer = setTimeout(() => reject(new Error(`no answer within ${startTimeout} ms`)), startTimeout);
      });
      connected.catch(() => undefined);
      const { db, hello, buildInfo } = await Promise.race([connected, gaveUp]);
      return new MongoReadStore(client, db, supportsTransactions(hello), writesPerCommand(buildInfo), options.url, options.clock ?? systemClock, options.warn);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new ReadStoreUnavailableError(describeConnectionError(error, options.url), error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one operation, turning "cannot reach the server" into the port's unavailable error. */
  private async io<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isUnavailableError(error)) throw new ReadStoreUnavailableError(describeConnectionError(error, this.url), error);
      throw error;
    }
  }

  private documents(target: Target, collection: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(collectionName(target, collection));
  }

  async registration(projection: string): Promise<ProjectionRegistration | null> {
    const doc = await this.io(() => this.registry.findOne({ _id: projection }));
    return doc ? toRegistration(doc) : null;
  }

  async registrations(): Promise<ProjectionRegistration[]> {
    return (await this.io(() => this.registry.find({}).sort({ _id: 1 }).toArray())).map(toRegistration);
  }

  async liveCheckpoints(projections: readonly string[]): Promise<Map<string, LiveCheckpoint>> {
    const out = new Map<string, LiveCheckpoint>();
    const names = [...new Set(projections)];
    if (names.length === 0) return out;
    const live = (await this.io(() => this.registry.find({ _id: { $in: names } }).toArray())).map(toRegistration).filter((registration) => registration.liveGeneration > 0);
    if (live.length === 0) return out;
    const ids = new Map(live.map((registration) => [checkpointId({ projection: registration.projection, generation: registration.liveGeneration }), registration]));
    for (const row of await this.io(() => this.checkpoints.find({ _id: { $in: [...ids.keys()] } }).toArray())) {
      const registration = ids.get(row._id)!;
      out.set(registration.projection, { generation: registration.liveGeneration, version: registration.liveVersion, position: toCheckpointRecord(row).position });
    }
    return out;
  }

  async prepareGeneration(projection: string, version: number, collections: readonly CollectionSpec[], makeLive: boolean, options: PrepareOptions = {}): Promise<number> {
    assertName(projection, 'projection');
    // Rollups are declared for stores that keep them; this one answers their aggregates from the documents.
    for (const spec of collections) assertRollups(spec);
    return this.io(async () => {
      // One atomic increment allocates the number, so concurrent rebuilds never share a generation.
      const row = await this.registry.findOneAndUpdate(
        { _id: projection },
        { $inc: { lastGeneration: 1 }, $setOnInsert: { liveGeneration: 0, liveVersion: 0 } },
        { upsert: true, returnDocument: 'after' },
      );
      if (!row) throw new Error(`Could not allocate a generation for ${projection}`);
      const target = { projection, generation: row.lastGeneration };
      for (const spec of collections) {
        const name = collectionName(target, spec.name);
        await this.db.dropCollection(name); // leftovers of an interrupted drop; false when there is none
        const indexes = indexesFor(spec); // names checked now, whenever they are built
        if (options.deferIndexes) await this.db.createCollection(name);
        else await this.db.collection(name).createIndexes(indexes);
      }
      await this.checkpoints.replaceOne({ _id: checkpointId(target) }, emptyCheckpoint(), { upsert: true });
      const published = Object.fromEntries(collections.filter((spec) => spec.publishedAs !== undefined).map((spec) => [spec.name, assertName(spec.publishedAs!, 'published')]));
      if (Object.keys(published).length > 0) await this.registry.updateOne({ _id: projection }, { $set: { published } });
      if (makeLive && row.liveGeneration === 0) {
        const made = await this.registry.updateOne({ _id: projection, liveGeneration: 0 }, { $set: { liveGeneration: target.generation, liveVersion: version } });
        if (made.modifiedCount === 1) await this.publish(target, published);
      }
      return target.generation;
    });
  }

  async probeWrite(): Promise<void> {
    await this.io(() => this.db.collection<{ _id: string; probedAt: string }>('rm.health').updateOne({ _id: 'probe' }, { $set: { probedAt: this.clock.now().toISOString() } }, { upsert: true }));
  }

  async buildIndexes(target: Target, collections: readonly CollectionSpec[]): Promise<void> {
    await this.io(async () => {
      if (!(await this.checkpoints.findOne({ _id: checkpointId(target) }))) throw new Error(`Generation ${target.generation} of ${target.projection} does not exist`);
      // Only the missing ones: a second build changes nothing, and servers that mishandle a request naming existing
      // indexes (FerretDB 1.24 panics) are never sent one.
      for (const spec of collections) {
        const collection = this.db.collection(collectionName(target, spec.name));
        const existing = new Set((await collection.listIndexes().toArray()).map((index) => String(index.name)));
        const missing = indexesFor(spec).filter((index) => !existing.has(String(index.name)));
        if (missing.length > 0) await collection.createIndexes(missing);
      }
    });
  }

  async activateGeneration(projection: string, generation: number, version: number): Promise<number> {
    return this.io(async () => {
      const row = await this.registry.findOne({ _id: projection });
      if (!row) throw new Error(`Projection ${projection} is not registered`);
      const candidate = await this.checkpoints.findOne({ _id: checkpointId({ projection, generation }) });
      if (!candidate) throw new Error(`Generation ${generation} of ${projection} does not exist`);
      const current = row.liveGeneration;
      if (current !== 0 && current !== generation) {
        const live = await this.checkpoints.findOne({ _id: checkpointId({ projection, generation: current }) });
        if (live && decodePosition(live.position) > decodePosition(candidate.position)) {
          throw new Error(`Generation ${generation} of ${projection} is behind the live one (${candidate.position} < ${live.position})`);
        }
      }
      // The expected live generation in the filter makes the swap atomic against a concurrent one.
      const swapped = await this.registry.updateOne(
        { _id: projection, liveGeneration: current },
        { $set: { liveGeneration: generation, liveVersion: version } },
      );
      if (swapped.matchedCount === 0) {
        throw new Error(`Concurrent swap: the live generation of ${projection} changed from ${current} while activating ${generation}`);
      }
      await this.publish({ projection, generation }, row.published ?? {});
      return current === generation ? 0 : current;
    });
  }

  /**
   * Points each stable view at the generation now live (outside readers see the swap a moment after the service).
   * A server that cannot create views (FerretDB 1.x) gets none: the read models work the same, only the stable
   * names for outside readers are missing, which is said once.
   */
  private async publish(target: Target, published: Readonly<Record<string, string>>): Promise<void> {
    if (this.viewsUnsupported) return;
    for (const [collection, name] of Object.entries(published)) {
      await this.db.dropCollection(name);
      try {
        await this.db.createCollection(name, publishedView(target, collection));
      } catch (error) {
        if (!isNotImplemented(error)) throw error;
        this.viewsUnsupported = true;
        this.warn(`Read models are not published under stable names (such as ${name}): this server cannot create views (${error instanceof Error ? error.message : String(error)}); read the generation's collections instead`);
        return;
      }
    }
  }

  private viewsUnsupported = false;

  async dropGeneration(target: Target, collections: readonly CollectionSpec[]): Promise<void> {
    await this.io(async () => {
      const row = await this.registry.findOne({ _id: target.projection });
      if (row?.liveGeneration === target.generation) throw new Error(`Generation ${target.generation} of ${target.projection} is live`);
      // The checkpoint goes first: from then on commits to this generation answer 'stale' and write nothing.
      await this.checkpoints.deleteOne({ _id: checkpointId(target) });
      for (const spec of collections) await this.db.dropCollection(collectionName(target, spec.name));
    });
  }

  async checkpoint(target: Target): Promise<CheckpointRecord> {
    const doc = await this.io(() => this.checkpoints.findOne({ _id: checkpointId(target) }));
    if (!doc) throw new Error(`Generation ${target.generation} of ${target.projection} does not exist`);
    return toCheckpointRecord(doc);
  }

  async commit(target: Target, writes: readonly DocWrite[], checkpoint: bigint, failure: ProjectionFailure | null, fence?: LeaseFence): Promise<CommitOutcome> {
    const groups = groupWrites(writes);
    const update = checkpointUpdate(checkpoint, failure, this.clock.now().toISOString());
    if (!this.transactional) return this.io(() => commitBatch(this.db, target, groups, update, undefined, fence, this.perCommand));
    // withTransaction retries the whole callback on transient errors; the callback never swallows a server error.
    return this.io(() => this.client.withSession((session) => session.withTransaction((inner) => commitBatch(this.db, target, groups, update, inner, fence, this.perCommand))));
  }

  async load(target: Target, collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc>> {
    const out = new Map<string, StoredDoc>();
    if (ids.length === 0) return out;
    const rows = await this.io(() => this.documents(target, collection).find({ _id: { $in: [...ids] } }).toArray());
    const byId = new Map(rows.map((row) => [row._id, fromStoredDocument(row)]));
    // Answered in the order asked, like the embedded store.
    for (const id of ids) {
      const stored = byId.get(id);
      if (stored) out.set(id, stored);
    }
    return out;
  }

  async find<D extends Doc = Doc>(target: Target, collection: string, filter?: Filter, options?: FindOptions): Promise<D[]> {
    const paging = toPaging(options);
    if (paging.none) return [];
    const query = toMongoFilter(filter);
    const rows = await this.io(() =>
      this.documents(target, collection)
        .find(query, { projection: { [POSITION_FIELD]: 0, [INTERNAL_FIELD]: 0 }, ...(options?.hint !== undefined ? { hint: assertName(options.hint, 'index') } : {}) })
        .sort(toMongoSort(options))
        .skip(paging.skip)
        .limit(paging.limit)
        .toArray(),
    );
    return rows.map((row) => toPortDoc(row) as D);
  }

  async count(target: Target, collection: string, filter?: Filter, hint?: string): Promise<number> {
    const query = toMongoFilter(filter);
    return this.io(() => this.documents(target, collection).countDocuments(query, hint !== undefined ? { hint: assertName(hint, 'index') } : {}));
  }

  async aggregate(target: Target, collection: string, filter: Filter, spec: AggregateSpec): Promise<AggregateRow[]> {
    const rows = await this.io(() =>
      this.documents(target, collection)
        .aggregate(toMongoAggregation(filter, spec), spec.hint !== undefined ? { hint: assertName(spec.hint, 'index') } : {})
        .toArray(),
    );
    return sortAggregateRows(mergeGroups(rows.map((row) => fromMongoGroup(row, spec))));
  }

  async findIds(target: Target, collection: string, filter?: Filter): Promise<string[]> {
    const query = toMongoFilter(filter);
    const rows = await this.io(() => this.documents(target, collection).find(query, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray());
    return rows.map((row) => String(row._id));
  }

  async acquireLease(name: string, owner: string, until: Date, now: Date): Promise<boolean> {
    const leases = this.db.collection<LeaseDocument>(LEASE_COLLECTION);
    try {
      // Matches the lease only when it is ours or expired; otherwise the upsert inserts a second `_id` and fails.
      const lease = await this.io(() =>
        leases.findOneAndUpdate(
          { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
          { $set: { owner, expiresAt: until } },
          { upsert: true, returnDocument: 'after' },
        ),
      );
      return lease?.owner === owner;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.io(() => this.db.collection<LeaseDocument>(LEASE_COLLECTION).deleteOne({ _id: name, owner }));
  }

  async changedSince(target: Target, collection: string, after: bigint, limit = 100_000): Promise<StoredDoc[]> {
    if (limit <= 0) return [];
    // Read first: every document at or before it was written before it (the checkpoint is written last).
    const { position } = await this.checkpoint(target);
    if (position <= after) return [];
    const rows = await this.io(() =>
      this.documents(target, collection)
        .find({ [POSITION_FIELD]: { $gt: encodePosition(after < 0n ? -1n : after), $lte: encodePosition(position) } })
        .sort({ [POSITION_FIELD]: 1 })
        .limit(limit)
        .toArray(),
    );
    return rows.map(fromStoredDocument);
  }

  async *scan(target: Target, collection: string): AsyncIterable<StoredDoc> {
    const cursor = this.documents(target, collection).find({}).sort({ _id: 1 });
    try {
      for await (const row of cursor) yield fromStoredDocument(row);
    } catch (error) {
      if (isUnavailableError(error)) throw new ReadStoreUnavailableError(describeConnectionError(error, this.url), error);
      throw error;
    } finally {
      await cursor.close();
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
