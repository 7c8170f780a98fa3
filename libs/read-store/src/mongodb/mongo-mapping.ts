/**
 * Pure translation between the read-store port and the MongoDB driver's documents, filters, indexes and
 * errors. Everything here is unit-tested without a server; the I/O lives in mongo-read-store.ts.
 */
import type { AnyBulkWriteOperation, Document, IndexDescription } from 'mongodb';
import {
  type AggregateRow,
  type AggregateSpec,
  assertFieldPath,
  assertName,
  type Scalar,
  type CheckpointRecord,
  type CollectionSpec,
  decodePosition,
  type Doc,
  type DocWrite,
  encodePosition,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type ProjectionFailure,
  type ProjectionRegistration,
  type StoredDoc,
  type Target,
  INTERNAL_FIELD,
} from '../read-store.port';

export * from './mongo-url';

export const REGISTRY_COLLECTION = 'rm_projections';
export const CHECKPOINT_COLLECTION = 'rm_checkpoints';
/** One document per projection: which process may write it, until when. */
export const LEASE_COLLECTION = 'rm_leases';

export interface LeaseDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}
export const POSITION_FIELD = '_position';
/** Declared index names start with a letter, so this one can never clash with them. */
export const POSITION_INDEX: IndexDescription = { key: { [POSITION_FIELD]: 1 }, name: POSITION_FIELD };
export const DUPLICATE_KEY = 11000;

export interface RegistryDocument {
  _id: string;
  liveGeneration: number;
  liveVersion: number;
  lastGeneration: number;
  /** Stable view name by collection, for readers outside the service. */
  published?: Record<string, string>;
}

/** A read-only view of a generation's collection for outside readers: the documents without the adapter's own field. */
export const publishedView = (target: Target, collection: string): { viewOn: string; pipeline: Document[] } => ({
  viewOn: collectionName(target, collection),
  pipeline: [{ $project: { [POSITION_FIELD]: 0, [INTERNAL_FIELD]: 0 } }],
});

/** A read-model document as stored: the port's id as `_id` and the position of its last event. */
export interface StoredDocument extends Document {
  _id: string;
  _position: string;
}

export interface CheckpointDocument {
  _id: string;
  position: string;
  failure: ProjectionFailure | null;
  updatedAt: string | null;
}

const assertGeneration = (generation: number): number => {
  if (!Number.isSafeInteger(generation) || generation < 1) throw new RangeError(`Invalid generation ${generation}`);
  return generation;
};

/** `rm.<projection>.g<generation>.<collection>`: names are validated, so a name cannot reach another namespace. */
export const collectionName = (target: Target, collection: string): string =>
  `rm.${assertName(target.projection, 'projection')}.g${assertGeneration(target.generation)}.${assertName(collection, 'collection')}`;

export const checkpointId = (target: Target): string =>
  `${assertName(target.projection, 'projection')}:g${assertGeneration(target.generation)}`;

/** A port field path as a MongoDB path; the document id is `_id`, and the adapter's own fields are off limits. */
export const toMongoPath = (path: string): string => {
  assertFieldPath(path);
  if (path === 'id') return '_id';
  const head = path.split('.')[0];
  if (head === '_id' || head === POSITION_FIELD) throw new RangeError(`Field path "${path}" is reserved by the store`);
  return path;
};

const OPERATORS = ['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte'] as const;

/** Port filters map one to one: MongoDB equality is type-strict, null matches a missing field, ranges bracket by type. */
export const toMongoFilter = (filter: Filter | undefined): Document => {
  const out: Document = {};
  for (const [path, condition] of Object.entries(filter ?? {})) {
    const field = toMongoPath(path);
    if (condition === null || typeof condition !== 'object') {
      out[field] = condition;
      continue;
    }
    const operators: Document = {};
    for (const [key, value] of Object.entries(condition)) {
      if (!(OPERATORS as readonly string[]).includes(key)) throw new RangeError(`Unsupported operator ${key} on "${path}"`);
      if (value === undefined) {
        if (key === '$eq' || key === '$ne') throw new RangeError(`${key} on "${path}" needs a value`);
        continue;
      }
      operators[key] = key === '$in' ? [...(value as readonly unknown[])] : value;
    }
    // An empty condition object matches everything; sent as is, MongoDB would compare the field with {}.
    if (Object.keys(operators).length > 0) out[field] = operators;
  }
  return out;
};

/**
 * The pipeline of `aggregate`: the filter, then one `$group` whose key and sums are named by position (k0, s0…),
 * since field paths may hold dots, which `$group` output names may not. A missing key field groups as null.
 */
/**
 * The pipeline of an aggregate. A group key reads a field as it is: a document without the field makes a group
 * apart from one holding null, and `mergeGroups` joins the two (as the port wants a missing key read as null)
 * rather than `$ifNull` on the server, which MongoDB-compatible servers such as FerretDB 1.24 lack.
 */
