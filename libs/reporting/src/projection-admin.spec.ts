import { SqliteEventStore } from '#event-store';
import { type Doc, type Projection, ProjectionRunner, SqliteReadStore } from '#read-store';
import { ProjectionAdmin } from './projection-admin';
import { JOB_FINISHED, JOB_INTERRUPTED, JOB_STARTED, JOBS_STREAM, JobLog } from './job-log';
import type { CommandContext } from '#shared-kernel';

interface Tally extends Doc {
  readonly total: number;
}

/** Version 1 sums amounts per account; version 2 also keeps one document per amount in a collection v1 never had. */
const tally = (version: 1 | 2): Projection<Tally> => ({
  name: 'tally',
  version,
  description: 'Sums amounts per account',
  eventTypes: ['Paid'],
  collections: version === 1 ? [{ name: 'tallies', indexes: [] }] : [{ name: 'tallies', indexes: [] }, { name: 'amounts', indexes: [{ name: 'by_total', fields: [['total', 1]] }] }],
  touches: (event) => [
    { collection: 'tallies', id: String(event.data.account) },
    ...(version === 2 ? [{ collection: 'amounts', id: String(event.data.amount) }] : []),
  ],
  evolve: (current, event, ref) => ({ id: ref.id, total: (current?.total ?? 0) + Number(event.data.amount) }),
});

const paid = (n: number, account: string, amount: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: 'Paid',
  data: { account, amount },
  metadata: { commandId: `c${n}`, correlationId: `c${n}`, causationId: `c${n}`, actor: { id: 'system', role: 'admin' as const }, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
});

describe('ProjectionAdmin.rebuildOutdated', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;

  beforeEach(async () => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    for (let n = 1; n <= 6; n += 1) await events.append(`account-${n % 2}`, [paid(n, n % 2 === 0 ? 'even' : 'odd', n)], 'any');
  });
  afterEach(async () => {
    await events.close();
    await store.close();
  });

  const runTo = async (projection: Projection) => {
    const runner = new ProjectionRunner(events, store, [projection]);
    await runner.start();
    expect(await runner.waitFor(await events.headPosition())).toBe(true);
    await runner.stop();
  };

  it('rebuilds a read model an older version built, with the new collections, and logs why and how far', async () => {
    await runTo(tally(1));
    const before = (await store.registration('tally'))!;
    const log: string[] = [];
    const results = await new ProjectionAdmin(events, store, [tally(2)], undefined).rebuildOutdated((message) => log.push(message));
    const after = (await store.registration('tally'))!;
    expect(results.map((r) => [r.projection, r.events, r.replacedGeneration])).toStrictEqual([['tally', 6, before.liveGeneration]]);
    expect([after.liveVersion, after.liveGeneration > before.liveGeneration]).toStrictEqual([2, true]);
    const target = { projection: 'tally', generation: after.liveGeneration };
    expect((await store.find<Tally>(target, 'amounts', { total: { $gte: 5 } })).map((doc) => doc.id)).toStrictEqual(['5', '6']);
    expect((await store.find<Tally>(target, 'tallies')).map((doc) => [doc.id, doc.total])).toStrictEqual([['even', 12], ['odd', 9]]);
    expect(log[0]).toBe('tally: the live read model was built by version 1, the code is version 2: rebuilding it');
    expect(log[log.length - 1]).toMatch(/^tally: rebuilt from 6 events in \d+ ms$/);
    // The old generation is gone, and a second start has nothing to do.
    await expect(store.checkpoint({ projection: 'tally', generation: before.liveGeneration })).rejects.toThrow('does not exist');
    expect(await new ProjectionAdmin(events, store, [tally(2)], undefined).rebuildOutdated()).toStrictEqual([]);
  });

  it('builds in memory a read model never built when the log holds 10,000 events or more, equal to one built following the log', async () => {
    // 6 events from beforeEach, then 9,994 more: the log's last position is 10,000.
    for (let from = 7; from <= 10_000; from += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, 10_001 - from) }, (_, i) => paid(from + i, (from + i) % 2 === 0 ? 'even' : 'odd', 1));
      await events.append('account-bulk', batch, 'any');
    }
    expect(await events.headPosition()).toBe(10_000n);
    const log: string[] = [];
    const results = await new ProjectionAdmin(events, store, [tally(2)], undefined).rebuildOutdated((message) => log.push(message));
    expect(results.map((r) => [r.projection, r.events])).toStrictEqual([['tally', 10_000]]);
    expect(log[0]).toBe('tally: not built yet; building it in memory from the log (up to position 10,000) before following it');
    // Progress as it went, each step once: the forced report ending a phase does not repeat the line before it.
    const steps = log.filter((line) => / %/.test(line)).map((line) => line.replace(/ \(.*\)$/, ''));
    expect(steps.slice(-2)).toStrictEqual(['tally: building, 100 %', 'tally: catching_up, 100 %']);
    expect(steps.filter((step, i) => step === steps[i - 1])).toStrictEqual([]);
    const built = (await store.registration('tally'))!;
    const inMemory = await store.find<Tally>({ projection: 'tally', generation: built.liveGeneration }, 'tallies');
    // The same projection, built by following the log into another store.
    const followed = new SqliteReadStore({ filename: ':memory:' });
    const runner = new ProjectionRunner(events, followed, [tally(2)]);
    await runner.start();
    expect(await runner.waitFor(10_000n)).toBe(true);
    await runner.stop();
    const live = (await followed.registration('tally'))!;
    expect(inMemory).toStrictEqual(await followed.find<Tally>({ projection: 'tally', generation: live.liveGeneration }, 'tallies'));
    expect(inMemory.map((doc) => [doc.id, doc.total])).toStrictEqual([['even', 5_009], ['odd', 5_006]]);
    await followed.close();
  });

  it('leaves alone a read model built by the same version, and one never built while the log is short', async () => {
    await runTo(tally(1));
    const registration = await store.registration('tally');
    expect(await new ProjectionAdmin(events, store, [tally(1), { ...tally(1), name: 'other' }], undefined).rebuildOutdated()).toStrictEqual([]);
    expect(await store.registration('tally')).toStrictEqual(registration);
    expect(await store.registration('other')).toBeNull();
  });
});

