import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventToAppend, WrongExpectedRevisionError } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

const event = (n: number): EventToAppend => ({
  id: randomUUID(),
  type: 'Counted',
  data: { n },
  metadata: { commandId: `cmd-${n}`, correlationId: 'c', causationId: 'c', actor: { id: 'rep-1', role: 'rep' }, occurredAt: '2026-01-05T08:00:00.000Z', schemaVersion: 1 },
});

describe('SqliteEventStore: group commit', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'es-group-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes appends that arrive together in one commit, each answered with its own position', async () => {
    const flush = jest.spyOn(store as unknown as { flush: () => void }, 'flush');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`count-${i}`, [event(i)], 'no_stream')));
    expect(flush).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.position)).toStrictEqual(Array.from({ length: 50 }, (_, i) => BigInt(i + 1)));
    expect(results.every((r) => r.nextExpectedRevision === 0n)).toBe(true);
  });

  it('flushes a lone writer, and writers that come back together, at once; after a large group waits a moment for more', async () => {
    const timeout = jest.spyOn(global, 'setTimeout');
    const waits = () => timeout.mock.calls.filter(([, ms]) => ms === 1).length;
    try {
      await store.append('lone', [event(0)], 'no_stream');
      await store.append('lone', [event(1)], 0n);
      expect(waits()).toBe(0);
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(`crowd-${i}`, [event(10 + i)], 'no_stream')));
      // The same eight again, all at once: as many as last time, flushed at once.
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(`crowd-${i}`, [event(20 + i)], 0n)));
      expect(waits()).toBe(0);
      // One alone after a group of eight waits (1 ms at a time, 2 ms at most) for others to join it.
      const started = performance.now();
      await store.append('after-crowd', [event(30)], 'no_stream');
      expect(waits()).toBeGreaterThanOrEqual(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1);
      // The group after it was one append: the next flush is at once again.
      const before = waits();
      await store.append('lone', [event(31)], 1n);
      expect(waits()).toBe(before);
    } finally {
      timeout.mockRestore();
    }
  });

  it('a conflict in one append of a group rolls back that one only; appends to one stream apply in order', async () => {
    await store.append('count-a', [event(0)], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('count-a', [event(1)], 0n),
      store.append('count-b', [event(2)], 'no_stream'),
      // Read revision 0 too, so it conflicts with the first of the group.
      store.append('count-a', [event(3)], 0n),
      store.append('count-a', [event(4)], 1n),
      store.appendMany([
        { streamName: 'count-c', events: [event(5)], expected: 'no_stream' },
        { streamName: 'count-b', events: [event(6)], expected: 5n },
      ]),
    ]);
    expect(outcomes.map((o) => o.status)).toStrictEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    // The multi-stream append is all or nothing: count-c was not written either.
    expect((outcomes[4] as PromiseRejectedResult).reason).toStrictEqual(new WrongExpectedRevisionError('count-b', 5n, 0n));
    expect((await store.readStream('count-a')).map((e) => e.data.n)).toStrictEqual([0, 1, 4]);
    expect((await store.readStream('count-b')).map((e) => e.data.n)).toStrictEqual([2]);
    expect(await store.readStream('count-c')).toStrictEqual([]);
    expect((await store.readAll()).map((e) => e.position)).toStrictEqual([1n, 2n, 3n, 4n]);
  });

  it('wakes a subscription once a group is committed, with every event of it', async () => {
    const subscription = store.subscribeToAll();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const recorded of subscription) {
        seen.push(recorded.data.n as number);
        if (seen.length === 3) break;
      }
    })();
    await Promise.all([store.append('count-x', [event(7)], 'no_stream'), store.append('count-y', [event(8), event(9)], 'no_stream')]);
    await reading;
    expect(seen).toStrictEqual([7, 8, 9]);
  });

  it('writes and answers appends still waiting when it is closed', async () => {
    const pending = store.append('count-late', [event(10)], 'no_stream');
    await store.close();
    expect((await pending).position).toBe(1n);
    const reopened = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
    expect((await reopened.readStream('count-late')).map((e) => e.data.n)).toStrictEqual([10]);
    await reopened.close();
    await expect(store.append('count-late', [event(11)], 0n)).rejects.toThrow('The event store is closed');
  });

  it('lets timers run while a subscription catches up with a long log, however fast each read answers', async () => {
    await store.appendMany(Array.from({ length: 40 }, (_, s) => ({ streamName: `count-long-${s}`, events: Array.from({ length: 100 }, (_, i) => event(s * 100 + i)), expected: 'no_stream' as const })));
    let timerRanAt: number | undefined;
    setTimeout(() => (timerRanAt = seen), 0);
    let seen = 0;
    const subscription = store.subscribeToAll();
    for await (const recorded of subscription) {
      seen += 1;
      // Work per event, as a projection's, so the whole catch-up takes far longer than a turn of the event loop.
      const until = performance.now() + 0.05;
      while (performance.now() < until);
      if (recorded.position === 4_000n) break;
    }
    expect(seen).toBe(4_000);
    expect(timerRanAt).toBeDefined();
    expect(timerRanAt!).toBeLessThan(4_000);
  });
});