export const toMongoAggregation = (filter: Filter, spec: AggregateSpec): Document[] => {
  const id: Document = {};
  spec.groupBy.forEach((path, i) => (id[`k${i}`] = `$${toMongoPath(path)}`));
  const group: Document = { _id: id, n: { $sum: 1 } };
  spec.sum.forEach((path, i) => (group[`s${i}`] = { $sum: `$${toMongoPath(path)}` }));
  if (spec.collect !== undefined) group.v = { $addToSet: `$${toMongoPath(spec.collect)}` };
  return [{ $match: toMongoFilter(filter) }, { $group: group }];
};

/** One `$group` output row as the port's row. */
export const fromMongoGroup = (row: Document, spec: AggregateSpec): AggregateRow => {
  const id = (row._id ?? {}) as Document;
  const out = {
    key: Object.fromEntries(spec.groupBy.map((path, i) => [path, (id[`k${i}`] ?? null) as Scalar])),
    count: Number(row.n),
    sums: Object.fromEntries(spec.sum.map((path, i) => [path, Number(row[`s${i}`] ?? 0)])),
  };
  // $addToSet leaves a missing field out but keeps a null one; the port lists neither.
  return spec.collect === undefined ? out : { ...out, values: ((row.v ?? []) as Scalar[]).filter((value) => value !== null) };
};

/** Rows whose keys read the same (a missing key as null) as one row: counts and sums added up. */
export const mergeGroups = (rows: readonly AggregateRow[]): AggregateRow[] => {
  const merged = new Map<string, AggregateRow>();
  for (const row of rows) {
    const key = JSON.stringify(row.key);
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, row);
      continue;
    }
    const sums = Object.fromEntries(Object.entries(row.sums).map(([path, sum]) => [path, sum + (seen.sums[path] ?? 0)]));
    const values = row.values && seen.values ? { values: [...new Map([...seen.values, ...row.values].map((value) => [JSON.stringify(value), value])).values()] } : {};
    merged.set(key, { key: row.key, count: seen.count + row.count, sums, ...values });
  }
  return [...merged.values()];
};

/** Sort keys in order; ties are broken by id, as the embedded store does, so paging is stable. */
export const toMongoSort = (options: FindOptions | undefined): Record<string, 1 | -1> => {
  const sort: Record<string, 1 | -1> = {};
  for (const [path, direction] of options?.sort ?? []) sort[toMongoPath(path)] = direction === -1 ? -1 : 1;
  if (!('_id' in sort)) sort._id = 1;
  return sort;
};

/** MongoDB reads `limit(0)` as "no limit", so a zero limit is reported as `none` for the caller to short-circuit. */
export const toPaging = (options: FindOptions | undefined): { skip: number; limit: number; none: boolean } => {
  const skip = options?.skip ?? 0;
  const limit = options?.limit;
  if (!Number.isSafeInteger(skip) || skip < 0) throw new RangeError(`Invalid skip ${skip}`);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) throw new RangeError(`Invalid limit ${limit}`);
  return { skip, limit: limit ?? 0, none: limit === 0 };
};

/** A declared index as a `createIndexes` description; null for an index on the id alone, which `_id` already is. */
export const toIndexArgs = (spec: IndexSpec): IndexDescription | null => {
  assertName(spec.name, 'index');
  if (spec.fields.length === 0) throw new RangeError(`Index ${spec.name} has no fields`);
  const key: Record<string, 1 | -1> = {};
  for (const [path, direction] of spec.fields) key[toMongoPath(path)] = direction === -1 ? -1 : 1;
  if (spec.fields.length === 1 && '_id' in key) return null;
  return spec.unique ? { key, name: spec.name, unique: true } : { key, name: spec.name };
};

export const indexesFor = (spec: CollectionSpec): IndexDescription[] => [
  POSITION_INDEX,
  ...spec.indexes.map(toIndexArgs).filter((index): index is IndexDescription => index !== null),
];

export const toStoredDocument = (doc: Doc, position: bigint): StoredDocument => {
  const { id, ...rest } = doc as Doc & Record<string, unknown>;
  if (typeof id !== 'string' || id === '') throw new RangeError('A document needs a non-empty string id');
  if ('_id' in rest || POSITION_FIELD in rest) throw new RangeError(`Document ${id} uses a field reserved by the store`);
  return { _id: id, _position: encodePosition(position), ...rest };
};

/** A stored document back as the port's document (without the position). */
export const toPortDoc = (stored: Document): Doc => {
  const { _id, [POSITION_FIELD]: _position, ...rest } = stored;
  return { id: String(_id), ...rest } as Doc;
};

export const fromStoredDocument = (stored: Document): StoredDoc => {
  const position = stored[POSITION_FIELD];
  if (typeof position !== 'string') throw new Error(`Stored document ${String(stored._id)} has no position`);
  return { doc: toPortDoc(stored), position: decodePosition(position) };
};

/** One write per document per collection, the latest position winning, so a batch never races with itself. */
export const groupWrites = (writes: readonly DocWrite[]): Map<string, DocWrite[]> => {
  const latest = new Map<string, Map<string, DocWrite>>();
  for (const write of writes) {
    const byId = latest.get(write.collection) ?? new Map<string, DocWrite>();
    latest.set(write.collection, byId);
    const current = byId.get(write.doc.id);
    if (!current || write.position > current.position) byId.set(write.doc.id, write);
  }
  return new Map([...latest].map(([collection, byId]) => [collection, [...byId.values()]]));
};

