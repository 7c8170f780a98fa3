import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { type Clock, type EventMetadata, systemClock } from '#shared-kernel';
import {
  AppendRequest,
  AppendResult,
  assertDistinctStreams,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ImportProgress,
  ImportRejectedError,
  ImportSummary,
  LogNotEmptyError,
  PreparedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { CatchUpSubscription } from './catch-up-subscription';

interface StoredId {
  event_id: string;
  revision: number | bigint;
  position: number | bigint;
}

interface EventRow {
  position: number | bigint;
  stream_name: string;
  revision: number | bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

/** The columns a recorded event is read from (`recorded_at` is also inside its metadata). */
const EVENT_COLUMNS = 'position, stream_name, revision, event_id, type, data, metadata';

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:'. */
  readonly filename: string;
  readonly clock?: Clock;
  /**
   * Appends in this process wake subscriptions at once. Another process writing the same file (the CLI)
   * is noticed by a cheap check of the head position at this interval; 0 turns it off.
   */
  readonly crossProcessCheckMs?: number;
  /**
   * When an append is acknowledged. `full` (the default): on disk, as KurrentDB acknowledges only flushed writes, so a
   * power loss loses no acknowledged command. `normal`: written to the operating system, which a process crash never
   * loses but a power loss may (faster for a single writer; group commit makes the difference small under load).
   */
  readonly durability?: Durability;
}

export const DURABILITIES = ['full', 'normal'] as const;
export type Durability = (typeof DURABILITIES)[number];

/** An append waiting for the next group commit: its work inside the transaction, and its caller. */
interface PendingAppend {
  readonly work: () => unknown;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/** The outcome of one append of a group: what it answered, or why it was rolled back. */
type GroupOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_CONSTRAINT');

export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Group commit's wait (see `flushWhenGathered`): after a group of at least this many appends, a flush waits up to this
 * long for half as many to gather. RecordVisit at 50 connections: 2,800–2,900 requests/s flushing at once, 3,100–3,200
 * with a 1–4 ms wait; 50 writers that all append again at once lost two thirds of their rate to an unconditional wait.
 */
const GROUP_DELAY_SIBLINGS = 8;
const GROUP_DELAY_MS = 2;

/** Streams whose last revision the store keeps in mind (see `knownRevision`): about 2 MB. */
const KNOWN_STREAMS = 20_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_name TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL
);
`;

/**
 * One stream's revisions are unique. A named index, so that a bulk import into an empty log can build it once at the
 * end (sorted) instead of inserting into it row by row. Files made before it carry the same rule as the table's
 * `UNIQUE (stream_name, revision)` constraint (`sqlite_autoindex_events_1`) and keep it.
 */
const STREAM_INDEX = 'events_stream_revision';
const CREATE_STREAM_INDEX = `CREATE UNIQUE INDEX IF NOT EXISTS ${STREAM_INDEX} ON events (stream_name, revision)`;

/**
 * The embedded event store: one SQLite file in WAL mode, mirroring EventStoreDB's stream semantics.
 *
 * Group commit: appends that arrive while the process is busy (concurrent commands) are written in one transaction,
 * each in a savepoint of its own, so a conflict or a failure in one rolls back only that one; the transaction is then
 * flushed once for all of them, and none is acknowledged before that (with `durability: 'full'`, on disk).
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Db;
  /**
   * Reads of the log in position order (catch-up, rebuilds) run on a read-only connection of their own, with
   * SQLite's small default page cache: a scan of the whole log streams through the operating system's file cache
   * instead of filling the appends' 64 MiB cache with pages it reads once, evicting the stream index appends need
   * (measured on a 1M-event log: a rebuild's peak RSS 60 MB lower). A database in memory has only the one.
   */
  private readonly scanDb: Db;
  private readonly scanPrepared = new Map<string, Statement>();
  private readonly clock: Clock;
  private readonly listeners = new Set<() => void>();
  /** Prepared statements by SQL text: preparing costs more than running a small query. */
  private readonly prepared = new Map<string, Statement>();
  private readonly statements: {
    streamRevision: Statement<[string], { revision: number | bigint | null }>;
    eventsFrom: Statement<[string, bigint, number], StoredId>;
    lastEvents: Statement<[string, number], StoredId>;
    insertEvent: Statement<[string, bigint | number, string, string, string, string, string]>;
    head: Statement<[], { position: number | bigint | null }>;
    readStreams: Statement<[string, number], EventRow & { slot: number | bigint }>;
  };
  private readonly group: { begin: Statement; savepoint: Statement; release: Statement; rollbackTo: Statement; commit: Statement; rollback: Statement };
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** Streams' last revisions as this store last wrote or read them whole (see `knownRevision`), most recent last. */
  private readonly known = new Map<string, bigint>();
  /** Revisions written by the group being committed, applied to `known` once it commits. */
  private groupKnown: [string, bigint][] | null = null;
  /** SQLite's count of commits by other connections, when `known` was last checked against it. */
  private dataVersion: bigint;
  private readonly dataVersionStatement: Statement<[], bigint>;
  /** How many appends the last group commit wrote (see `enqueue`). */
  private lastGroupSize = 0;
  /** While a bulk import's transaction is open: appends wait, and reads see the empty log it started from. */
  private importing = false;
  private closed = false;
  private lastSeenHead = -1n;
  private readonly crossProcessTimer?: NodeJS.Timeout;

  constructor(options: SqliteEventStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.db = new Database(options.filename);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${(options.durability ?? 'full').toUpperCase()}`);
    this.db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (the default is 2 MiB): appends touch the stream index all over, and batches are large.
    this.db.pragma('cache_size = -65536');
    // Checkpoint the WAL every ~40 MB instead of every 4 MB: commits stay small and checkpoints rarer.
    this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.exec(SCHEMA);
    this.scanDb = options.filename === ':memory:' || options.filename === '' ? this.db : new Database(options.filename, { readonly: true, fileMustExist: true });
    if (this.scanDb !== this.db) {
      this.scanDb.defaultSafeIntegers(true);
      this.scanDb.pragma('busy_timeout = 5000');
    }
    const constrained = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND name LIKE 'sqlite_autoindex_events_%'").get();
    if (!constrained) this.db.exec(CREATE_STREAM_INDEX);
    this.statements = {
      streamRevision: this.db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream_name = ?'),
      eventsFrom: this.db.prepare(
        'SELECT event_id, revision, position FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      lastEvents: this.db.prepare(
        'SELECT event_id, revision, position FROM events WHERE stream_name = ? ORDER BY revision DESC LIMIT ?',
      ),
      insertEvent: this.db.prepare(
        'INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      head: this.db.prepare('SELECT MAX(position) AS position FROM events'),
      readStreams: this.db.prepare(
        'SELECT j.key AS slot, e.position, e.stream_name, e.revision, e.event_id, e.type, e.data, e.metadata FROM json_each(?) AS j CROSS JOIN events AS e ON e.stream_name = j.value WHERE e.revision < ? ORDER BY j.key, e.revision',
      ),
    };
    this.group = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      savepoint: this.db.prepare('SAVEPOINT one_append'),
      release: this.db.prepare('RELEASE one_append'),
      rollbackTo: this.db.prepare('ROLLBACK TO one_append'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
    };
    this.dataVersionStatement = this.db.prepare<[], bigint>('PRAGMA data_version').pluck();
    this.dataVersion = this.dataVersionStatement.get()!;
    this.lastSeenHead = this.headSync();
    const checkMs = options.crossProcessCheckMs ?? 1000;
    if (checkMs > 0 && options.filename !== ':memory:') {
      this.crossProcessTimer = setInterval(() => this.checkForForeignAppends(), checkMs);
      this.crossProcessTimer.unref();
    }
  }

  async append(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    return this.enqueue(() => this.appendInTransaction(streamName, events, expected));
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    assertDistinctStreams(requests);
    if (requests.length === 0) return [];
    return this.enqueue(() => {
      const recordedAt = this.clock.now().toISOString();
      return requests.map(({ streamName, events, expected }) => this.appendInTransaction(streamName, events, expected, recordedAt));
    });
  }

  /** Queues an append for the next group commit, which runs once the process has taken in what is waiting. */
  private enqueue<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: never) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        const since = performance.now();
        setImmediate(() => this.flushWhenGathered(since));
      }
    });
  }

  /**
   * Flushes once the group has gathered: as many appends as the last group had, or half as many, or after
   * GROUP_DELAY_MS. Under load (HTTP requests arriving a few at a time) a flush then serves more commands, as
   * PostgreSQL's commit_delay does; a lone writer, or writers that all come back at once, are flushed at once.
   */
  private flushWhenGathered(since: number): void {
    if (!this.closed && this.pending.length * 2 < this.lastGroupSize && this.lastGroupSize >= GROUP_DELAY_SIBLINGS && performance.now() - since < GROUP_DELAY_MS) {
      setTimeout(() => this.flushWhenGathered(since), 1);
      return;
    }
    this.flush();
  }

  /**
   * Writes every waiting append in one transaction, each in its own savepoint, and commits once; then answers each
   * caller. A commit that fails (a full disk, a damaged file) fails every append of the group: none was stored.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.importing && !this.closed) return; // written when the import ends
    const group = this.pending;
    this.pending = [];
    this.lastGroupSize = group.length;
    if (this.closed) {
      for (const item of group) item.reject(new Error('The event store is closed'));
      return;
    }
    const outcomes: GroupOutcome[] = [];
    const written: [string, bigint][] = [];
    try {
      this.group.begin.run();
      this.groupKnown = written;
      try {
        for (const item of group) {
          this.group.savepoint.run();
          const mark = written.length;
          try {
            const value = item.work();
            this.group.release.run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            this.group.rollbackTo.run();
            this.group.release.run();
            written.length = mark;
            outcomes.push({ ok: false, error });
          }
        }
        this.group.commit.run();
      } catch (error) {
        if (this.db.inTransaction) this.group.rollback.run();
        throw error;
      } finally {
        this.groupKnown = null;
      }
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    for (const [streamName, revision] of written) this.remember(streamName, revision);
    for (const outcome of outcomes) {
      if (!outcome.ok) continue;
      for (const result of Array.isArray(outcome.value) ? (outcome.value as AppendResult[]) : [outcome.value as AppendResult]) {
        if (result.position !== undefined && result.position > this.lastSeenHead) this.lastSeenHead = result.position;
      }
    }
    this.notify();
    group.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value as never);
      else item.reject(outcome.error);
    });
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (this.importing) return [];
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? -1;
    this.checkDataVersion();
    const order = backwards ? 'DESC' : 'ASC';
    const rows = (
      options.fromRevision === undefined
        ? this.statement(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? ORDER BY revision ${order} LIMIT ?`).all(streamName, limit)
        : this.statement(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? AND revision ${backwards ? '<=' : '>='} ? ORDER BY revision ${order} LIMIT ?`).all(
            streamName,
            options.fromRevision,
            limit,
          )
    ) as EventRow[];
    // A forward read to the end tells where the stream ends: from its start always, from a revision when it found any.
    // Kept only when no other connection committed around the read (it may have written to this stream after it).
    if (!backwards && options.maxCount === undefined && (options.fromRevision === undefined || rows.length > 0) && this.dataVersionStatement.get() === this.dataVersion) {
      this.remember(streamName, rows.length > 0 ? BigInt(rows[rows.length - 1]!.revision) : -1n);
    }
    return rows.map(toRecorded);
  }

  knownRevision(streamName: string): bigint | undefined {
    if (this.closed || this.importing) return undefined;
    this.checkDataVersion();
    return this.known.get(streamName);
  }

  /** Another connection committed since `known` was last checked: any stream may have moved, so forget them all. */
  private checkDataVersion(): void {
    const version = this.dataVersionStatement.get()!;
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.known.clear();
    }
  }

  private remember(streamName: string, revision: bigint): void {
    this.known.delete(streamName);
    this.known.set(streamName, revision);
    if (this.known.size > KNOWN_STREAMS) this.known.delete(this.known.keys().next().value as string);
  }

  async readStreams(streamNames: readonly string[], options: { readonly maxCount?: number } = {}): Promise<RecordedEvent[][]> {
    this.assertOpen();
    const lists = streamNames.map((): RecordedEvent[] => []);
    if (this.importing || streamNames.length === 0) return lists;
    // Revisions run 0, 1, 2, … in every stream, so "the first n events" is "revision below n". One query: the names
    // as a JSON array, each looked up by the stream index.
    const rows = this.statements.readStreams.all(JSON.stringify(streamNames), options.maxCount ?? Number.MAX_SAFE_INTEGER);
    for (const row of rows) lists[Number(row.slot)]!.push(toRecorded(row));
    return lists;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllSync(options);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.headSync();
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    return new CatchUpSubscription(
      (after, maxCount) => this.readAllSync({ after, maxCount, filter: options.filter }),
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      options.after,
    );
  }

  async probeWrite(): Promise<void> {
    this.assertOpen();
    // A row of its own, beside the log: a read-only file, a full disk or a damaged page fails this write.
    this.db.exec('CREATE TABLE IF NOT EXISTS es_health (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at TEXT NOT NULL)');
    this.db.prepare('INSERT OR REPLACE INTO es_health (id, probed_at) VALUES (1, ?)').run(this.clock.now().toISOString());
  }

  /**
   * The bulk import: one transaction for the whole log (so one flush, and all or nothing), the stream index dropped
   * and built once, sorted, at the end. Each stream's revisions are checked once over the whole, before the commit.
   * Reads in this process see the empty log until the commit; other processes see it through SQLite's isolation.
   */
  async importLog(batches: AsyncIterable<readonly PreparedEvent[]>, onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    this.assertOpen();
    if (this.importing) throw new Error('A log import is already running on this event store');
    // Appends already asked for go first: if they land, the log is not empty and the import is refused.
    if (this.pending.length > 0) this.flush();
    this.group.begin.run();
    this.importing = true;
    let events = 0;
    let streams = 0;
    try {
      const head = this.committedHead();
      if (head >= 0n) throw new LogNotEmptyError(head);
      const indexed = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(STREAM_INDEX) !== undefined;
      if (indexed) this.db.exec(`DROP INDEX ${STREAM_INDEX}`);
      for await (const batch of batches) {
        if (this.closed) throw new Error('The event store was closed during the import');
        const at = this.clock.now().toISOString();
        const recordedAt = `,"recordedAt":${JSON.stringify(at)}}`;
        for (const event of batch) {
          const { metadata } = event;
          if (metadata.length < 2 || metadata[0] !== '{' || metadata[metadata.length - 1] !== '}') throw new ImportRejectedError(`Event ${event.id}'s metadata is not a JSON object`);
          this.statements.insertEvent.run(event.streamName, event.revision, event.id, event.type, event.data, metadata.length === 2 ? `{${recordedAt.slice(1)}` : metadata.slice(0, -1) + recordedAt, at);
        }
        events += batch.length;
        onProgress?.({ events, stage: 'writing' });
      }
      onProgress?.({ events, stage: 'finishing' });
      // Checked once over the whole, with the index, rather than event by event: a duplicate fails building the index.
      if (indexed) this.db.exec(CREATE_STREAM_INDEX);
      streams = this.checkImportedStreams();
      this.group.commit.run();
    } catch (error) {
      if (this.db.open && this.db.inTransaction) this.group.rollback.run();
      if (isUniqueViolation(error)) throw new ImportRejectedError('A stream has two events at one revision');
      throw error;
    } finally {
      this.importing = false;
      if (this.pending.length > 0 && !this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    }
    // The whole log went through the write-ahead log: fold it into the database and give the space back.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.known.clear();
    this.lastSeenHead = this.headSync();
    this.notify();
    return { events, streams };
  }

  /** Every stream's revisions run 0, 1, 2, … in log order; answers how many streams there are. */
  private checkImportedStreams(): number {
    const { streams, gap } = this.db
      .prepare<[], { streams: number | bigint; gap: string | null }>(
        'SELECT COUNT(*) AS streams, MIN(CASE WHEN first <> 0 OR last + 1 <> count THEN stream_name END) AS gap FROM ' +
          '(SELECT stream_name, MIN(revision) AS first, MAX(revision) AS last, COUNT(*) AS count FROM events GROUP BY stream_name)',
      )
      .get()!;
    if (gap !== null) {
      const { first, last, count } = this.db
        .prepare<[string], { first: number | bigint; last: number | bigint; count: number | bigint }>('SELECT MIN(revision) AS first, MAX(revision) AS last, COUNT(*) AS count FROM events WHERE stream_name = ?')
        .get(gap)!;
      throw new ImportRejectedError(`Stream ${gap} has ${count} events at revisions ${first} to ${last}; its revisions must run 0, 1, 2, … without a gap`);
    }
    const disorder = this.db
      .prepare<[], { stream_name: string; revision: number | bigint }>(
        'SELECT a.stream_name, a.revision FROM events a JOIN events b ON b.stream_name = a.stream_name AND b.revision = a.revision + 1 WHERE b.position < a.position LIMIT 1',
      )
      .get();
    if (disorder) throw new ImportRejectedError(`Stream ${disorder.stream_name} has revision ${BigInt(disorder.revision) + 1n} before revision ${disorder.revision} in the log`);
    return Number(streams);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.importing) {
      // The import's transaction is rolled back with the connection; appends waiting for it are refused.
      this.closed = true;
      this.flush();
    } else if (this.pending.length > 0) {
      // Appends already asked for are written (and answered) before the file closes.
      this.flush();
    }
    this.closed = true;
    if (this.crossProcessTimer) clearInterval(this.crossProcessTimer);
    this.notify();
    // The reading connection first: the last to close checkpoints the WAL, which a read-only one cannot.
    if (this.scanDb !== this.db) this.scanDb.close();
    this.db.close();
  }

  private appendInTransaction(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision, recordedAt?: string): AppendResult {
    // A new stream needs no look-up first: revision 0 is unique per stream, so writing it fails exactly when
    // the stream exists, and only then is the slow path (idempotent replay or conflict) taken.
    if (expected === 'no_stream' && events.length > 0) {
      try {
        return this.insertEvents(streamName, events, -1n, recordedAt ?? this.clock.now().toISOString());
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    const currentRow = this.statements.streamRevision.get(streamName);
    const current = currentRow?.revision === null || currentRow?.revision === undefined ? -1n : BigInt(currentRow.revision);

    const replayed = this.alreadyAppended(streamName, events, expected, current);
    if (replayed) return replayed;

    if (!revisionMatches(expected, current)) throw new WrongExpectedRevisionError(streamName, expected, current);
    if (events.length === 0) return { nextExpectedRevision: current, position: this.headSync() };

    return this.insertEvents(streamName, events, current, recordedAt ?? this.clock.now().toISOString());
  }

  private insertEvents(streamName: string, events: readonly EventToAppend[], current: bigint, at: string): AppendResult {
    let revision = current;
    let position = -1n;
    // Events of one command share their metadata object: serialise it once.
    let lastMetadata: EventToAppend['metadata'] | undefined;
    let metadataJson = '';
    for (const event of events) {
      revision += 1n;
      if (event.metadata !== lastMetadata) {
        lastMetadata = event.metadata;
        metadataJson = JSON.stringify({ ...event.metadata, recordedAt: at } satisfies EventMetadata);
      }
      const info = this.statements.insertEvent.run(streamName, revision, event.id, event.type, JSON.stringify(event.data), metadataJson, at);
      position = BigInt(info.lastInsertRowid);
    }
    this.groupKnown?.push([streamName, revision]);
    return { nextExpectedRevision: revision, position };
  }

  /**
   * EventStoreDB's idempotency: the same event ids appended again where they were first written (from the
   * expected revision, or at the end of the stream for `any`/`stream_exists`) succeed without writing. Ids
   * that only partly match are a conflict. On the usual path (stream at the expected revision) there is
   * nothing after it to compare, so no query runs.
   */
  private alreadyAppended(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision, current: bigint): AppendResult | undefined {
    if (events.length === 0 || current < 0n) return undefined;
    let stored: StoredId[];
    if (expected === 'any' || expected === 'stream_exists') {
      stored = this.statements.lastEvents.all(streamName, events.length).reverse();
    } else {
      const start = expected === 'no_stream' ? 0n : expected + 1n;
      if (current < start) return undefined;
      stored = this.statements.eventsFrom.all(streamName, start, events.length);
    }
    const matching = stored.filter((row, index) => row.event_id === events[index]?.id).length;
    if (matching === 0) return undefined;
    if (matching < events.length || stored.length < events.length) throw new WrongExpectedRevisionError(streamName, expected, current);
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  }

  private readAllSync(options: ReadAllOptions): RecordedEvent[] {
    if (this.importing) return [];
    const clauses = ['position > ?'];
    const params: unknown[] = [options.after ?? 0n];
    const types = options.filter?.eventTypes ?? [];
    if (types.length > 0) {
      clauses.push(`type IN (${types.map(() => '?').join(', ')})`);
      params.push(...types);
    }
    const prefixes = options.filter?.streamNamePrefixes ?? [];
    if (prefixes.length > 0) {
      clauses.push(`(${prefixes.map(() => 'substr(stream_name, 1, ?) = ?').join(' OR ')})`);
      for (const prefix of prefixes) params.push(prefix.length, prefix);
    }
    params.push(options.maxCount ?? -1);
    const rows = this.scanStatement(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${clauses.join(' AND ')} ORDER BY position LIMIT ?`).all(...params) as EventRow[];
    return rows.map(toRecorded);
  }

  private scanStatement(sql: string): Statement {
    return preparedOn(this.scanDb, this.scanPrepared, sql);
  }

  private statement(sql: string): Statement {
    return preparedOn(this.db, this.prepared, sql);
  }

  private headSync(): bigint {
    if (this.importing) return -1n;
    return this.committedHead();
  }

  private committedHead(): bigint {
    const row = this.statements.head.get();
    return row?.position === null || row?.position === undefined ? -1n : BigInt(row.position);
  }

  private checkForForeignAppends(): void {
    if (this.closed || this.listeners.size === 0) return;
    const head = this.headSync();
    if (head > this.lastSeenHead) {
      this.lastSeenHead = head;
      this.notify();
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}

/** A connection's statement for some SQL, prepared once (the first 256 kept: preparing costs more than a small query). */
const preparedOn = (db: Db, kept: Map<string, Statement>, sql: string): Statement => {
  let statement = kept.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (kept.size < 256) kept.set(sql, statement);
  }
  return statement;
};

export const revisionMatches = (expected: ExpectedRevision, current: bigint): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1n;
    case 'stream_exists':
      return current >= 0n;
    default:
      return current === expected;
  }
};

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  streamName: row.stream_name,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  type: row.type,
  data: JSON.parse(row.data) as Record<string, unknown>,
  metadata: JSON.parse(row.metadata) as EventMetadata,
});
