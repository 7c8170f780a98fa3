/**
 * The read-model store: documents grouped in collections, written only by projections, read by queries.
 *
 * A projection's collections live in a numbered *generation*. The live generation answers queries; a rebuild
 * fills the next generation (a shadow) and then makes it live in one atomic step, so readers never see a
 * half-built read model. Each generation has its own checkpoint, committed together with its documents.
 */

/** A stored document: plain JSON data (no undefined, no bigint, no Date) with a string id. */
export interface Doc {
  readonly id: string;
}

/**
 * A top-level field a projection keeps for itself (what a document is computed from): `load` and `scan` return it
 * for the projection, `find` never does, so a page of a view reads only what the view shows.
 */
export const INTERNAL_FIELD = 'internal';

export type Scalar = string | number | boolean | null;

/**
 * A condition on one field (a dotted path into the document); a bare scalar means equality. As in MongoDB, a
 * missing field equals null (so `$ne` of a value matches it), and a field that holds an array matches when one of
 * its elements does (each operator on its own); `$ne` matches when none does. An indexed field must hold a scalar:
 * the runner stops a projection that writes an array into one (`assertIndexedScalars`).
 */
export type FieldCondition =
  | Scalar
  | {
      readonly $eq?: Scalar;
      readonly $ne?: Scalar;
      readonly $in?: readonly Scalar[];
      readonly $gt?: string | number;
      readonly $gte?: string | number;
      readonly $lt?: string | number;
      readonly $lte?: string | number;
    };

/** Every field condition must hold (AND). An empty filter matches every document. */
export type Filter = Readonly<Record<string, FieldCondition>>;

export type SortDirection = 1 | -1;

export interface FindOptions {
  readonly sort?: readonly (readonly [field: string, direction: SortDirection])[];
  readonly skip?: number;
  readonly limit?: number;
  /**
   * The name of one of the collection's indexes to read through, where the engine's planner would pick a worse one
   * (SQLite prefers an index that gives the sort order over one that narrows a list of values).
   */
  readonly hint?: string;
}

export interface AggregateSpec {
  /** Top-level or dotted fields whose values (exact in type; a missing field reads null) make one group. */
  readonly groupBy: readonly string[];
  /** Numeric fields summed per group (a missing field adds nothing). */
  readonly sum: readonly string[];
  /**
   * A field whose distinct values each group lists (`AggregateRow.values`; a missing or null field adds none): the
   * few values of many rows a caller wants per group, in one row per group instead of one per value.
   */
  readonly collect?: string;
  readonly hint?: string;
}

export interface AggregateRow {
  readonly key: Readonly<Record<string, Scalar>>;
  readonly count: number;
  readonly sums: Readonly<Record<string, number>>;
  /** The distinct values of the `collect` field, in no particular order (present only when one is named). */
  readonly values?: readonly Scalar[];
}

/** Groups in one order on every engine: by their key's JSON. */
export const sortAggregateRows = (rows: AggregateRow[]): AggregateRow[] => {
  const keyed = rows.map((row) => [JSON.stringify(row.key), row] as const);
  keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return keyed.map(([, row]) => row);
};

export interface IndexSpec {
  /** Stable name, unique within the collection. */
  readonly name: string;
  readonly fields: readonly (readonly [field: string, direction: SortDirection])[];
  readonly unique?: boolean;
}

export interface CollectionSpec {
  readonly name: string;
  /** Indexes the read model's queries need; every collection is also indexed by document position. */
  readonly indexes: readonly IndexSpec[];
  /**
   * A stable name under which readers outside the service (a BI tool, another service) find the live generation's
   * documents, whatever generation is live: a view that each swap points at the new generation.
   */
  readonly publishedAs?: string;
  /**
   * Written only by the projection's `derive`. A derived document is written when its content changes, so its
   * position is that of the commit (or rebuild step) in which it last changed: its content is the same however the
   * log is cut into batches, its position is not.
   */
  readonly derived?: boolean;
  /**
   * Indexed fields that every document of the collection holds, each with a value of this JSON type (never null or
   * missing). A projection that writes a document without one, or with another type, stops at that event naming the
   * document and the field. Grouping by such fields needs no check that values of different types (`true` and `1`,
   * `null` and missing) fell into one group.
   */
  readonly fieldTypes?: Readonly<Record<string, FieldType>>;
  /**
   * Counts and sums per group kept up to date with every write, where the store can keep them (the embedded store:
   * a table of groups kept by triggers in the commit's transaction). An `aggregate` that a rollup covers (see
   * `rollupCovers`) is then answered from its groups, a few rows, instead of from every matching document; a store
   * that keeps none (MongoDB) answers the same aggregate from the documents. Every field a rollup names must be
   * declared in `fieldTypes`, and every summed one a number.
   */
  readonly rollups?: readonly RollupSpec[];
}

