import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { type Clock, systemClock } from '#shared-kernel';
import {
  type AggregateRow,
  type AggregateSpec,
  assertName,
  type CheckpointRecord,
  assertRollups,
  type CollectionSpec,
  type CommitOutcome,
  type LiveCheckpoint,
  decodePosition,
  type Doc,
  type DocWrite,
  encodePosition,
  type FieldType,
  type LeaseFence,
  type Filter,
  type FindOptions,
  INTERNAL_FIELD,
  type PrepareOptions,
  type ProjectionFailure,
  type ProjectionRegistration,
  type ReadStore,
  rollupCovers,
  type RollupSpec,
  type Scalar,
  sortAggregateRows,
  type StoredDoc,
  type Target,
} from '../read-store.port';
import { fieldSql, pushColumnValues, textColumn, toLimit, toOrderBy, toWhere, valueColumn, type FieldColumns, type FieldSql } from './sqlite-filter';

export interface SqliteReadStoreOptions {
  /** File path, or ':memory:'. */
  readonly filename: string;
  readonly clock?: Clock;
}

interface RegistrationRow {
  projection: string;
  live_generation: number;
  live_version: number;
  last_generation: number;
}

interface CheckpointRow {
  position: string;
  failure: string | null;
  updated_at: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rm_projections (
  projection      TEXT PRIMARY KEY,
  live_generation INTEGER NOT NULL DEFAULT 0,
  live_version    INTEGER NOT NULL DEFAULT 0,
  last_generation INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rm_published (
  name       TEXT PRIMARY KEY,
  projection TEXT NOT NULL,
  collection TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rm_rollups (
  tbl  TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  PRIMARY KEY (tbl, name)
);
CREATE TABLE IF NOT EXISTS rm_leases (
  name       TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rm_checkpoints (
  projection TEXT    NOT NULL,
  generation INTEGER NOT NULL,
  position   TEXT    NOT NULL,
  failure    TEXT,
  updated_at TEXT,
  PRIMARY KEY (projection, generation)
);
`;

const SCAN_PAGE = 1000;
/** Ids per statement when documents are loaded by id. */
const LOAD_SLICE = 200;
const LOAD_PLACEHOLDERS = new Array(LOAD_SLICE).fill('?').join(', ');

/** Table of one collection of one generation; names are validated, so quoting them is safe. */
export const tableName = (target: Target, collection: string): string =>
  `rm_${assertName(target.projection, 'projection')}_g${target.generation}_${assertName(collection, 'collection')}`;

/**
 * The embedded read-model store: a SQLite file of its own (WAL), one table per collection and generation,
 * documents as JSON text with expression indexes. Documents and checkpoint commit in one transaction.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly prepared = new Map<string, Statement>();
  /** The indexed fields of each table with their columns, and whether it has an `internal` column (read from the schema once per table). */
  private readonly columns = new Map<string, FieldColumns>();
  private readonly internal = new Map<string, boolean>();
  private readonly upserts = new Map<string, Upsert>();
  /** The rollups kept for each table (read from `rm_rollups` once per table). */
  private readonly rollups = new Map<string, readonly KeptRollup[]>();
  /**
   * The file's data version and this connection's change count as read in this turn of the event loop (requests that
   * arrive together share one read); forgotten at the turn's end and whenever this connection writes.
   */
  private stateThisTurn: { version: number; changes: number } | undefined;
  /** The last `liveCheckpoints` answer per list of projections, with the data version and change count it was read at. */
  private readonly checkpointsRead = new Map<string, { version: number; changes: number; checkpoints: ReadonlyMap<string, LiveCheckpoint> }>();

  constructor(options: SqliteReadStoreOptions) {
    this.db = new Database(options.filename);
    this.clock = options.clock ?? systemClock;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // A bounded page cache (32 MiB): pages and counts come from memory, whatever the number of customers.
    this.db.pragma('cache_size = -32768');
    this.db.exec(SCHEMA);
  }

  private statement(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  async registration(projection: string): Promise<ProjectionRegistration | null> {
    const row = this.statement('SELECT * FROM rm_projections WHERE projection = ?').get(projection) as RegistrationRow | undefined;
    return row ? toRegistration(row) : null;
  }

  async registrations(): Promise<ProjectionRegistration[]> {
    return (this.statement('SELECT * FROM rm_projections ORDER BY projection').all() as RegistrationRow[]).map(toRegistration);
  }

  async liveCheckpoints(projections: readonly string[]): Promise<Map<string, LiveCheckpoint>> {
    const out = new Map<string, LiveCheckpoint>();
    const names = [...new Set(projections)];
    if (names.length === 0) return out;
    // Every cached answer asks this on every request. The file's data version moves when another connection (the
    // projector process) commits, the connection's own change count when it writes: while neither moves, the
    // answer of the last read stands, and one cheap statement replaces the join. Under load, many requests arrive in
    // one turn of the event loop: they share that statement (each starts a read of the WAL's index), as if they had
    // arrived at the same instant; a commit of this connection is seen at once, another process's from the next turn.
    const { version, changes } = this.stateThisTurn ?? this.readStateThisTurn();
    const key = names.join('\u0000');
    const kept = this.checkpointsRead.get(key);
    if (kept && kept.version === version && kept.changes === changes) return new Map(kept.checkpoints);
    const rows = this.statement(
      `SELECT p.projection AS projection, p.live_generation AS generation, p.live_version AS liveVersion, c.position AS position FROM rm_projections p
       JOIN rm_checkpoints c ON c.projection = p.projection AND c.generation = p.live_generation
       WHERE p.live_generation > 0 AND p.projection IN (${names.map(() => '?').join(', ')})`,
    ).all(...names) as { projection: string; generation: number; liveVersion: number; position: string }[];
    for (const row of rows) out.set(row.projection, { generation: row.generation, version: row.liveVersion, position: decodePosition(row.position) });
    if (this.checkpointsRead.size >= 64) this.checkpointsRead.clear();
    this.checkpointsRead.set(key, { version, changes, checkpoints: new Map(out) });
    return out;
  }

  /** This connection is about to write (synchronously): the next `liveCheckpoints` reads the state again. */
  private writing(): void {
    this.stateThisTurn = undefined;
  }

  private readStateThisTurn(): { version: number; changes: number } {
    const state = this.statement('SELECT data_version AS version, total_changes() AS changes FROM pragma_data_version').get() as { version: number; changes: number };
    this.stateThisTurn = state;
    setImmediate(() => {
      if (this.stateThisTurn === state) this.stateThisTurn = undefined;
    });
    return state;
  }

  async prepareGeneration(projection: string, version: number, collections: readonly CollectionSpec[], makeLive: boolean, options: PrepareOptions = {}): Promise<number> {
    this.writing();
    assertName(projection, 'projection');
    for (const spec of collections) assertRollups(spec);
    return this.db.transaction(() => {
      this.db.prepare('INSERT INTO rm_projections (projection) VALUES (?) ON CONFLICT (projection) DO NOTHING').run(projection);
      this.db.prepare('UPDATE rm_projections SET last_generation = last_generation + 1 WHERE projection = ?').run(projection);
      const row = this.db.prepare('SELECT * FROM rm_projections WHERE projection = ?').get(projection) as RegistrationRow;
      const generation = row.last_generation;
      const target = { projection, generation };
      for (const spec of collections) {
        this.createCollection(target, spec);
        if (!options.deferIndexes) this.createIndexes(target, spec);
      }
      for (const spec of collections) {
        if (spec.publishedAs === undefined) continue;
        assertName(spec.publishedAs, 'published');
        this.db.prepare('INSERT OR REPLACE INTO rm_published (name, projection, collection) VALUES (?, ?, ?)').run(spec.publishedAs, projection, spec.name);
      }
      this.db
        .prepare('INSERT OR REPLACE INTO rm_checkpoints (projection, generation, position, failure, updated_at) VALUES (?, ?, ?, NULL, NULL)')
        .run(projection, generation, encodePosition(-1n));
      if (makeLive && row.live_generation === 0) {
        this.db.prepare('UPDATE rm_projections SET live_generation = ?, live_version = ? WHERE projection = ?').run(generation, version, projection);
        this.publish(projection, generation);
      }
      return generation;
    }).immediate();
  }

  private createCollection(target: Target, spec: CollectionSpec): void {
    const table = tableName(target, spec.name);
    // Every indexed field gets a value and a JSON-text column written with the document, so indexes cover filters,
    // sorts and counts without parsing documents.
    // A rollup's fields get columns too: its triggers read them from the row.
    const rolled = (spec.rollups ?? []).flatMap((rollup) => [...Object.keys(rollup.where), ...rollup.groupBy, ...rollup.sum]);
    const paths = [...new Set([...spec.indexes.flatMap((index) => index.fields.map(([path]) => path)), ...rolled])].filter((path) => path !== 'id');
    // A field of a declared type is NOT NULL and checked by type: that holds it to the declaration whatever writes the
    // row, and tells queries (see `declaredType`) that its value alone is exact.
    const declared = (path: string): string => {
      const type = spec.fieldTypes?.[path];
      return type ? ` NOT NULL CHECK (${typeCheck(path, type)})` : '';
    };
    const extra = paths.map((path) => `, "${valueColumn(path)}"${declared(path)}, "${textColumn(path)}" TEXT${spec.fieldTypes?.[path] ? ' NOT NULL' : ''}`).join('');
    for (const index of spec.indexes) assertName(index.name, 'index');
    this.dropRollups(table);
    this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
    // `internal` holds what the projection keeps for itself, apart from the document a page reads, and last.
    // A collection's own documents (with their internal inputs, kilobytes each) go in a rowid table: in a table
    // WITHOUT ROWID a row over about a quarter of a page spills into overflow pages that every seek by id reads in
    // full to compare keys (measured at 10k customers: a churn-risk page of 50 rows 0.81 ms against 0.10 ms, a
    // rep's worklist of 167 rows 3.2 ms against 0.32 ms). Derived rows are small and written by the hundred
    // thousand: they keep the single B-tree of a table WITHOUT ROWID.
    const layout = spec.derived === true ? ' WITHOUT ROWID' : '';
    this.db.exec(`CREATE TABLE "${table}" (id TEXT PRIMARY KEY, position TEXT NOT NULL, doc TEXT NOT NULL${extra}, internal TEXT)${layout}`);
    this.columns.delete(table);
    this.upserts.delete(table);
    this.internal.delete(table);
  }

  async probeWrite(): Promise<void> {
    this.writing();
    this.db.exec('CREATE TABLE IF NOT EXISTS rm_health (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at TEXT NOT NULL)');
    this.statement('INSERT OR REPLACE INTO rm_health (id, probed_at) VALUES (1, ?)').run(this.clock.now().toISOString());
  }

  async buildIndexes(target: Target, collections: readonly CollectionSpec[]): Promise<void> {
    this.writing();
    this.db.transaction(() => {
      if (!this.checkpointRow(target)) throw new Error(`Generation ${target.generation} of ${target.projection} does not exist`);
      for (const spec of collections) this.createIndexes(target, spec);
    }).immediate();
  }

  /** The position index and the collection's declared indexes, each unless it exists. */
  private createIndexes(target: Target, spec: CollectionSpec): void {
    const table = tableName(target, spec.name);
    this.db.exec(`CREATE INDEX IF NOT EXISTS "${table}__position" ON "${table}" (position)`);
    const columns = this.columnsOf(table);
    for (const index of spec.indexes) {
      const keys = index.fields.map(([path, direction]) => `${fieldSql(path, columns).value} ${direction === -1 ? 'DESC' : 'ASC'}`);
      if (!index.fields.some(([path]) => path === 'id')) keys.push('id');
      // The text columns ride along at the end: they decide exact types without a look at the row.
      const texts = index.unique ? [] : index.fields.filter(([path]) => path !== 'id').map(([path]) => fieldSql(path, columns).text);
      this.db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "${table}__${index.name}" ON "${table}" (${[...keys, ...texts].join(', ')})`);
    }
    for (const rollup of spec.rollups ?? []) {
      const fields = [...Object.keys(rollup.where), ...rollup.groupBy, ...rollup.sum];
      this.createRollup(table, rollup, Object.fromEntries(fields.map((field) => [field, spec.fieldTypes![field]!])));
    }
  }

