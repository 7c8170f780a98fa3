import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventToAppend, SqliteEventStore } from '#event-store';
import type { Projection } from './projection';
import { ProjectionRebuilder, type RebuildProgress } from './projection-rebuilder';
import { ProjectionRunner } from './projection-runner';
import { EVENT_PARKED, PARKING_STREAM, readParked } from './parked-events';
import type { Doc, Target } from './read-store.port';
import { SqliteReadStore } from './sqlite/sqlite-read-store';
import { FixedClock } from '#shared-kernel';

interface Tally extends Doc {
  readonly total: number;
  readonly count: number;
}

/** Sums `amount` per `account`, and throws on an event marked poison while `poisonArmed` says so. */
const tallyProjection = (name: string, poison: { armed: boolean } = { armed: false }): Projection<Tally> => ({
  name,
  version: 1,
  description: 'Sums amounts per account',
  eventTypes: ['Paid', 'Poison'],
  collections: [{ name: 'tallies', indexes: [{ name: 'by_total', fields: [['total', -1]] }] }],
  touches: (event) => (event.type === 'Paid' || event.type === 'Poison' ? [{ collection: 'tallies', id: String(event.data.account) }] : []),
  evolve: (current, event, ref) => {
    if (event.type === 'Poison' && poison.armed) throw new Error('cannot handle this event');
    const amount = event.type === 'Paid' ? Number(event.data.amount) : 0;
    return { id: ref.id, total: (current?.total ?? 0) + amount, count: (current?.count ?? 0) + 1 };
  },
});

const paid = (n: number, account: string, amount: number, type = 'Paid'): EventToAppend => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type,
  data: { account, amount },
  metadata: {
    commandId: `c${n}`,
    correlationId: `c${n}`,
    causationId: `c${n}`,
    actor: { id: 'system', role: 'admin' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
});

const parking = (eventId: string, projection: string, position: string): EventToAppend => ({
  id: `00000000-0000-4000-9000-${eventId.slice(-12)}`,
  type: EVENT_PARKED,
  data: { projection, eventId, position, eventType: 'Poison', streamName: 'account-a', reason: 'written before such data was refused' },
  metadata: { commandId: 'park', correlationId: 'park', causationId: 'park', actor: { id: 'admin-1', role: 'admin' }, occurredAt: '2026-01-02T00:00:00.000Z', schemaVersion: 1 },
});