/**
 * A rollup (`CollectionSpec.rollups`): the documents whose fields hold the `where` values, counted and summed per
 * group. Sums are kept by adding and subtracting: exact for integers (amounts in fen, counts), not for fractions.
 */
export interface RollupSpec {
  /** Stable name, unique within the collection. */
  readonly name: string;
  readonly where: Readonly<Record<string, string | number | boolean>>;
  /** At least one field. */
  readonly groupBy: readonly string[];
  readonly sum: readonly string[];
}

/**
 * Refuses a rollup a store could not keep exactly: a field not declared (it could be missing or of another type),
 * a summed field that is no number, no group field, a name used twice.
 */
export const assertRollups = (spec: CollectionSpec): void => {
  const names = new Set<string>();
  for (const rollup of spec.rollups ?? []) {
    assertName(rollup.name, 'rollup');
    const fail = (why: string) => {
      throw new Error(`Rollup ${spec.name}.${rollup.name}: ${why}`);
    };
    if (names.has(rollup.name)) fail('the name is used twice');
    names.add(rollup.name);
    if (rollup.groupBy.length === 0) fail('it groups by no field');
    for (const field of [...Object.keys(rollup.where), ...rollup.groupBy, ...rollup.sum]) {
      if (spec.fieldTypes?.[field] === undefined) fail(`field ${field} is not declared in fieldTypes`);
    }
    for (const [field, value] of Object.entries(rollup.where)) {
      if (!isOfFieldType(value, spec.fieldTypes![field]!)) fail(`field ${field} is declared a ${spec.fieldTypes![field]!}; the rollup counts it at ${JSON.stringify(value)}`);
    }
    for (const field of rollup.sum) if (spec.fieldTypes![field] !== 'number') fail(`summed field ${field} is declared a ${spec.fieldTypes![field]!}, not a number`);
  }
};

/**
 * Whether a rollup answers an aggregate exactly: the filter holds each of the rollup's `where` values (the same
 * value, the same type) and otherwise only conditions on its group fields, each a value or a list of values of the
 * field's declared type; the aggregate groups by and sums only fields the rollup does.
 */
export const rollupCovers = (rollup: RollupSpec, types: Readonly<Record<string, FieldType>>, filter: Filter, spec: AggregateSpec): boolean => {
  for (const [field, value] of Object.entries(rollup.where)) if (filter[field] !== value) return false;
  for (const [field, condition] of Object.entries(filter)) {
    if (field in rollup.where) continue;
    if (!rollup.groupBy.includes(field) || types[field] === undefined) return false;
    const values = condition !== null && typeof condition === 'object' ? (Object.keys(condition).length === 1 ? condition.$in : undefined) : [condition];
    if (values === undefined || !values.every((value) => isOfFieldType(value, types[field]!))) return false;
  }
  return spec.collect === undefined && spec.groupBy.every((field) => rollup.groupBy.includes(field)) && spec.sum.every((field) => rollup.sum.includes(field));
};

/** The JSON type a declared field holds (`CollectionSpec.fieldTypes`). */
export type FieldType = 'string' | 'number' | 'boolean';

/** Whether a value is of a declared field type. */
export const isOfFieldType = (value: unknown, type: FieldType): boolean =>
  type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === type;

/** Where a projection writes: its name and generation. */
export interface Target {
  readonly projection: string;
  readonly generation: number;
}

/** A document with the global position of the last event applied to it (the replay guard). */
export interface StoredDoc<D extends Doc = Doc> {
  readonly doc: D;
  readonly position: bigint;
}

export interface DocWrite {
  readonly collection: string;
  readonly doc: Doc;
  /** Position of the last event applied to this document. */
  readonly position: bigint;
}

export interface ProjectionFailure {
  /** Position of the event the projection stopped at (not applied). */
  readonly position: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamName: string;
  readonly message: string;
  readonly failedAt: string;
}

export interface CheckpointRecord {
  /** Position of the last event applied, or -1n before the first. */
  readonly position: bigint;
  readonly failure: ProjectionFailure | null;
  readonly updatedAt: string | null;
}

export interface ProjectionRegistration {
  readonly projection: string;
  /** Generation that answers queries; 0 when none has been built yet. */
  readonly liveGeneration: number;
  /** Version of the projection's code that built the live generation. */
  readonly liveVersion: number;
  /** Highest generation ever prepared (live, shadow or scratch), so a new one never reuses a number. */
  readonly lastGeneration: number;
}

export interface PrepareOptions {
  /**
   * Leaves the collections' secondary indexes and rollups out until `buildIndexes` (for a generation filled in bulk
   * before it is read by index). Reads by id work at once, and aggregates (from the documents).
   */
  readonly deferIndexes?: boolean;
}