describe('SqliteEventStore: reading many streams at once', () => {
  it('answers one list per name in the order asked, each as readStream gives it, up to maxCount events each', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      await store.append('s-a', [event(1), event(2), event(3)], 'no_stream');
      await store.append('s-b', [event(4)], 'no_stream');
      await store.append('s-a', [event(5)], 2n);
      const names = ['s-b', 'missing', 's-a', 's-b'];
      expect(await store.readStreams(names)).toStrictEqual(await Promise.all(names.map((name) => store.readStream(name))));
      expect(await store.readStreams(names, { maxCount: 2 })).toStrictEqual(await Promise.all(names.map((name) => store.readStream(name, { maxCount: 2 }))));
      expect((await store.readStreams(['s-a'], { maxCount: 1 }))[0]!.map((e) => e.data)).toStrictEqual([{ n: 1 }]);
      expect(await store.readStreams([])).toStrictEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteEventStore: the revisions it knows without reading', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'es-known-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows what it wrote or read whole, and nothing else', async () => {
    expect(store.knownRevision('k-a')).toBeUndefined();
    await store.append('k-a', [event(1), event(2)], 'no_stream');
    expect(store.knownRevision('k-a')).toBe(1n);
    expect(await store.readStream('k-none')).toStrictEqual([]);
    expect(store.knownRevision('k-none')).toBe(-1n);
    // Partial reads say nothing about where a stream ends.
    await store.append('k-b', [event(3), event(4)], 'no_stream');
    (store as unknown as { known: Map<string, bigint> }).known.delete('k-b');
    await store.readStream('k-b', { maxCount: 1 });
    await store.readStream('k-b', { direction: 'backwards' });
    expect(store.knownRevision('k-b')).toBeUndefined();
    await store.readStream('k-b', { fromRevision: 1n });
    expect(store.knownRevision('k-b')).toBe(1n);
  });

  it('does not keep a revision whose append was rolled back', async () => {
    await store.append('k-a', [event(1)], 'no_stream');
    await expect(
      store.appendMany([
        { streamName: 'k-a', events: [event(2)], expected: 0n },
        { streamName: 'k-c', events: [event(3)], expected: 5n },
      ]),
    ).rejects.toThrow(WrongExpectedRevisionError);
    expect(store.knownRevision('k-a')).toBe(0n);
    expect(store.knownRevision('k-c')).toBeUndefined();
  });

  it('forgets everything once another writer has committed', async () => {
    await store.append('k-a', [event(1)], 'no_stream');
    await store.append('k-b', [event(2)], 'no_stream');
    const other = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
    try {
      await other.append('k-a', [event(3)], 0n);
    } finally {
      await other.close();
    }
    expect(store.knownRevision('k-a')).toBeUndefined();
    expect(store.knownRevision('k-b')).toBeUndefined();
    expect((await store.readStream('k-a')).map((e) => e.revision)).toStrictEqual([0n, 1n]);
    expect(store.knownRevision('k-a')).toBe(1n);
  });
});