  /**
   * A rollup's table of groups (count and sums per group), filled from the rows already written, and the triggers
   * that keep it with every insert and update of the collection's table, in the writing transaction: a commit and
   * its rollups are one. A group whose count falls to zero is removed.
   */
  private createRollup(table: string, rollup: RollupSpec, types: Readonly<Record<string, FieldType>>): void {
    if (this.db.prepare('SELECT 1 FROM rm_rollups WHERE tbl = ? AND name = ?').get(table, rollup.name)) return;
    const kept = keptRollup(table, { rollup, types });
    const groups = rollup.groupBy.map((path) => `"${groupColumn(path)}"`);
    const sums = rollup.sum.map((path) => `"${sumColumn(path)}"`);
    const value = (row: string, path: string) => `${row}"${valueColumn(path)}"`;
    const matches = (row: string) => {
      const terms = Object.entries(rollup.where).map(([path, literal]) => `${value(row, path)} = ${sqlLiteral(literal)}`);
      return terms.length === 0 ? '1' : terms.join(' AND ');
    };
    const sameGroup = (row: string) => rollup.groupBy.map((path, i) => `${groups[i]} = ${value(row, path)}`).join(' AND ');
    const add = (select: boolean) => {
      const values = [...rollup.groupBy.map((path) => value('new.', path)), '1', ...rollup.sum.map((path) => value('new.', path))].join(', ');
      const source = select ? `SELECT ${values} WHERE ${matches('new.')}` : `VALUES (${values})`;
      return `INSERT INTO "${kept.table}" (${[...groups, 'n', ...sums].join(', ')}) ${source}
        ON CONFLICT (${groups.join(', ')}) DO UPDATE SET n = n + 1${sums.map((sum) => `, ${sum} = ${sum} + excluded.${sum}`).join('')};`;
    };
    const remove = `UPDATE "${kept.table}" SET n = n - 1${rollup.sum.map((path, i) => `, ${sums[i]} = ${sums[i]} - ${value('old.', path)}`).join('')} WHERE ${sameGroup('old.')};
        DELETE FROM "${kept.table}" WHERE ${sameGroup('old.')} AND n = 0;`;
    this.db.exec(`DROP TABLE IF EXISTS "${kept.table}"`);
    this.db.exec(`CREATE TABLE "${kept.table}" (${[...groups, 'n INTEGER NOT NULL', ...sums].join(', ')}, PRIMARY KEY (${groups.join(', ')})) WITHOUT ROWID`);
    this.db.exec(
      `INSERT INTO "${kept.table}" (${[...groups, 'n', ...sums].join(', ')})
       SELECT ${[...rollup.groupBy.map((path) => value('', path)), 'count(*)', ...rollup.sum.map((path) => `sum(${value('', path)})`)].join(', ')}
       FROM "${table}" WHERE ${matches('')} GROUP BY ${rollup.groupBy.map((path) => value('', path)).join(', ')}`,
    );
    this.db.exec(`CREATE TRIGGER "${kept.table}__insert" AFTER INSERT ON "${table}" WHEN ${matches('new.')} BEGIN ${add(false)} END`);
    this.db.exec(`CREATE TRIGGER "${kept.table}__update_old" AFTER UPDATE ON "${table}" WHEN ${matches('old.')} BEGIN ${remove} END`);
    this.db.exec(`CREATE TRIGGER "${kept.table}__update_new" AFTER UPDATE ON "${table}" WHEN ${matches('new.')} BEGIN ${add(true)} END`);
    this.db.exec(`CREATE TRIGGER "${kept.table}__delete" AFTER DELETE ON "${table}" WHEN ${matches('old.')} BEGIN ${remove} END`);
    this.db.prepare('INSERT INTO rm_rollups (tbl, name, spec) VALUES (?, ?, ?)').run(table, rollup.name, JSON.stringify({ rollup, types }));
    this.rollups.delete(table);
  }