describe('ProjectionAdmin jobs in the log', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  const context = (id: string, at = '2026-03-10T02:00:00.000Z'): CommandContext => ({
    commandId: `0000000${id}-0000-4000-8000-000000000000`,
    correlationId: id,
    causationId: id,
    actor: { id: 'ana-1', role: 'analyst' },
    occurredAt: at,
    businessDate: at.slice(0, 10),
    requestHash: '',
    idempotent: false,
  });

  beforeEach(async () => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    for (let n = 1; n <= 4; n += 1) await events.append(`account-${n}`, [paid(n, 'a', n)], 'any');
  });
  afterEach(async () => {
    await events.close();
    await store.close();
  });

  it('records who started a job and how it ended, so another process (or this one after a restart) can tell', async () => {
    const admin = new ProjectionAdmin(events, store, [tally(1)], undefined, () => new Date('2026-03-10T02:00:00.000Z'));
    const job = await admin.start('rebuild', ['tally'], context('1'));
    await admin.finished(job.id);
    const recorded = (await events.readStream(JOBS_STREAM)).map((e) => [e.type, e.metadata.actor.id, e.data.jobId]);
    expect(recorded).toStrictEqual([
      [JOB_STARTED, 'ana-1', job.id],
      [JOB_FINISHED, 'ana-1', job.id],
    ]);
    const elsewhere = new ProjectionAdmin(events, store, [tally(1)], undefined);
    const seen = await elsewhere.job(job.id);
    expect([seen.state, seen.startedBy, seen.projections, seen.progress, seen.error]).toStrictEqual(['done', 'ana-1', ['tally'], null, null]);
    // Four payments; the checkpoint reaches the job's own Started event (position 5), which tally ignores.
    expect(seen.results).toMatchObject([{ projection: 'tally', events: 4, checkpoint: '5' }]);
    expect((await elsewhere.listJobs()).map((j) => j.id)).toStrictEqual([job.id]);
    await expect(elsewhere.job('rebuild-nope')).rejects.toThrow('No rebuild job rebuild-nope');
  });

  it('records as interrupted an unfinished job whose generation was dropped, or a day old, and no other', async () => {
    const log = new JobLog(events);
    const started = (id: string, projections: string[], at: string) => log.started({ id, kind: 'rebuild', projections, startedAt: at }, context(id.slice(-1), at));
    await started('rebuild-a-1', ['tally'], '2026-03-10T01:00:00.000Z');
    await started('rebuild-b-2', ['other'], '2026-03-10T01:00:00.000Z');
    await started('rebuild-c-3', ['other'], '2026-03-08T01:00:00.000Z');
    const admin = new ProjectionAdmin(events, store, [tally(1)], undefined, () => new Date('2026-03-10T02:00:00.000Z'));
    expect(await admin.markInterruptedJobs([{ projection: 'tally', generation: 7 }])).toStrictEqual(['rebuild-a-1', 'rebuild-c-3']);
    expect(await admin.markInterruptedJobs([{ projection: 'tally', generation: 7 }])).toStrictEqual([]);
    const states = Object.fromEntries((await admin.listJobs()).map((j) => [j.id, [j.state, j.error]]));
    expect(states).toStrictEqual({
      'rebuild-a-1': ['interrupted', 'the process running it stopped (its unfinished generation was dropped)'],
      'rebuild-b-2': ['running', null],
      'rebuild-c-3': ['interrupted', 'unfinished after a day: the process running it stopped'],
    });
    expect((await events.readStream(JOBS_STREAM)).filter((e) => e.type === JOB_INTERRUPTED).map((e) => e.metadata.actor.id)).toStrictEqual(['projection-admin', 'projection-admin']);
  });
});
