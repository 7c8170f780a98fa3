import { SqliteEventStore } from '../../event-store/src/sqlite/sqlite-event-store';
import type { Projection } from '../../read-store/src/projection';
import type { Doc } from '../../read-store/src/read-store.port';
import { SqliteReadStore } from '../../read-store/src/sqlite/sqlite-read-store';
import { ProjectionRunner } from '../../read-store/src/projection-runner';
import { ProjectionAdmin } from './projection-admin';

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

  it('leaves alone a read model built by the same version, and one never built', async () => {
    await runTo(tally(1));
    const registration = await store.registration('tally');
    expect(await new ProjectionAdmin(events, store, [tally(1), { ...tally(1), name: 'other' }], undefined).rebuildOutdated()).toStrictEqual([]);
    expect(await store.registration('tally')).toStrictEqual(registration);
    expect(await store.registration('other')).toBeNull();
  });
});