  /** A table's rollups and their tables (its triggers go with the table). */
  private dropRollups(table: string): void {
    for (const kept of this.rollupsOf(table)) this.db.exec(`DROP TABLE IF EXISTS "${kept.table}"`);
    this.db.prepare('DELETE FROM rm_rollups WHERE tbl = ?').run(table);
    this.rollups.delete(table);
  }

  private rollupsOf(table: string): readonly KeptRollup[] {
    let kept = this.rollups.get(table);
    if (!kept) {
      const rows = this.statement('SELECT spec FROM rm_rollups WHERE tbl = ? ORDER BY name').all(table) as { spec: string }[];
      kept = rows.map((row) => keptRollup(table, JSON.parse(row.spec) as StoredRollup));
      this.rollups.set(table, kept);
    }
    return kept;
  }

  /**
   * Points the stable views of a projection at a generation, in the swap's own transaction: each view has the id,
   * position and document, and the indexed fields as columns of their own (booleans read 1/0).
   */
  private publish(projection: string, generation: number): void {
    const rows = this.db.prepare('SELECT name, collection FROM rm_published WHERE projection = ?').all(projection) as { name: string; collection: string }[];
    for (const { name, collection } of rows) {
      const table = tableName({ projection, generation }, collection);
      const fields = [...this.columnsOf(table)].map(([path, sql]) => `, ${sql.value} AS "${path}"`).join('');
      this.db.exec(`DROP VIEW IF EXISTS "${name}"`);
      this.db.exec(`CREATE VIEW "${name}" AS SELECT id, position, doc${fields} FROM "${table}"`);
    }
  }