/**
 * Outcome of a commit: `stale` when the target generation stopped being live or prepared meanwhile; `fenced` when
 * the commit carried a lease its owner no longer holds (nothing was written).
 */
export type CommitOutcome = 'committed' | 'stale' | 'fenced';

/** A projection's single-writer lease, checked by a commit where the commit is decided (`acquireLease`). */
export interface LeaseFence {
  readonly name: string;
  readonly owner: string;
  /** The lease must still hold at this time. */
  readonly now: Date;
}

/** A projection's live generation, the projection version that built it, and how far it has applied the log. */
export interface LiveCheckpoint {
  readonly generation: number;
  readonly version: number;
  readonly position: bigint;
}

export interface ReadStore {
  /** The projection's registration, or null if it was never registered. */
  registration(projection: string): Promise<ProjectionRegistration | null>;
  registrations(): Promise<ProjectionRegistration[]>;
  /**
   * For each projection named that has a live generation: that generation and its checkpoint's position, read
   * together (one statement where the store allows). A projection never registered, or with nothing live, is absent.
   */
  liveCheckpoints(projections: readonly string[]): Promise<Map<string, LiveCheckpoint>>;

  /**
   * Allocates a new, empty generation with the given collections and indexes (and registers the projection on
   * first use). When `makeLive` is true and no generation is live yet, it becomes live at once.
   */
  prepareGeneration(projection: string, version: number, collections: readonly CollectionSpec[], makeLive: boolean, options?: PrepareOptions): Promise<number>;

  /**
   * Creates the indexes and rollups of a generation's collections that do not exist yet (those of a generation
   * prepared with `deferIndexes`, a rollup counting the documents already written); creating them once after a bulk
   * fill is cheaper than keeping them up to date during it.
   */
  buildIndexes(target: Target, collections: readonly CollectionSpec[]): Promise<void>;

  /**
   * Makes a generation live in one atomic step, provided its checkpoint is not behind the live one; returns
   * the generation it replaced (0 if none). The replaced generation is left in place for `dropGeneration`.
   */
  activateGeneration(projection: string, generation: number, version: number): Promise<number>;

  /** Removes a generation's collections and checkpoint (never the live one). */
  dropGeneration(target: Target, collections: readonly CollectionSpec[]): Promise<void>;

  checkpoint(target: Target): Promise<CheckpointRecord>;

  /**
   * Writes documents and the checkpoint together: one transaction where the engine allows; otherwise each
   * document write is guarded by its stored position, so a replayed batch never applies twice.
   * `failure` records a stopped projection (null clears it).
   */
  commit(target: Target, writes: readonly DocWrite[], checkpoint: bigint, failure: ProjectionFailure | null, fence?: LeaseFence): Promise<CommitOutcome>;

  /** Documents by id, with their positions; missing ids are absent from the map. */
  load(target: Target, collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc>>;

  /** Matching documents without their `internal` field (filters and sorts never read it either). */
  find<D extends Doc = Doc>(target: Target, collection: string, filter?: Filter, options?: FindOptions): Promise<D[]>;
  count(target: Target, collection: string, filter?: Filter, hint?: string): Promise<number>;
  /** The ids of every document that matches, in id order (cheaper than `find` when only the ids are needed). */
  findIds(target: Target, collection: string, filter?: Filter): Promise<string[]>;
  /**
   * Counts and sums of the matching documents per group (SQL `GROUP BY`, MongoDB `$group`), computed where the
   * documents are: over a covering index a board of thousands of rows costs one index scan, not a read of each.
   */
  aggregate(target: Target, collection: string, filter: Filter, spec: AggregateSpec): Promise<AggregateRow[]>;

  /**
   * Documents whose position is greater than `after` and at most the checkpoint, in position order (for
   * incremental query caches). A commit's documents count only once its checkpoint is written, so a reader that
   * keeps the last position it saw never misses a document, even where a commit's documents become visible one by
   * one in another order (MongoDB without transactions) or a commit is written a slice at a time.
   */
  changedSince(target: Target, collection: string, after: bigint, limit?: number): Promise<StoredDoc[]>;

  /**
   * Takes, or renews, the single-writer lease on a projection until `until`, unless another owner holds a lease
   * that has not expired at `now`; true when `owner` holds it afterwards. A runner writes only the projections
   * whose lease it holds, so two processes (two API instances with inline projections, or an API and a projector)
   * never write one projection at once.
   */
  acquireLease(name: string, owner: string, until: Date, now: Date): Promise<boolean>;
  /** Gives a lease up (at a clean stop), so another process need not wait for it to expire. */
  releaseLease(name: string, owner: string): Promise<void>;

  /** Every document of a collection ordered by id (for comparisons). */
  scan(target: Target, collection: string): AsyncIterable<StoredDoc>;

  /** Proves the store takes writes (a read-only or full database, or a lost connection, fails here), for readiness. */
  probeWrite(): Promise<void>;

  close(): Promise<void>;
}

export const READ_STORE = Symbol('ReadStore');

export class ReadStoreUnavailableError extends Error {
  readonly code = 'READ_STORE_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'ReadStoreUnavailableError';
  }
}

