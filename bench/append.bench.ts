import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, WAL_AUTOCHECKPOINT_PAGES } from '#event-store';
import { deterministicUuid } from '#shared-kernel';

/**
 * Append throughput of the embedded event store against the raw better-sqlite3 insert rate of the same rows on the
 * same disk, measured in the same run (WAL, the same checkpoint interval), at each durability: `full` (the default:
 * acknowledged once on disk, synchronous=FULL) and `normal` (synchronous=NORMAL). One writer appends one event or
 * 100 at a time; then 50 writers each append one event at a time, concurrently, as concurrent commands do, which
 * group commit writes together.
 */
const EVENTS = Number(process.env.BENCH_APPEND_EVENTS ?? 50_000);
const BATCH = 100;
const STREAMS = 1_000;
const WRITERS = 50;

const metadata = {
  commandId: 'bench',
  correlationId: 'bench',
  causationId: 'bench',
  actor: { id: 'rep-1', role: 'rep' as const },
  occurredAt: '2026-03-10T02:00:00.000Z',
  schemaVersion: 1,
};
const data = (i: number) => ({
  customerId: `c-${i % STREAMS}`,
  visitId: `v-${i}`,
  repId: 'rep-1',
  level: 1,
  channel: 'phone',
  purpose: 'care',
  reached: true,
  summary: 'Asked about inquiry volume and the new keywords',
  satisfaction: 4,
  visitedOn: '2026-03-10',
  serviceRepId: 'rep-1',
});

export interface AppendRates {
  readonly rawSingle: number;
  readonly storeSingle: number;
  readonly storeConcurrent: number;
  readonly rawBatched: number;
  readonly storeBatched: number;
}

export interface AppendFigures {
  readonly events: number;
  readonly writers: number;
  readonly full: AppendRates;
  readonly normal: AppendRates;
}

type Durability = 'full' | 'normal';

const perSecond = (count: number, startedAt: bigint) => count / (Number(process.hrtime.bigint() - startedAt) / 1e9);

const withDir = <T>(fn: (dir: string) => T): T => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-append-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const raw = (batch: number, durability: Durability): number =>
  withDir((dir) => {
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability.toUpperCase()}`);
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, revision INTEGER NOT NULL,
      event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const write = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        insert.run(`customer-c-${i % STREAMS}`, Math.floor(i / STREAMS), deterministicUuid('raw', String(i)), 'VisitRecorded', JSON.stringify(data(i)), JSON.stringify(metadata), new Date().toISOString());
      }
    });
    const started = process.hrtime.bigint();
    for (let i = 0; i < EVENTS; i += batch) write(i, Math.min(i + batch, EVENTS));
    const rate = perSecond(EVENTS, started);
    db.close();
    return rate;
  });

/** EVENTS events through the store: by `writers` concurrent writers, each appending `batch` events to one stream at a time. */
const store = async (batch: number, durability: Durability, writers = 1): Promise<number> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-append-'));
  const es = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0, durability });
  const revisions = new Map<string, bigint>();
  let next = 0;
  const writer = async () => {
    for (let i = next; i < EVENTS; i = next) {
      next += batch;
      // A batch goes to one stream, as one command's events do.
      const stream = `customer-c-${(i / batch) % STREAMS}`;
      const events = [];
      for (let j = i; j < Math.min(i + batch, EVENTS); j += 1) {
        events.push({ id: deterministicUuid('store', String(j)), type: 'VisitRecorded', data: data(j), metadata });
      }
      const current = revisions.get(stream);
      const result = await es.append(stream, events, current === undefined ? 'no_stream' : current);
      revisions.set(stream, result.nextExpectedRevision);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: writers }, writer));
  const rate = perSecond(EVENTS, started);
  await es.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
};

const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Interleaves raw and store runs and keeps the median of each, so drift on the machine hits both alike. */
const ratesAt = async (durability: Durability): Promise<AppendRates> => {
  await store(BATCH, durability);
  raw(BATCH, durability);
  const samples = { rawSingle: [] as number[], storeSingle: [] as number[], storeConcurrent: [] as number[], rawBatched: [] as number[], storeBatched: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    samples.rawSingle.push(raw(1, durability));
    samples.storeSingle.push(await store(1, durability));
    samples.storeConcurrent.push(await store(1, durability, WRITERS));
    samples.rawBatched.push(raw(BATCH, durability));
    samples.storeBatched.push(await store(BATCH, durability));
  }
  return {
    rawSingle: median(samples.rawSingle),
    storeSingle: median(samples.storeSingle),
    storeConcurrent: median(samples.storeConcurrent),
    rawBatched: median(samples.rawBatched),
    storeBatched: median(samples.storeBatched),
  };
};

export const runAppendBench = async (): Promise<AppendFigures> => ({ events: EVENTS, writers: WRITERS, full: await ratesAt('full'), normal: await ratesAt('normal') });