  private columnsOf(table: string): FieldColumns {
    let columns = this.columns.get(table);
    if (!columns) {
      const info = this.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; notnull: number }[];
      const names = info.map((row) => row.name);
      const ddl = (this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string } | undefined)?.sql ?? '';
      const map = new Map<string, FieldSql>();
      for (const { name, notnull } of info) {
        if (!name.startsWith('v:')) continue;
        const path = name.slice(2);
        const type = notnull === 1 ? declaredType(ddl, path) : undefined;
        map.set(path, { value: `"${name}"`, text: `"t:${path}"`, ...(type ? { type } : {}) });
      }
      columns = map;
      this.columns.set(table, columns);
      // Tables made before internal fields had a column of their own keep them in the document.
      this.internal.set(table, names.includes('internal'));
    }
    return columns;
  }

  /** The columns a projection reads a whole document from. */
  private stored(table: string): string {
    this.columnsOf(table);
    return this.internal.get(table) ? 'id, position, doc, internal' : 'id, position, doc';
  }

  async activateGeneration(projection: string, generation: number, version: number): Promise<number> {
    this.writing();
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM rm_projections WHERE projection = ?').get(projection) as RegistrationRow | undefined;
      if (!row) throw new Error(`Projection ${projection} is not registered`);
      const candidate = this.checkpointRow({ projection, generation });
      if (!candidate) throw new Error(`Generation ${generation} of ${projection} does not exist`);
      if (row.live_generation !== 0 && row.live_generation !== generation) {
        const live = this.checkpointRow({ projection, generation: row.live_generation });
        if (live && decodePosition(live.position) > decodePosition(candidate.position)) {
          throw new Error(`Generation ${generation} of ${projection} is behind the live one (${candidate.position} < ${live.position})`);
        }
      }
      this.db.prepare('UPDATE rm_projections SET live_generation = ?, live_version = ? WHERE projection = ?').run(generation, version, projection);
      this.publish(projection, generation);
      return row.live_generation === generation ? 0 : row.live_generation;
    }).immediate();
  }

  async dropGeneration(target: Target, collections: readonly CollectionSpec[]): Promise<void> {
    this.writing();
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT live_generation FROM rm_projections WHERE projection = ?').get(target.projection) as
        | { live_generation: number }
        | undefined;
      if (row?.live_generation === target.generation) throw new Error(`Generation ${target.generation} of ${target.projection} is live`);
      for (const spec of collections) {
        this.dropRollups(tableName(target, spec.name));
        this.db.exec(`DROP TABLE IF EXISTS "${tableName(target, spec.name)}"`);
        this.columns.delete(tableName(target, spec.name));
        this.upserts.delete(tableName(target, spec.name));
        this.internal.delete(tableName(target, spec.name));
      }
      this.db.prepare('DELETE FROM rm_checkpoints WHERE projection = ? AND generation = ?').run(target.projection, target.generation);
    }).immediate();
    this.prepared.clear();
  }

  private checkpointRow(target: Target): CheckpointRow | undefined {
    return this.statement('SELECT position, failure, updated_at FROM rm_checkpoints WHERE projection = ? AND generation = ?').get(
      target.projection,
      target.generation,
    ) as CheckpointRow | undefined;
  }

  async checkpoint(target: Target): Promise<CheckpointRecord> {
    const row = this.checkpointRow(target);
    if (!row) throw new Error(`Generation ${target.generation} of ${target.projection} does not exist`);
    return { position: decodePosition(row.position), failure: row.failure ? (JSON.parse(row.failure) as ProjectionFailure) : null, updatedAt: row.updated_at };
  }

  async commit(target: Target, writes: readonly DocWrite[], checkpoint: bigint, failure: ProjectionFailure | null, fence?: LeaseFence): Promise<CommitOutcome> {
    this.writing();
    const encoded = encodePosition(checkpoint);
    return this.db.transaction((): CommitOutcome => {
      if (!this.checkpointRow(target)) return 'stale';
      // Inside the write transaction: no other process can take the lease between this check and the writes.
      if (fence && !this.statement('SELECT 1 FROM rm_leases WHERE name = ? AND owner = ? AND expires_at > ?').get(fence.name, fence.owner, fence.now.toISOString())) {
        return 'fenced';
      }
      for (const write of writes) {
        const { statement, keys, split } = this.upsertFor(tableName(target, write.collection));
        const { id, [INTERNAL_FIELD]: internal, ...rest } = write.doc as Doc & Record<string, unknown>;
        if (!split && internal !== undefined) (rest as Record<string, unknown>)[INTERNAL_FIELD] = internal;
        const values: unknown[] = [id, encodePosition(write.position), JSON.stringify(rest)];
        if (split) values.push(internal === undefined ? null : JSON.stringify(internal));
        for (const path of keys) pushColumnValues(values, write.doc, path);
        statement.run(values);
      }
      this.statement(
        `UPDATE rm_checkpoints SET position = CASE WHEN position = '-1' OR position < ? THEN ? ELSE position END, failure = ?, updated_at = ?
         WHERE projection = ? AND generation = ?`,
      ).run(encoded, encoded, failure ? JSON.stringify(failure) : null, this.clock.now().toISOString(), target.projection, target.generation);
      return 'committed';
    }).immediate();
  }

  /** The statement that writes a document of a table, with the indexed paths it fills (built once per table). */
  private upsertFor(table: string): Upsert {
    let upsert = this.upserts.get(table);
    if (!upsert) {
      const paths = [...this.columnsOf(table).keys()];
      const split = this.internal.get(table) === true;
      const names = [...(split ? ['internal'] : []), ...paths.flatMap((path) => [`"${valueColumn(path)}"`, `"${textColumn(path)}"`])];
      // A document already holding a later event keeps it: the guard that makes a replayed batch harmless.
      const statement = this.db.prepare(
        `INSERT INTO "${table}" (id, position, doc${names.map((n) => `, ${n}`).join('')}) VALUES (?, ?, ?${names.map(() => ', ?').join('')})
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc${names.map((n) => `, ${n} = excluded.${n}`).join('')}
         WHERE excluded.position > position`,
      );
      upsert = { statement, keys: paths.map((path) => path.split('.')), split };
      this.upserts.set(table, upsert);
    }
    return upsert;
  }

  async load(target: Target, collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc>> {
    const out = new Map<string, StoredDoc>();
    const table = tableName(target, collection);
    // Many ids are read a slice at a time: one statement per slice rather than one per id.
    for (let from = 0; from < ids.length; from += LOAD_SLICE) {
      const slice = ids.slice(from, from + LOAD_SLICE);
      const placeholders = slice.length === LOAD_SLICE ? LOAD_PLACEHOLDERS : slice.map(() => '?').join(', ');
      const statement = this.statement(`SELECT ${this.stored(table)} FROM "${table}" WHERE id IN (${placeholders})`);
      for (const row of statement.all(...slice) as DocRow[]) out.set(row.id, toStored(row));
    }
    return out;
  }

  async find<D extends Doc = Doc>(target: Target, collection: string, filter?: Filter, options?: FindOptions): Promise<D[]> {
    const table = tableName(target, collection);
    const columns = this.columnsOf(table);
    const where = toWhere(filter, columns);
    const limit = toLimit(options);
    const order = toOrderBy(options, columns);
    if ((options?.skip ?? 0) === 0 && options?.hint === undefined) {
      const sql = `SELECT id, position, doc FROM "${table}"${where.sql}${order}${limit.sql}`;
      return (this.statement(sql).all(...where.params, ...limit.params) as DocRow[]).map((row) => toPageDoc(row) as D);
    }
    // Skipped rows, and rows sorted apart from their index, are handled in the index alone; only the page's documents are read.
    const page = `SELECT id FROM "${table}"${indexedBy(table, options?.hint)}${where.sql}${order}${limit.sql}`;
    const sql = `SELECT id, position, doc FROM "${table}" WHERE id IN (${page})${order}`;
    return (this.statement(sql).all(...where.params, ...limit.params) as DocRow[]).map((row) => toPageDoc(row) as D);
  }

  async count(target: Target, collection: string, filter?: Filter, hint?: string): Promise<number> {
    const table = tableName(target, collection);
    const where = toWhere(filter, this.columnsOf(table));
    const row = this.statement(`SELECT count(*) AS n FROM "${table}"${indexedBy(table, hint)}${where.sql}`).get(...where.params) as { n: number };
    return row.n;
  }

  async aggregate(target: Target, collection: string, filter: Filter, spec: AggregateSpec): Promise<AggregateRow[]> {
    const table = tableName(target, collection);
    const rollup = this.rollupsOf(table).find((kept) => rollupCovers(kept.rollup, kept.types, filter, spec));
    if (rollup) return this.aggregateRollup(rollup, filter, spec);
    const columns = this.columnsOf(table);
    const where = toWhere(filter, columns);
    const keys = spec.groupBy.map((path) => fieldSql(path, columns));
    const sums = spec.sum.map((path) => `coalesce(sum(${fieldSql(path, columns).value}), 0)`);
    const from = `FROM "${table}"${indexedBy(table, spec.hint)}${where.sql}`;
    const collected = spec.collect === undefined ? undefined : collectSql(fieldSql(spec.collect, columns));
    const tail = ['count(*)', ...sums, ...(collected ? [collected.sql] : [])];
    // Fields of a declared type (NOT NULL, checked by type) cannot mix types: their groups need no check.
    if (keys.length > 0 && keys.every((key) => key.type !== undefined)) {
      // A declared string is read as it is stored in its value column; other types as JSON text.
      const typed = this.statement(
        `SELECT ${[...keys.map(({ text, value, type }) => (type === 'string' ? value : text)), ...tail].join(', ')} ${from} GROUP BY ${keys.map(({ value }) => value).join(', ')}`,
      );
      return groupRows(spec, typed.raw(true).all(...where.params) as unknown[][], keys.map(({ type }) => (type === 'string' ? asStored : fromJsonText)), collected?.read);
    }
    // Grouped by value, a group streams in the order of an index on the fields; the smallest and largest JSON text
    // of a group, and how many have one, tell whether values of different types (true and 1, null and missing) fell
    // into it. Rarely, they did: then the groups are made by JSON text (exact in type), through a sort. A row holds
    // the smallest text per key and the tail, as any other aggregate row, then from `checks` on each key's largest
    // text and how many have one.
    const checks = keys.length + tail.length;
    const byValue =
      keys.length === 0
        ? []
        : (this.statement(
            `SELECT ${[...keys.map(({ text }) => `min(${text})`), ...tail, ...keys.map(({ text }) => `max(${text}), count(${text})`)].join(', ')} ${from} GROUP BY ${keys.map(({ value }) => value).join(', ')}`,
          )
            .raw(true)
            .all(...where.params) as unknown[][]);
    const mixed = byValue.some((row) =>
      keys.some((_, i) => {
        const present = Number(row[checks + 2 * i + 1]);
        return row[i] !== row[checks + 2 * i] || (present !== 0 && present !== Number(row[keys.length]));
      }),
    );
    const rows =
      keys.length > 0 && !mixed
        ? byValue
        : (this.statement(
            `SELECT ${[...keys.map(({ text }) => text), ...tail].join(', ')} ${from}${keys.length > 0 ? ` GROUP BY ${keys.map(({ text }) => text).join(', ')}` : ''}`,
          )
            .raw(true)
            .all(...where.params) as unknown[][]);
    return groupRows(spec, rows, keys.map(() => fromJsonText), collected?.read);
  }

  /**
   * An aggregate a rollup covers, from its groups: the rollup's own conditions hold for every group it keeps. Where
   * the filter fixes every group field the aggregate does not group by, each group kept is one answer row as it is.
   */
  private aggregateRollup({ table, rollup, types, columns }: KeptRollup, filter: Filter, spec: AggregateSpec): AggregateRow[] {
    const rest = Object.fromEntries(Object.entries(filter).filter(([path]) => !(path in rollup.where)));
    const where = toWhere(rest, columns);
    const keys = spec.groupBy.map((path) => `"${groupColumn(path)}"`);
    const fixed = (path: string) => spec.groupBy.includes(path) || (path in rest && (rest[path] === null || typeof rest[path] !== 'object'));
    const sql = rollup.groupBy.every(fixed)
      ? `SELECT ${[...keys, 'n', ...spec.sum.map((path) => `"${sumColumn(path)}"`)].join(', ')} FROM "${table}"${where.sql}`
      : `SELECT ${[...keys, 'sum(n)', ...spec.sum.map((path) => `sum("${sumColumn(path)}")`)].join(', ')} FROM "${table}"${where.sql}${keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : ''}`;
    const rows = this.statement(sql).raw(true).all(...where.params) as unknown[][];
    return groupRows(spec, rows, spec.groupBy.map((path) => (types[path] === 'boolean' ? asBoolean : asStored)));
  }

  async findIds(target: Target, collection: string, filter?: Filter): Promise<string[]> {
    const where = toWhere(filter, this.columnsOf(tableName(target, collection)));
    const rows = this.statement(`SELECT id FROM "${tableName(target, collection)}"${where.sql} ORDER BY id`).all(...where.params) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async acquireLease(name: string, owner: string, until: Date, now: Date): Promise<boolean> {
    this.writing();
    // Taken when free, expired or already ours; one statement, so two processes on one file cannot both win.
    const result = this.statement(
      `INSERT INTO rm_leases (name, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE rm_leases.owner = excluded.owner OR rm_leases.expires_at <= ?`,
    ).run(name, owner, until.toISOString(), now.toISOString());
    return result.changes > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.writing();
    this.statement('DELETE FROM rm_leases WHERE name = ? AND owner = ?').run(name, owner);
  }

  async changedSince(target: Target, collection: string, after: bigint, limit = 100_000): Promise<StoredDoc[]> {
    // Commits are transactions here; the bound leaves out the slices of a commit whose checkpoint is still to come.
    const { position } = await this.checkpoint(target);
    if (position <= after || position < 0n) return [];
    const rows = this.statement(
      `SELECT ${this.stored(tableName(target, collection))} FROM "${tableName(target, collection)}" WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    ).all(after < 0n ? '' : encodePosition(after), encodePosition(position), limit) as DocRow[];
    return rows.map(toStored);
  }

  async *scan(target: Target, collection: string): AsyncIterable<StoredDoc> {
    // Paged by id rather than one open cursor, so other statements can run between pages.
    let after = '';
    for (;;) {
      const rows = this.statement(`SELECT ${this.stored(tableName(target, collection))} FROM "${tableName(target, collection)}" WHERE id > ? ORDER BY id LIMIT ?`).all(
        after,
        SCAN_PAGE,
      ) as DocRow[];
      for (const row of rows) yield toStored(row);
      if (rows.length < SCAN_PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const indexedBy = (table: string, hint: string | undefined): string => (hint === undefined ? '' : ` INDEXED BY "${table}__${assertName(hint, 'index')}"`);

interface Upsert {
  readonly statement: Statement;
  /** The indexed paths it fills, each split into its keys. */
  readonly keys: readonly (readonly string[])[];
  readonly split: boolean;
}

interface DocRow {
  id: string;
  position: string;
  doc: string;
  internal?: string | null;
}

const toDoc = (row: DocRow): Doc => ({
  id: row.id,
  ...(JSON.parse(row.doc) as Record<string, unknown>),
  ...(typeof row.internal === 'string' ? { [INTERNAL_FIELD]: JSON.parse(row.internal) as unknown } : {}),
});
/** What `find` returns: never the internal field, even from a table that keeps it inside the document. */
const toPageDoc = (row: DocRow): Doc => {
  const { [INTERNAL_FIELD]: _internal, ...doc } = toDoc(row) as Doc & Record<string, unknown>;
  return doc as Doc;
};
const toStored = (row: DocRow): StoredDoc => ({ doc: toDoc(row), position: decodePosition(row.position) });
const toRegistration = (row: RegistrationRow): ProjectionRegistration => ({
  projection: row.projection,
  liveGeneration: row.live_generation,
  liveVersion: row.live_version,
  lastGeneration: row.last_generation,
});

/** How a group key reads back from its column: as stored (a declared string or number), as 1/0, or as JSON text. */
type KeyReader = (stored: unknown) => Scalar;
const asStored: KeyReader = (stored) => stored as Scalar;
const asBoolean: KeyReader = (stored) => stored === 1;
const fromJsonText: KeyReader = (stored) => (stored === null || stored === undefined ? null : (JSON.parse(String(stored)) as Scalar));

/**
 * The groups of an aggregate's rows read as arrays (better-sqlite3's raw rows, cheaper than objects): the keys,
 * the count, then the sums, in the port's order. A group without rows (none matched an ungrouped aggregate) is none.
 */
const groupRows = (spec: AggregateSpec, rows: readonly unknown[][], readers: readonly KeyReader[], values?: ValuesReader): AggregateRow[] => {
  const keys = spec.groupBy.length;
  const out: AggregateRow[] = [];
  for (const row of rows) {
    const count = Number(row[keys]);
    if (!(count > 0)) continue;
    const key: Record<string, Scalar> = {};
    for (let i = 0; i < keys; i += 1) key[spec.groupBy[i]!] = readers[i]!(row[i]);
    const sums: Record<string, number> = {};
    for (let i = 0; i < spec.sum.length; i += 1) sums[spec.sum[i]!] = Number(row[keys + 1 + i]);
    out.push(values ? { key, count, sums, values: values(row[keys + 1 + spec.sum.length]) } : { key, count, sums });
  }
  return sortAggregateRows(out);
};

/** Reads a group's collected values back from the JSON array its column holds. */
type ValuesReader = (stored: unknown) => Scalar[];

/**
 * The distinct values of a field per group, as one JSON array: of the values themselves for a declared string (its
 * value column), else of their JSON texts (exact in type: `1`, `true` and `"1"` stay apart). Null and missing add none.
 */
const collectSql = (field: FieldSql): { sql: string; read: ValuesReader } =>
  field.type === 'string'
    ? { sql: `json_group_array(DISTINCT ${field.value})`, read: (stored) => (JSON.parse(String(stored)) as (string | null)[]).filter((value) => value !== null) }
    : {
        // Appending '' drops the JSON subtype a value read from the document carries, so every element is its text.
        sql: `json_group_array(DISTINCT ${field.text} || '')`,
        read: (stored) =>
          (JSON.parse(String(stored)) as (string | null)[]).flatMap((text) => {
            const value = text === null ? null : (JSON.parse(text) as Scalar);
            return value === null ? [] : [value];
          }),
      };

/** The CHECK a column of a declared type carries. */
const typeCheck = (path: string, type: FieldType): string => {
  const value = `"${valueColumn(path)}"`;
  const text = `"${textColumn(path)}"`;
  return type === 'string' ? `typeof(${value}) = 'text'` : type === 'number' ? `typeof(${value}) IN ('integer', 'real') AND ${text} NOT IN ('true', 'false')` : `${text} IN ('true', 'false')`;
};

/** The declared type of a NOT NULL column, read back from the CHECK its table was made with. */
const declaredType = (ddl: string, path: string): FieldType | undefined =>
  (['string', 'number', 'boolean'] as const).find((type) => ddl.includes(`CHECK (${typeCheck(path, type)})`));

/** A rollup as `rm_rollups` keeps it: the declaration and the declared types of its fields. */
interface StoredRollup {
  readonly rollup: RollupSpec;
  readonly types: Readonly<Record<string, FieldType>>;
}

interface KeptRollup extends StoredRollup {
  /** Its table of groups. */
  readonly table: string;
  /** Its group fields as columns, for filters on them. */
  readonly columns: FieldColumns;
}

const groupColumn = (path: string): string => `g:${path}`;
const sumColumn = (path: string): string => `s:${path}`;

const keptRollup = (table: string, { rollup, types }: StoredRollup): KeptRollup => ({
  rollup,
  types,
  table: `${table}__rollup_${assertName(rollup.name, 'rollup')}`,
  columns: new Map(rollup.groupBy.map((path) => [path, { value: `"${groupColumn(path)}"`, text: `"${groupColumn(path)}"`, type: types[path]! }])),
});

/** A value written into a trigger's SQL (the rollup's declared `where` values: strings, finite numbers, booleans as 1/0). */
const sqlLiteral = (value: string | number | boolean): string =>
  typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