/**
 * Guarded upserts: a document is replaced only if its stored position is lower. When a later one is stored, the
 * filter misses, the upsert tries to insert the same `_id` and fails with 11000, which means "already applied".
 */
export const replaceOps = (writes: readonly DocWrite[]): AnyBulkWriteOperation<StoredDocument>[] =>
  writes.map((write) => ({
    replaceOne: {
      filter: { _id: write.doc.id, _position: { $lt: encodePosition(write.position) } },
      replacement: toStoredDocument(write.doc, write.position),
      upsert: true,
    },
  }));

/** Writes newer than what is stored (see `planWrites`): the rest would only meet a duplicate key, which aborts a transaction. */
export const freshWrites = (writes: readonly DocWrite[], stored: ReadonlyMap<string, string>): DocWrite[] =>
  writes.filter((write) => {
    const position = stored.get(write.doc.id);
    return position === undefined || decodePosition(position) < write.position;
  });

/**
 * What a batch does once the stored positions of its documents are read: documents not stored are inserted, stored
 * ones older than the write are replaced (still guarded, should another writer move them meanwhile), and writes
 * not newer than what is stored are left out. An insert is a plain append on every server, where a guarded upsert
 * of an absent `_id` makes FerretDB 1.x read the whole collection.
 */
export const planWrites = (writes: readonly DocWrite[], stored: ReadonlyMap<string, string>): { inserts: DocWrite[]; replaces: DocWrite[] } => {
  const inserts: DocWrite[] = [];
  const replaces: DocWrite[] = [];
  for (const write of freshWrites(writes, stored)) (stored.has(write.doc.id) ? replaces : inserts).push(write);
  return { inserts, replaces };
};

export const insertOps = (writes: readonly DocWrite[]): AnyBulkWriteOperation<StoredDocument>[] =>
  writes.map((write) => ({ insertOne: { document: toStoredDocument(write.doc, write.position) } }));

/** A single write refused for a duplicate `_id` (or unique key). */
export const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;

/** True only for a bulk-write error whose every write error is a duplicate key and that has no write-concern error. */
export const isDuplicateKeyOnly = (error: unknown): boolean => {
  if (!error || typeof error !== 'object') return false;
  const candidate = error as { name?: unknown; writeErrors?: unknown; err?: unknown; result?: { getWriteConcernError?: () => unknown } };
  if (candidate.name !== 'MongoBulkWriteError' || candidate.err) return false;
  if (typeof candidate.result?.getWriteConcernError === 'function' && candidate.result.getWriteConcernError()) return false;
  const writeErrors = Array.isArray(candidate.writeErrors) ? candidate.writeErrors : candidate.writeErrors ? [candidate.writeErrors] : [];
  return writeErrors.length > 0 && writeErrors.every((writeError) => (writeError as { code?: unknown })?.code === DUPLICATE_KEY);
};

/** Moves the checkpoint forward only: positions are fixed-width text and '-1' sorts first, so `$max` compares them as numbers. */
export const checkpointUpdate = (position: bigint, failure: ProjectionFailure | null, updatedAt: string): Document => ({
  $max: { position: encodePosition(position) },
  $set: { failure, updatedAt },
});

export const emptyCheckpoint = (): Omit<CheckpointDocument, '_id'> => ({ position: encodePosition(-1n), failure: null, updatedAt: null });

export const toCheckpointRecord = (doc: Pick<CheckpointDocument, 'position' | 'failure' | 'updatedAt'>): CheckpointRecord => ({
  position: decodePosition(doc.position),
  failure: doc.failure ?? null,
  updatedAt: doc.updatedAt ?? null,
});

export const toRegistration = (doc: RegistryDocument): ProjectionRegistration => ({
  projection: doc._id,
  liveGeneration: doc.liveGeneration ?? 0,
  liveVersion: doc.liveVersion ?? 0,
  lastGeneration: doc.lastGeneration ?? 0,
});

/** Writes per command on FerretDB 1.x (see `writesPerCommand`), well below its pool of 100 connections. */
export const FERRETDB_WRITES_PER_COMMAND = 50;

/**
 * How many writes one command may carry; undefined leaves the batch whole (the driver splits it at the server's
 * limits). FerretDB 1.x over SQLite holds a pooled connection for each update that matched a stored document until
 * its whole command ends, out of a pool of 100, so a command replacing about 100 stored documents waits forever for
 * a connection: there a batch goes FERRETDB_WRITES_PER_COMMAND at a time.
 */
export const writesPerCommand = (buildInfo: Document): number | undefined =>
  typeof buildInfo.ferretdbVersion === 'string' && /^v?1\./.test(buildInfo.ferretdbVersion) ? FERRETDB_WRITES_PER_COMMAND : undefined;

/** Replica sets report `setName`, mongos reports `msg: 'isdbgrid'`; only those run multi-document transactions. */
export const supportsTransactions = (hello: Document): boolean => typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
