import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '#engine';
import { issueToken } from '#auth';
import { type DemoOptions, generateDemoDays, loadDemo, preparedDemoBatches } from '#demo';
import { EVENT_STORE, type EventStore, SqliteEventStore, streamName, WAL_AUTOCHECKPOINT_PAGES } from '#event-store';
import { addDays } from '#shared-kernel';

/**
 * Demo loading into the embedded store against two baselines measured in the same run: generating the same
 * history without storing it, and inserting the same rows with raw better-sqlite3 (the floor for this disk).
 * Then one batch call of a day's telemetry for 10,000 customers through the real application, against the
 * same records sent one per call.
 */
const DEMO: DemoOptions = {
  seed: 42,
  customers: Number(process.env.BENCH_DEMO_CUSTOMERS ?? 2_000),
  reps: Number(process.env.BENCH_DEMO_REPS ?? 12),
  days: Number(process.env.BENCH_DEMO_DAYS ?? 365),
  startDay: '2025-01-06',
};
const BATCH_CUSTOMERS = Number(process.env.BENCH_TELEMETRY_CUSTOMERS ?? 10_000);
const SINGLE_CALLS = Number(process.env.BENCH_TELEMETRY_SINGLE_CALLS ?? 1_000);
const SECRET = 'benchmark-secret-long-enough-for-hs256-0123456789';

export interface DemoTelemetryFigures {
  readonly demo: {
    readonly customers: number;
    readonly days: number;
    readonly events: number;
    readonly generateOnly: number;
    readonly rawInsertBefore: number;
    readonly rawInsertNow: number;
    readonly appendMany: number;
    readonly importInline: number;
    readonly load: number;
  };
  readonly telemetry: {
    readonly records: number;
    readonly usageBatchMs: number;
    readonly spendBatchMs: number;
    readonly resendBatchMs: number;
    readonly correctionBatchMs: number;
    readonly singleCallRecordsPerSecond: number;
    readonly batchRecordsPerSecond: number;
  };
}

const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));

const generateOnly = (): { events: number; ms: number } => {
  const started = performance.now();
  let events = 0;
  for (const day of generateDemoDays(DEMO)) events += day.events.length;
  return { events, ms: performance.now() - started };
};

/**
 * The same rows, pre-serialised, inserted with raw better-sqlite3: what SQLite alone costs on this disk. `before`: the
 * schema and settings the store had before its bulk import (the stream index kept row by row, 20,000 rows per
 * transaction, synchronous=NORMAL). `now`: what the bulk import does (one transaction, the index built at the end,
 * synchronous=FULL).
 */
const rawInsert = (dir: string, layout: 'before' | 'now'): number => {
  const rows: unknown[][] = [];
  for (const batch of preparedDemoBatches(DEMO, 20_000)) {
    for (const e of batch.events) rows.push([e.streamName, e.revision, e.id, e.type, e.data, `${e.metadata.slice(0, -1)},"recordedAt":"2026-01-01T00:00:00.000Z"}`, '2026-01-01T00:00:00.000Z']);
  }
  const db = new Database(join(dir, `raw-${layout}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${layout === 'before' ? 'NORMAL' : 'FULL'}`);
  db.pragma('cache_size = -65536');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.exec(
    `CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL${layout === 'before' ? ', UNIQUE (stream_name, revision)' : ''})`,
  );
  const insert = db.prepare('INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const write = db.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
    if (layout === 'now') db.exec('CREATE UNIQUE INDEX events_stream_revision ON events (stream_name, revision)');
  });
  const started = performance.now();
  if (layout === 'before') for (let i = 0; i < rows.length; i += 20_000) write(rows.slice(i, i + 20_000));
  else write(rows);
  const ms = performance.now() - started;
  db.close();
  return perSecond(rows.length, ms);
};

/** `demo load` as the CLI runs it, into a fresh embedded store. */
const load = async (dir: string, name: string, generate: 'worker' | 'inline' | 'appendMany') => {
  const store = new SqliteEventStore({ filename: join(dir, `${name}.db`), crossProcessCheckMs: 0 });
  try {
    if (generate !== 'appendMany') return await loadDemo(store, DEMO, undefined, { generate });
    // The path a store without a bulk import (KurrentDB) takes: appendMany with expected revisions.
    const plain = new Proxy(store, { get: (target, property) => (property === 'importLog' ? undefined : Reflect.get(target, property)) as unknown }) as EventStore;
    return await loadDemo(plain, DEMO);
  } finally {
    await store.close();
  }
};

const usage = (customer: number, day: string, bump = 0) => ({
  customerId: `tc-${customer}`,
  day,
  logins: (customer % 3) + bump,
  shopViews: 40 + (customer % 50),
  adClicks: customer % 20,
  inquiriesReceived: customer % 4,
  inquiriesUnread: customer % 2,
  messagesUnanswered: 0,
});
const spend = (customer: number, day: string) => ({ customerId: `tc-${customer}`, day, spend: 50 + (customer % 300), clicks: 20 + (customer % 40), activeKeywords: 10 + (customer % 100) });

