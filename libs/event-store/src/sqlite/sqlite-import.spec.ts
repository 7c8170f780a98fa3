import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type EventToAppend, ImportRejectedError, LogNotEmptyError, type PreparedEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

const NOW = new Date('2026-03-02T04:05:06.007Z');
const clock = { now: () => NOW };

const metadata = (n: number) => ({ commandId: `cmd-${n}`, correlationId: 'c', causationId: 'c', actor: { id: 'rep-1', role: 'rep' as const }, occurredAt: '2026-01-05T08:00:00.000Z', schemaVersion: 1 });
const appendable = (n: number): EventToAppend => ({ id: `00000000-0000-8000-8000-${String(n).padStart(12, '0')}`, type: 'Counted', data: { n, note: `é "${n}"` }, metadata: metadata(n) });
const prepared = (streamName: string, revision: number, n: number): PreparedEvent => {
  const e = appendable(n);
  return { streamName, revision, id: e.id, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) };
};

async function* batches(...runs: PreparedEvent[][]): AsyncGenerator<PreparedEvent[]> {
  for (const run of runs) yield run;
}

describe('SqliteEventStore: importing a whole log', () => {
  let dir: string;
  let store: SqliteEventStore;
  const open = (name = 'events.db') => new SqliteEventStore({ filename: join(dir, name), clock, crossProcessCheckMs: 0 });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'es-import-'));
    store = open();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores exactly what appending the same events stores, and reports its progress', async () => {
    const log = [prepared('a', 0, 1), prepared('b', 0, 2), prepared('a', 1, 3), prepared('c', 0, 4), prepared('b', 1, 5)];
    const progress: unknown[] = [];
    const summary = await store.importLog(batches(log.slice(0, 2), log.slice(2)), (p) => progress.push(p));
    expect(summary).toStrictEqual({ events: 5, streams: 3 });
    expect(progress).toStrictEqual([
      { events: 2, stage: 'writing' },
      { events: 5, stage: 'writing' },
      { events: 5, stage: 'finishing' },
    ]);
    const appended = open('appended.db');
    try {
      for (const n of [1, 2, 3, 4, 5]) {
        const { streamName, revision } = log[n - 1]!;
        await appended.append(streamName, [appendable(n)], revision === 0 ? 'no_stream' : BigInt(revision - 1));
      }
      expect(await store.readAll()).toStrictEqual(await appended.readAll());
      expect(await store.readStream('a')).toStrictEqual(await appended.readStream('a'));
    } finally {
      await appended.close();
    }
    expect((await store.readAll())[0]!.metadata.recordedAt).toBe(NOW.toISOString());
    expect(await store.headPosition()).toBe(5n);
    // The stream index is back, and it still refuses a second event at a revision.
    await expect(store.append('a', [appendable(9)], 0n)).rejects.toThrow('Stream a expected revision 0 but is at revision 1');
  });

  it('refuses a store that holds events, and writes nothing', async () => {
    await store.append('a', [appendable(1)], 'no_stream');
    const error = await store.importLog(batches([prepared('b', 0, 2)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogNotEmptyError);
    expect((error as LogNotEmptyError).message).toBe('The event store already holds events (its last is at position 1); a log is only imported into an empty one');
    expect((await store.readAll()).map((e) => e.streamName)).toStrictEqual(['a']);
  });

  it.each([
    ['a revision skipped', [prepared('a', 0, 1), prepared('a', 2, 2)], 'Stream a has 2 events at revisions 0 to 2; its revisions must run 0, 1, 2, … without a gap; nothing was imported'],
    ['a stream that does not start at 0', [prepared('a', 1, 1)], 'Stream a has 1 events at revisions 1 to 1; its revisions must run 0, 1, 2, … without a gap; nothing was imported'],
    ['a revision twice', [prepared('a', 0, 1), prepared('a', 0, 2)], 'A stream has two events at one revision; nothing was imported'],
    ['revisions out of log order', [prepared('a', 1, 1), prepared('a', 0, 2)], 'Stream a has revision 1 before revision 0 in the log; nothing was imported'],
    ['metadata that is not an object', [{ ...prepared('a', 0, 1), metadata: '[]' }], "Event 00000000-0000-8000-8000-000000000001's metadata is not a JSON object; nothing was imported"],
  ])('refuses %s and leaves the store empty', async (_, log, message) => {
    const error = await store.importLog(batches(log)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect((error as Error).message).toBe(message);
    expect(await store.headPosition()).toBe(-1n);
    expect(await store.readAll()).toStrictEqual([]);
    // The store is usable afterwards, with its stream index.
    await store.append('z', [appendable(7)], 'no_stream');
    await expect(store.append('z', [appendable(8)], 'no_stream')).rejects.toThrow('Stream z expected no_stream but is at revision 0');
  });

  it('rolls everything back when the batches fail midway', async () => {
    async function* failing(): AsyncGenerator<PreparedEvent[]> {
      yield [prepared('a', 0, 1)];
      throw new Error('the generator broke');
    }
    await expect(store.importLog(failing())).rejects.toThrow('the generator broke');
    expect(await store.readAll()).toStrictEqual([]);
  });

  it('shows readers the empty log until it commits, and writes appends asked for meanwhile after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<PreparedEvent[]> {
      yield [prepared('a', 0, 1)];
      await gate;
      yield [prepared('a', 1, 2)];
    }
    const importing = store.importLog(slow());
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.headPosition()).toBe(-1n);
    expect(await store.readAll()).toStrictEqual([]);
    expect(await store.readStream('a')).toStrictEqual([]);
    let appended = false;
    const append = store.append('later', [appendable(3)], 'no_stream').then((r) => ((appended = true), r));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(appended).toBe(false);
    release();
    await importing;
    expect(await append).toStrictEqual({ nextExpectedRevision: 0n, position: 3n });
    expect((await store.readAll()).map((e) => `${e.streamName}@${e.revision}`)).toStrictEqual(['a@0', 'a@1', 'later@0']);
  });

  it('imports into a file made before the named stream index, keeping the table constraint it has', async () => {
    await store.close();
    const file = join(dir, 'old.db');
    const db = new Database(file);
    db.exec(
      'CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_name, revision))',
    );
    db.close();
    store = open('old.db');
    expect(await store.importLog(batches([prepared('a', 0, 1), prepared('a', 1, 2)]))).toStrictEqual({ events: 2, streams: 1 });
    const indexes = (name: string) => {
      const file = new Database(join(dir, name), { readonly: true });
      try {
        return file.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all();
      } finally {
        file.close();
      }
    };
    expect(indexes('old.db')).toStrictEqual(['sqlite_autoindex_events_1']);
    expect(indexes('events.db')).toStrictEqual(['events_stream_revision']);
  });
});