describe('ProjectionRunner and ProjectionRebuilder', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner | undefined;
  let counter = 0;
  const append = async (account: string, amount: number, type = 'Paid') => {
    counter += 1;
    return events.append(`account-${account}`, [paid(counter, account, amount, type)], 'any');
  };
  const liveTarget = async (name: string): Promise<Target> => ({ projection: name, generation: (await store.registration(name))!.liveGeneration });
  const tallies = async (name: string) =>
    Object.fromEntries((await store.find<Tally>(await liveTarget(name), 'tallies')).map((t) => [t.id, [t.total, t.count]]));

  beforeEach(() => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    counter = 0;
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await events.close();
    await store.close();
  });

  it('catches up on the existing log, then follows appends live, committing the checkpoint with the documents', async () => {
    for (let i = 0; i < 25; i += 1) await append(i % 2 === 0 ? 'a' : 'b', 10);
    runner = new ProjectionRunner(events, store, [tallyProjection('tally')], { batchSize: 7 });
    await runner.start();
    expect(await runner.waitFor(await events.headPosition())).toBe(true);
    expect(await tallies('tally')).toEqual({ a: [130, 13], b: [120, 12] });
    const last = await append('c', 5);
    expect(await runner.waitFor(last.position!)).toBe(true);
    expect(await tallies('tally')).toEqual({ a: [130, 13], b: [120, 12], c: [5, 1] });
    expect((await store.checkpoint(await liveTarget('tally'))).position).toBe(last.position);
    expect(runner.snapshot()[0]).toMatchObject({ name: 'tally', state: 'live', checkpoint: last.position, failure: null });
  });

  it('never counts twice when restarted from a checkpoint older than its documents', async () => {
    for (let i = 0; i < 10; i += 1) await append('a', 1);
    runner = new ProjectionRunner(events, store, [tallyProjection('tally')], { batchSize: 3 });
    await runner.start();
    await runner.waitFor(await events.headPosition());
    await runner.stop();
    // Simulate a crash between document writes and checkpoint: put the checkpoint back.
    const target = await liveTarget('tally');
    (store as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): void } } }).db
      .prepare('UPDATE rm_checkpoints SET position = ? WHERE projection = ?')
      .run('-1', 'tally');
    expect((await store.checkpoint(target)).position).toBe(-1n);
    runner = new ProjectionRunner(events, store, [tallyProjection('tally')], { batchSize: 4 });
    await runner.start();
    await runner.waitFor(await events.headPosition());
    expect(await tallies('tally')).toEqual({ a: [10, 10] });
  });

  it('stops a projection at a throwing event with the error and position visible, keeps the others going, and resumes', async () => {
    const poison = { armed: true };
    await append('a', 1);
    await append('a', 2);
    const bad = await append('a', 0, 'Poison');
    await append('a', 4);
    runner = new ProjectionRunner(events, store, [tallyProjection('fragile', poison), tallyProjection('sturdy')], { batchSize: 100 });
    await runner.start();
    await runner.waitFor(await events.headPosition(), 300);
    const [fragile, sturdy] = runner.snapshot();
    expect(fragile).toMatchObject({ state: 'failed', checkpoint: bad.position! - 1n });
    expect(fragile!.failure).toMatchObject({ position: bad.position!.toString(), eventType: 'Poison', streamName: 'account-a', message: 'cannot handle this event' });
    expect((await store.checkpoint(await liveTarget('fragile'))).failure).toMatchObject({ eventType: 'Poison' });
    expect(await tallies('fragile')).toEqual({ a: [3, 2] });
    expect(await tallies('sturdy')).toEqual({ a: [7, 4] });
    expect(sturdy!.state).toBe('live');

    poison.armed = false;
    expect(runner.resume('fragile')).toBe(true);
    expect(await runner.waitFor(await events.headPosition())).toBe(true);
    expect(await tallies('fragile')).toEqual({ a: [7, 4] });
    expect((await store.checkpoint(await liveTarget('fragile'))).failure).toBeNull();
  });

  it('passes over an event parked for one projection once resumed, and a rebuild passes over it too', async () => {
    const poison = { armed: true };
    await append('a', 1);
    const bad = await append('a', 0, 'Poison');
    await append('a', 4);
    runner = new ProjectionRunner(events, store, [tallyProjection('fragile', poison), tallyProjection('sturdy')], { batchSize: 100 });
    await runner.start();
    await runner.waitFor(await events.headPosition(), 300);
    const failure = runner.snapshot()[0]!.failure!;
    expect(failure.position).toBe(bad.position!.toString());
    // The operator's decision, as an event: the poison stays in the log, and only `fragile` passes over it.
    await events.append(PARKING_STREAM, [parking(failure.eventId, 'fragile', failure.position)], 'any');
    expect([...((await readParked(events)).get('fragile')?.keys() ?? [])]).toStrictEqual([failure.eventId]);
    expect(runner.resume('fragile')).toBe(true);
    expect(await runner.waitFor(await events.headPosition())).toBe(true);
    expect(runner.snapshot().map((s) => [s.name, s.state, s.failure])).toStrictEqual([
      ['fragile', 'live', null],
      ['sturdy', 'live', null],
    ]);
    // Parked: neither the amount nor the count of the poison event; the sturdy projection counted it.
    expect(await tallies('fragile')).toStrictEqual({ a: [5, 2] });
    expect(await tallies('sturdy')).toStrictEqual({ a: [5, 3] });
    await new ProjectionRebuilder(events, store).rebuild(tallyProjection('fragile', poison));
    expect(await tallies('fragile')).toStrictEqual({ a: [5, 2] });
  });

  it('rebuilds into a shadow while the live copy keeps answering, swaps, and the rebuilt copy equals the live one', async () => {
    for (let i = 0; i < 40; i += 1) await append(`k${i % 5}`, i);
    const projection = tallyProjection('tally');
    runner = new ProjectionRunner(events, store, [projection], { batchSize: 10 });
    await runner.start();
    await runner.waitFor(await events.headPosition());
    const before = await tallies('tally');
    const oldGeneration = (await liveTarget('tally')).generation;
    const progress: RebuildProgress[] = [];
    const rebuilder = new ProjectionRebuilder(events, store);
    const result = await rebuilder.rebuild(projection, { batchSize: 6, progressEveryMs: 0, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ projection: 'tally', replacedGeneration: oldGeneration, events: 40 });
    expect((await liveTarget('tally')).generation).toBe(result.generation);
    expect(await tallies('tally')).toEqual(before);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.position)).toEqual([...progress.map((p) => p.position)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(progress[progress.length - 1]).toMatchObject({ fraction: 1, etaSeconds: 0 });

    // The live runner moves to the new generation and keeps following.
    const next = await append('k1', 1000);
    expect(await runner.waitFor(next.position!)).toBe(true);
    expect((await tallies('tally')).k1).toEqual([(before.k1 as number[])[0]! + 1000, 9]);
    expect(runner.snapshot()[0]!.generation).toBe(result.generation);
  });

  it('builds the same documents in memory, through the store, and in memory until past its budget', async () => {
    for (let i = 0; i < 300; i += 1) await append(`k${i % 40}`, i);
    const projection = tallyProjection('tally');
    const rebuilder = new ProjectionRebuilder(events, store);
    const built = async (memoryBudgetMb: number) => {
      const result = await rebuilder.rebuild(projection, { batchSize: 25, memoryBudgetMb });
      expect(result).toMatchObject({ events: 300, checkpoint: await events.headPosition() });
      const target = { projection: 'tally', generation: result.generation };
      return { docs: await store.find<Tally>(target, 'tallies', {}, { sort: [['total', -1]], hint: 'by_total' }), checkpoint: (await store.checkpoint(target)).position };
    };
    const inMemory = await built(64);
    // 1 KB of budget: written out after the first batch, then a batch at a time through the store.
    const pastBudget = await built(12 / 1024);
    const throughStore = await built(0);
    expect(inMemory.docs).toHaveLength(40);
    expect(inMemory.docs[0]).toStrictEqual({ id: 'k19', total: [...Array(300).keys()].filter((i) => i % 40 === 19).reduce((a, b) => a + b, 0), count: 8 });
    expect(pastBudget).toStrictEqual(inMemory);
    expect(throughStore).toStrictEqual(inMemory);
  });

  it('lets go of derived documents once written when past its budget, and still writes each one right', async () => {
    for (let i = 0; i < 300; i += 1) await append(`k${i % 40}`, i);
    // Each tally derives one history document per count it has reached: derived documents pile up, tallies do not.
    const projection: Projection<Tally> = {
      ...tallyProjection('history'),
      collections: [
        { name: 'tallies', indexes: [] },
        { name: 'history', indexes: [], derived: true },
      ],
      derive: (doc) =>
        Array.from({ length: doc.count }, (_, k) => ({ collection: 'history', doc: { id: `${doc.id}:${String(k + 1).padStart(2, '0')}`, total: doc.total, count: k + 1 } })),
    };
    const rebuilder = new ProjectionRebuilder(events, store);
    const commits = jest.spyOn(store, 'commit');
    const built = async (memoryBudgetMb: number) => {
      commits.mockClear();
      // Documents left unsettled settle (and derive) ten at a time, so the derived ones pile up as the log is read.
      const result = await rebuilder.rebuild(projection, { batchSize: 25, memoryBudgetMb, selectionChunk: 10 });
      const target = { projection: 'history', generation: result.generation };
      return { tallies: await store.find(target, 'tallies'), history: await store.find(target, 'history'), commits: commits.mock.calls.length };
    };
    const throughStore = await built(0);
    // About 12 KB: over it every few batches with the history, well under it with the 40 tallies alone.
    const pastBudget = await built(12 / 1024);
    expect(throughStore.history).toHaveLength(300);
    // Each history document carries its tally's latest total (0 + 40 + … + 280 for k0).
    expect(throughStore.history[0]).toStrictEqual({ id: 'k0:01', total: 1120, count: 1 });
    expect(throughStore.history.find((doc) => doc.id === 'k0:08')).toStrictEqual({ id: 'k0:08', total: 1120, count: 8 });
    expect(pastBudget.tallies).toStrictEqual(throughStore.tallies);
    expect(pastBudget.history).toStrictEqual(throughStore.history);
    // Written out a few times, not once per batch of 25 events as through the store.
    expect(throughStore.commits).toBeGreaterThanOrEqual(12);
    expect(pastBudget.commits).toBeLessThan(throughStore.commits / 2);
    expect(pastBudget.commits).toBeGreaterThan(1);
  });

  it('applies an event that selects many deriving documents a chunk at a time, writing what they derive as it goes', async () => {
    for (let i = 0; i < 40; i += 1) await append(`k${i}`, i);
    await append('all', 0, 'Audit');
    // An audit counts on every tally (selected by filter); each tally derives its mirror in `history`.
    const base = tallyProjection('audited');
    const projection: Projection<Tally> = {
      ...base,
      eventTypes: ['Paid', 'Audit'],
      collections: [
        { name: 'tallies', indexes: [] },
        { name: 'history', indexes: [], derived: true },
      ],
      touches: (event) => (event.type === 'Audit' ? [{ collection: 'tallies', where: {} }] : base.touches(event)),
      evolve: (current, event, ref, context) => (event.type === 'Audit' ? { ...current!, count: current!.count + 1 } : base.evolve(current, event, ref, context)),
      derive: (doc) => [{ collection: 'history', doc: { ...doc } }],
    };
    const rebuilder = new ProjectionRebuilder(events, store);
    const commits = jest.spyOn(store, 'commit');
    const built = async (options: Parameters<ProjectionRebuilder['rebuild']>[1]) => {
      commits.mockClear();
      const result = await rebuilder.rebuild(projection, options);
      const target = { projection: 'audited', generation: result.generation };
      // How many of the audit's derived documents each commit wrote.
      const audited = commits.mock.calls.map(([, writes]) => writes.filter((write) => write.collection === 'history' && (write.doc as Tally).count === 2).length);
      return { tallies: await store.find(target, 'tallies'), history: await store.find(target, 'history'), audited: audited.filter((n) => n > 0) };
    };
    const throughStore = await built({ memoryBudgetMb: 0 });
    const wholeInMemory = await built({ memoryBudgetMb: 64 });
    const inPieces = await built({ memoryBudgetMb: 64, derivedInMemory: 10, selectionChunk: 7 });
    expect(throughStore.history).toHaveLength(40);
    expect(throughStore.history[0]).toStrictEqual({ id: 'k0', total: 0, count: 2 });
    expect(wholeInMemory.tallies).toStrictEqual(throughStore.tallies);
    expect(wholeInMemory.history).toStrictEqual(throughStore.history);
    expect(inPieces.tallies).toStrictEqual(throughStore.tallies);
    expect(inPieces.history).toStrictEqual(throughStore.history);
    // Held whole, the audit's 40 go out in one write; in pieces, two chunks of 7 at most at a time.
    expect(wholeInMemory.audited).toStrictEqual([40]);
    expect(inPieces.audited).toStrictEqual([14, 14, 12]);
  });

  it.each([
    ['in memory', 64],
    ['through the store', 0],
  ])('stops a rebuild %s at an event its projection cannot apply, naming it, and leaves the live copy', async (_path, memoryBudgetMb) => {
    await append('a', 5);
    const bad = await append('a', 1, 'Poison');
    await append('a', 7);
    const poison = { armed: false };
    runner = new ProjectionRunner(events, store, [tallyProjection('fragile', poison)]);
    await runner.start();
    await runner.waitFor(await events.headPosition());
    await runner.stop();
    const live = (await store.registration('fragile'))!.liveGeneration;
    poison.armed = true;
    await expect(new ProjectionRebuilder(events, store).rebuild(tallyProjection('fragile', poison), { memoryBudgetMb })).rejects.toThrow(
      `fragile failed at position ${bad.position} (Poison in account-a): cannot handle this event`,
    );
    expect((await store.registration('fragile'))!.liveGeneration).toBe(live);
    expect(await tallies('fragile')).toStrictEqual({ a: [12, 3] });
    // The half-built generation is gone.
    await expect(store.checkpoint({ projection: 'fragile', generation: live + 1 })).rejects.toThrow('does not exist');
  });

  it('drops the generations interrupted rebuilds left behind, and only those', async () => {
    const clock = new FixedClock(new Date('2026-03-01T00:00:00.000Z'));
    const stamped = new SqliteReadStore({ filename: ':memory:', clock });
    const projection = tallyProjection('tally');
    const prepare = (live: boolean) => stamped.prepareGeneration('tally', 1, projection.collections, live);
    const live = await prepare(true);
    const abandoned = await prepare(false);
    await stamped.commit({ projection: 'tally', generation: abandoned }, [], -1n, null);
    const neverStamped = await prepare(false);
    clock.set(new Date('2026-03-01T00:45:00.000Z'));
    const running = await prepare(false);
    await stamped.commit({ projection: 'tally', generation: running }, [], -1n, null);
    const rebuilder = new ProjectionRebuilder(events, stamped, () => new Date('2026-03-01T01:00:00.000Z'));
    expect(await rebuilder.dropAbandoned([projection])).toStrictEqual([
      { projection: 'tally', generation: abandoned },
      { projection: 'tally', generation: neverStamped },
    ]);
    await expect(stamped.checkpoint({ projection: 'tally', generation: abandoned })).rejects.toThrow('does not exist');
    // The live generation and the one stamped 15 minutes ago stay.
    expect((await stamped.checkpoint({ projection: 'tally', generation: live })).position).toBe(-1n);
    expect((await stamped.checkpoint({ projection: 'tally', generation: running })).updatedAt).toBe('2026-03-01T00:45:00.000Z');
    expect(await rebuilder.dropAbandoned([projection])).toStrictEqual([]);
    await stamped.close();
  });

  it('stamps a generation when it prepares it, so a rebuild that just began is never taken as abandoned', async () => {
    for (let i = 0; i < 5; i += 1) await append(`k${i}`, i);
    const rebuilder = new ProjectionRebuilder(events, store);
    const result = await rebuilder.rebuild(tallyProjection('tally'));
    expect((await store.checkpoint({ projection: 'tally', generation: result.generation })).updatedAt).not.toBeNull();
    expect(await rebuilder.dropAbandoned([tallyProjection('tally')])).toStrictEqual([]);
  });

  it('verifies a live read model against a scratch rebuild and lists each difference', async () => {
    for (let i = 0; i < 12; i += 1) await append(`k${i % 3}`, 5);
    const projection = tallyProjection('tally');
    runner = new ProjectionRunner(events, store, [projection]);
    await runner.start();
    await runner.waitFor(await events.headPosition());
    const rebuilder = new ProjectionRebuilder(events, store);
    expect(await rebuilder.verify(projection)).toMatchObject({ documents: 3, differences: [], truncated: false });

    const target = await liveTarget('tally');
    const checkpoint = (await store.checkpoint(target)).position;
    await store.commit(
      target,
      [
        { collection: 'tallies', doc: { id: 'k0', total: 999, count: 4 } as Tally, position: checkpoint + 1n },
        { collection: 'tallies', doc: { id: 'zz', total: 1, count: 1 } as Tally, position: checkpoint + 1n },
      ],
      checkpoint,
      null,
    );
    const result = await rebuilder.verify(projection);
    expect(result.differences).toEqual([
      { collection: 'tallies', id: 'k0', kind: 'different', fields: ['total'] },
      { collection: 'tallies', id: 'zz', kind: 'missing_in_rebuilt' },
    ]);
    expect((await store.registrations())[0]!.lastGeneration).toBeGreaterThan(target.generation);
  });

  it('lets one of two runners write a projection at a time; the other stands by and takes over when the first stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lease-'));
    const first = new SqliteReadStore({ filename: join(dir, 'read-models.db') });
    const second = new SqliteReadStore({ filename: join(dir, 'read-models.db') });
    const writesBy = (spied: jest.SpyInstance) => spied.mock.calls.filter(([, writes]) => (writes as unknown[]).length > 0).length;
    const byFirst = jest.spyOn(first, 'commit');
    const bySecond = jest.spyOn(second, 'commit');
    const a = new ProjectionRunner(events, first, [tallyProjection('tally')], { leaseOwner: 'a', leaseTtlMs: 300 });
    const b = new ProjectionRunner(events, second, [tallyProjection('tally')], { leaseOwner: 'b', leaseTtlMs: 300 });
    try {
      for (let i = 0; i < 10; i += 1) await append('a', 1);
      await a.start();
      expect(await a.waitFor(await events.headPosition())).toBe(true);
      await b.start();
      while (b.snapshot()[0]!.state === 'starting') await new Promise((resolve) => setTimeout(resolve, 5));
      expect(b.snapshot()[0]).toMatchObject({ name: 'tally', state: 'external' });
      for (let i = 0; i < 5; i += 1) await append('a', 1);
      expect(await a.waitFor(await events.headPosition())).toBe(true);
      // Several lease periods pass: the first keeps renewing, the second never writes.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(b.snapshot()[0]!.state).toBe('external');
      expect(writesBy(byFirst)).toBeGreaterThan(0);
      expect(writesBy(bySecond)).toBe(0);
      await a.stop();
      for (let i = 0; i < 3; i += 1) await append('a', 1);
      const head = await events.headPosition();
      // Given up at the stop: the second takes it on its next renewal (every 100 ms) and goes on from the checkpoint.
      const deadline = performance.now() + 5_000;
      while (!(b.snapshot()[0]!.state === 'live' && b.snapshot()[0]!.checkpoint === head) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(b.snapshot()[0]).toMatchObject({ state: 'live', checkpoint: head });
      expect(writesBy(bySecond)).toBeGreaterThan(0);
      const target = { projection: 'tally', generation: (await second.registration('tally'))!.liveGeneration };
      expect((await second.find<Tally>(target, 'tallies')).map((t) => [t.id, t.total, t.count])).toStrictEqual([['a', 18, 18]]);
    } finally {
      await a.stop();
      await b.stop();
      await first.close();
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores events it does not handle but still moves its checkpoint to the head', async () => {
    await append('a', 1);
    await events.append('other-1', [{ ...paid(99, 'x', 1), type: 'Unrelated' }], 'any');
    runner = new ProjectionRunner(events, store, [tallyProjection('tally')]);
    await runner.start();
    const head = await events.headPosition();
    expect(await runner.waitFor(head)).toBe(true);
    expect((await store.checkpoint(await liveTarget('tally'))).position).toBe(head);
  });
});