const telemetryBench = async (dir: string): Promise<DemoTelemetryFigures['telemetry']> => {
  const app = await createApp(loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: SECRET, LOG_LEVEL: 'error', PROJECTIONS: 'off' }), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const store = app.get<EventStore>(EVENT_STORE);
    // Customers exist when their stream does; the batch call checks that, nothing more.
    const signed = Array.from({ length: BATCH_CUSTOMERS }, (_, i) => ({
      streamName: streamName('customer', `tc-${i}`),
      expected: 'no_stream' as const,
      events: [{ id: `00000000-0000-8000-8000-${String(i).padStart(12, '0')}`, type: 'CustomerSigned', data: { customerId: `tc-${i}` }, metadata: { commandId: 'bench', correlationId: 'bench', causationId: 'bench', actor: { id: 'mgr-1', role: 'manager' as const }, occurredAt: '2026-01-01T01:00:00.000Z', schemaVersion: 1 } }],
    }));
    await store.appendMany(signed);
    const token = issueToken({ id: 'platform', role: 'platform' }, SECRET, Math.floor(Date.now() / 1000), 3600);
    const post = async (url: string, records: unknown[]) => {
      const started = performance.now();
      const response = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: { records } });
      const ms = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
      return ms;
    };
    const day = '2026-01-05';
    const all = Array.from({ length: BATCH_CUSTOMERS }, (_, i) => i);
    const usageBatchMs = await post('/telemetry/usage', all.map((i) => usage(i, day)));
    const spendBatchMs = await post('/telemetry/spend', all.map((i) => spend(i, day)));
    const resendBatchMs = await post('/telemetry/usage', all.map((i) => usage(i, day)));
    const correctionBatchMs = await post('/telemetry/usage', all.map((i) => usage(i, day, 1)));
    const other = addDays(day, 1);
    const started = performance.now();
    for (let i = 0; i < SINGLE_CALLS; i += 1) await post('/telemetry/usage', [usage(i, other)]);
    const singleMs = performance.now() - started;
    return {
      records: BATCH_CUSTOMERS,
      usageBatchMs: Math.round(usageBatchMs),
      spendBatchMs: Math.round(spendBatchMs),
      resendBatchMs: Math.round(resendBatchMs),
      correctionBatchMs: Math.round(correctionBatchMs),
      singleCallRecordsPerSecond: perSecond(SINGLE_CALLS, singleMs),
      batchRecordsPerSecond: perSecond(BATCH_CUSTOMERS, usageBatchMs),
    };
  } finally {
    await app.close();
  }
};

export const runDemoTelemetryBench = async (): Promise<DemoTelemetryFigures> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-demo-'));
  try {
    process.stderr.write('  generating only…\n');
    const generated = generateOnly();
    process.stderr.write('  raw inserts…\n');
    const rawBefore = rawInsert(dir, 'before');
    const rawNow = rawInsert(dir, 'now');
    process.stderr.write('  demo load (appendMany, inline import, worker import)…\n');
    const appended = await load(dir, 'appended', 'appendMany');
    const inline = await load(dir, 'inline', 'inline');
    const loaded = await load(dir, 'worker', 'worker');
    process.stderr.write('  telemetry batches…\n');
    const telemetry = await telemetryBench(join(dir, 'app'));
    return {
      demo: {
        customers: DEMO.customers,
        days: DEMO.days,
        events: loaded.events,
        generateOnly: perSecond(generated.events, generated.ms),
        rawInsertBefore: rawBefore,
        rawInsertNow: rawNow,
        appendMany: appended.eventsPerSecond,
        importInline: inline.eventsPerSecond,
        load: loaded.eventsPerSecond,
      },
      telemetry,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const demoTelemetryLines = (r: DemoTelemetryFigures): string[] => {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const t = r.telemetry;
  return [
    `| demo load (${n(r.demo.customers)} customers × ${r.demo.days} days = ${n(r.demo.events)} events) | events/s |`,
    '|---|---|',
    `| generate only (no store) | ${n(r.demo.generateOnly)} |`,
    `| raw better-sqlite3 insert of the same rows, the store's former layout (index kept per row, 20,000 per transaction, synchronous=NORMAL) | ${n(r.demo.rawInsertBefore)} |`,
    `| raw better-sqlite3 insert of the same rows, the bulk import's layout (one transaction, index built at the end, synchronous=FULL) | ${n(r.demo.rawInsertNow)} |`,
    `| load through \`appendMany\` (the path of a store without a bulk import, and of the store before it) | ${n(r.demo.appendMany)} |`,
    `| bulk import, generating on the same thread | ${n(r.demo.importInline)} |`,
    `| \`demo load\` (bulk import, generating in a worker thread; target ≥ 100,000) | ${n(r.demo.load)} (${r.demo.load >= 100_000 ? 'met' : '**not met**'}) |`,
    '',
    `| telemetry, ${n(t.records)} customers in one call (HTTP through inject: parse, validate, decide, one atomic append) | ms |`,
    '|---|---|',
    `| usage, first report of the day | ${n(t.usageBatchMs)} (${n(t.batchRecordsPerSecond)} records/s) |`,
    `| spend, first report of the day | ${n(t.spendBatchMs)} |`,
    `| usage resent unchanged (nothing written) | ${n(t.resendBatchMs)} |`,
    `| usage, every record corrected | ${n(t.correctionBatchMs)} |`,
    `| baseline: one record per call | ${n(t.singleCallRecordsPerSecond)} records/s |`,
    '',
  ];
};