/** Positions are stored as fixed-width decimal text: KurrentDB positions exceed 64 bits, and text sorts as numbers do. */
export const POSITION_WIDTH = 40;
export const encodePosition = (position: bigint): string => {
  if (position < -1n) throw new RangeError(`Invalid position ${position}`);
  return position === -1n ? '-1' : position.toString().padStart(POSITION_WIDTH, '0');
};
export const decodePosition = (text: string): bigint => BigInt(text);

/** Matches a document against a filter in memory, with the same semantics the adapters give it. */
export const matchesDoc = (doc: Doc, filter: Filter | undefined): boolean => {
  if (!filter) return true;
  for (const [path, condition] of Object.entries(filter)) {
    const value = valueAt(doc as unknown as Record<string, unknown>, path);
    // The value itself, or any element of an array (MongoDB's element matching).
    const some = (test: (candidate: unknown) => boolean): boolean => test(value) || (Array.isArray(value) && value.some(test));
    if (condition === null || typeof condition !== 'object') {
      if (!some((candidate) => sameScalar(candidate, condition))) return false;
      continue;
    }
    if ('$eq' in condition && !some((candidate) => sameScalar(candidate, condition.$eq as Scalar))) return false;
    if ('$ne' in condition && some((candidate) => sameScalar(candidate, condition.$ne as Scalar))) return false;
    if (condition.$in && !condition.$in.some((expected) => some((candidate) => sameScalar(candidate, expected)))) return false;
    const bounded = (bound: string | number | undefined, holds: (candidate: string, limit: string) => boolean) =>
      bound === undefined || some((candidate) => comparable(candidate, bound) && holds(candidate as string, bound as string));
    if (!bounded(condition.$gt, (a, b) => a > b)) return false;
    if (!bounded(condition.$gte, (a, b) => a >= b)) return false;
    if (!bounded(condition.$lt, (a, b) => a < b)) return false;
    if (!bounded(condition.$lte, (a, b) => a <= b)) return false;
  }
  return true;
};

/**
 * Refuses a document that holds an array (or an object) in an indexed field: an index seeks scalars on both
 * engines (MongoDB would turn it into a multikey index, the embedded store cannot), so the projection stops at the
 * event with this message instead of answering differently per engine.
 */
/** Stops a document that lacks a declared field or holds another type in it (`CollectionSpec.fieldTypes`). */
export const assertFieldTypes = (doc: Doc, collection: string, types: Readonly<Record<string, FieldType>>): void => {
  for (const [path, type] of Object.entries(types)) {
    const value = valueAt(doc as unknown as Record<string, unknown>, path);
    if (!isOfFieldType(value, type)) {
      const held =
        value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : `a ${typeof value}`;
      throw new Error(`Document ${collection}/${doc.id}: field ${path} holds ${held}; it is declared to hold a ${type}`);
    }
  }
};

export const assertIndexedScalars = (doc: Doc, collection: string, indexedPaths: readonly string[]): void => {
  for (const path of indexedPaths) {
    const value = valueAt(doc as unknown as Record<string, unknown>, path);
    if (value !== null && typeof value === 'object') {
      throw new Error(`Document ${collection}/${doc.id}: indexed field ${path} holds ${Array.isArray(value) ? 'an array' : 'an object'}; an indexed field must hold a scalar`);
    }
  }
};

export const valueAt = (doc: Readonly<Record<string, unknown>>, path: string): unknown => valueAtKeys(doc, path.split('.'));

/** The value at a field path already split into its keys (undefined where the path leaves the document). */
export const valueAtKeys = (doc: object, keys: readonly string[]): unknown => {
  let current: unknown = doc;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

/** A missing field equals null, as in MongoDB. */
const sameScalar = (value: unknown, expected: Scalar | undefined): boolean =>
  expected === null ? value === null || value === undefined : value === expected;

const comparable = (value: unknown, bound: string | number): boolean => typeof value === typeof bound;

/** Field paths are letters, digits and underscores separated by dots: safe to embed in SQL JSON paths and Mongo keys. */
export const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const assertFieldPath = (path: string): string => {
  if (!FIELD_PATH.test(path)) throw new RangeError(`Invalid field path "${path}"`);
  return path;
};
/** Projection and collection names: used in table and collection names. */
export const NAME = /^[a-z][a-z0-9_]*$/;
export const assertName = (name: string, what: string): string => {
  if (!NAME.test(name)) throw new RangeError(`Invalid ${what} name "${name}": use lower-case letters, digits and underscores`);
  return name;
};
