import { randomUUID } from 'node:crypto';
import { type AggregateRow, type CollectionSpec, type Doc, type Filter, matchesDoc, type ReadStore, type Target } from '#read-store';

export interface ReadStoreContractSubject {
  readonly store: ReadStore;
  /** Release the store and anything it created. */
  dispose(): Promise<void>;
}

const ITEMS: CollectionSpec = {
  name: 'items',
  indexes: [
    { name: 'by_owner', fields: [['owner', 1]] },
    { name: 'by_owner_day', fields: [['owner', 1], ['day', -1]] },
    { name: 'by_nested', fields: [['meta.kind', 1]] },
  ],
};
const NOTES: CollectionSpec = { name: 'notes', indexes: [] };

/** Documents chosen so that filters must respect types (1 vs true vs '1'), missing fields and nesting. */
const SAMPLE: Doc[] = [
  { id: 'a', owner: 'rep-1', day: '2026-01-01', amount: 10, active: true, meta: { kind: 'x' } },
  { id: 'b', owner: 'rep-1', day: '2026-01-02', amount: 20, active: false, meta: { kind: 'y' } },
  { id: 'c', owner: 'rep-2', day: '2026-01-03', amount: 30, active: true, meta: { kind: 'x' } },
  { id: 'd', owner: 'rep-2', day: '2026-01-04', amount: 1, active: 1, label: '1' },
  { id: 'e', owner: null, day: '2026-01-05', amount: 2.5, label: 'z' },
] as unknown as Doc[];

/**
 * The behaviour every read-model store adapter must show. Projection names are unique per test so the suite
 * also runs against a shared server.
 */
export const readStoreContract = (
  adapter: string,
  create: () => Promise<ReadStoreContractSubject>,
  /**
   * Cases a server cannot run, by title, each with its reason: skipped there and printed as skipped with the
   * reason, never bent around in the adapter.
   */
  cannotRun: Readonly<Record<string, string>> = {},
): void => {
  const titles = new Set<string>();
  const it = (title: string, run: () => Promise<void>, timeoutMs?: number) => {
    titles.add(title);
    const reason = cannotRun[title];
    if (reason) test.skip(`${title} (SKIPPED on ${adapter}: ${reason})`, run);
    else test(title, run, timeoutMs);
  };
  afterAll(() => {
    const unknown = Object.keys(cannotRun).filter((title) => !titles.has(title));
    if (unknown.length > 0) throw new Error(`No contract case is titled ${unknown.map((t) => JSON.stringify(t)).join(', ')}`);
  });
  describe(`ReadStore contract: ${adapter}`, () => {
    let subject: ReadStoreContractSubject;
    let store: ReadStore;
    let projection: string;
    const prepare = async (makeLive = true): Promise<Target> => ({
      projection,
      generation: await store.prepareGeneration(projection, 1, [ITEMS, NOTES], makeLive),
    });
    const seed = async (target: Target, docs: readonly Doc[] = SAMPLE) =>
      store.commit(target, docs.map((doc, i) => ({ collection: 'items', doc, position: BigInt(10 + i) })), BigInt(10 + docs.length), null);

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
      projection = `contract_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    });
    afterEach(async () => subject.dispose());

    describe('generations', () => {
      it('registers a projection on first use and makes the first generation live', async () => {
        expect(await store.registration(projection)).toBeNull();
        const target = await prepare();
        expect(target.generation).toBe(1);
        expect(await store.registration(projection)).toEqual({ projection, liveGeneration: 1, liveVersion: 1, lastGeneration: 1 });
        expect((await store.registrations()).map((r) => r.projection)).toContain(projection);
        expect(await store.checkpoint(target)).toEqual({ position: -1n, failure: null, updatedAt: null });
      });

      it('reads the live generation, its version and checkpoint of several projections at once, leaving out those with nothing live', async () => {
        expect(await store.liveCheckpoints([])).toStrictEqual(new Map());
        const first = await store.prepareGeneration('live_a', 1, [{ name: 'items', indexes: [] }], true);
        const second = await store.prepareGeneration('live_b', 2, [{ name: 'items', indexes: [] }], true);
        await store.prepareGeneration('live_c', 1, [{ name: 'items', indexes: [] }], false);
        await store.commit({ projection: 'live_b', generation: second }, [], 42n, null);
        expect(await store.liveCheckpoints(['live_a', 'live_b', 'live_c', 'live_never', 'live_a'])).toStrictEqual(
          new Map([
            ['live_a', { generation: first, version: 1, position: -1n }],
            ['live_b', { generation: second, version: 2, position: 42n }],
          ]),
        );
        const shadow = await store.prepareGeneration('live_a', 3, [{ name: 'items', indexes: [] }], false);
        await store.commit({ projection: 'live_a', generation: shadow }, [], 9n, null);
        expect((await store.liveCheckpoints(['live_a'])).get('live_a')).toStrictEqual({ generation: first, version: 1, position: -1n });
        await store.activateGeneration('live_a', shadow, 3);
        expect((await store.liveCheckpoints(['live_a'])).get('live_a')).toStrictEqual({ generation: shadow, version: 3, position: 9n });
      });

      it('prepares a shadow generation without touching the live one, and never reuses a number', async () => {
        const live = await prepare();
        const shadow = await prepare(true);
        expect(shadow.generation).toBe(2);
        expect((await store.registration(projection))?.liveGeneration).toBe(live.generation);
        await store.dropGeneration(shadow, [ITEMS, NOTES]);
        expect((await prepare(false)).generation).toBe(3);
      });

      it('activates a caught-up shadow atomically and reports the generation it replaced', async () => {
        const live = await prepare();
        await seed(live);
        const shadow = await prepare(false);
        await seed(shadow, SAMPLE.slice(0, 2));
        await store.commit(shadow, [], 15n, null);
        expect(await store.activateGeneration(projection, shadow.generation, 2)).toBe(live.generation);
        expect(await store.registration(projection)).toMatchObject({ liveGeneration: shadow.generation, liveVersion: 2 });
        expect((await store.find(shadow, 'items')).map((d) => d.id)).toEqual(['a', 'b']);
      });

      it('refuses to activate a generation that is behind the live one', async () => {
        const live = await prepare();
        await seed(live);
        const shadow = await prepare(false);
        await store.commit(shadow, [], 3n, null);
        await expect(store.activateGeneration(projection, shadow.generation, 1)).rejects.toThrow(/behind/);
        expect((await store.registration(projection))?.liveGeneration).toBe(live.generation);
      });

      it('fills a generation prepared without indexes, then builds them once, with the same answers', async () => {
        const bulk: Target = { projection, generation: await store.prepareGeneration(projection, 1, [ITEMS, NOTES], false, { deferIndexes: true }) };
        await seed(bulk);
        expect([...(await store.load(bulk, 'items', ['a', 'e'])).keys()]).toStrictEqual(['a', 'e']);
        await store.buildIndexes(bulk, [ITEMS, NOTES]);
        await store.buildIndexes(bulk, [ITEMS, NOTES]); // again: nothing to do
        const filter: Filter = { owner: { $in: ['rep-1', 'rep-2'] } };
        const hinted = await store.find(bulk, 'items', filter, { sort: [['amount', -1]], limit: 3, hint: 'by_owner_day' });
        expect(hinted.map((d) => d.id)).toStrictEqual(['c', 'b', 'a']);
        expect(await store.count(bulk, 'items', { 'meta.kind': 'x' }, 'by_nested')).toBe(2);
        await store.commit(bulk, [{ collection: 'items', doc: { id: 'f', owner: 'rep-1', day: '2026-01-06', amount: 5 } as Doc, position: 20n }], 20n, null);
        expect((await store.find(bulk, 'items', { owner: 'rep-1' }, { hint: 'by_owner' })).map((d) => d.id)).toStrictEqual(['a', 'b', 'f']);
        await store.dropGeneration(bulk, [ITEMS, NOTES]);
        await expect(store.buildIndexes(bulk, [ITEMS, NOTES])).rejects.toThrow('does not exist');
      });

      it('takes a write probe, again and again, without touching any generation', async () => {
        const live = await prepare();
        await seed(live);
        await store.probeWrite();
        await store.probeWrite();
        expect((await store.find(live, 'items')).map((d) => d.id)).toStrictEqual(['a', 'b', 'c', 'd', 'e']);
        expect((await store.registrations()).filter((r) => r.projection === projection)).toHaveLength(1);
      });

      it('refuses to drop the live generation; a dropped generation answers commits as stale', async () => {
        const live = await prepare();
        await expect(store.dropGeneration(live, [ITEMS, NOTES])).rejects.toThrow(/live/);
        const scratch = await prepare(false);
        await store.dropGeneration(scratch, [ITEMS, NOTES]);
        expect(await store.commit(scratch, [{ collection: 'items', doc: SAMPLE[0]!, position: 1n }], 1n, null)).toBe('stale');
      });
    });

    describe('commits', () => {
      it('writes documents and the checkpoint together', async () => {
        const target = await prepare();
        expect(await seed(target)).toBe('committed');
        const checkpoint = await store.checkpoint(target);
        expect(checkpoint.position).toBe(15n);
        expect(checkpoint.updatedAt).toEqual(expect.any(String));
        const loaded = await store.load(target, 'items', ['a', 'e', 'missing']);
        expect([...loaded.keys()]).toEqual(['a', 'e']);
        expect(loaded.get('a')).toEqual({ doc: SAMPLE[0], position: 10n });
        expect(loaded.get('e')?.doc).toEqual(SAMPLE[4]);
      });

      it('keeps a document that already holds a later event when an older write is replayed', async () => {
        const target = await prepare();
        await store.commit(target, [{ collection: 'items', doc: { id: 'a', v: 2 } as Doc, position: 20n }], 20n, null);
        await store.commit(target, [{ collection: 'items', doc: { id: 'a', v: 1 } as Doc, position: 19n }], 19n, null);
        await store.commit(target, [{ collection: 'items', doc: { id: 'a', v: 9 } as Doc, position: 20n }], 20n, null);
        expect((await store.load(target, 'items', ['a'])).get('a')).toEqual({ doc: { id: 'a', v: 2 }, position: 20n });
        expect((await store.checkpoint(target)).position).toBe(20n);
      });

      it('replaces hundreds of stored documents in one commit', async () => {
        const target = await prepare();
        const ids = Array.from({ length: 250 }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
        const version = (v: number, position: bigint) => ids.map((id) => ({ collection: 'items', doc: { id, v } as Doc, position }));
        expect(await store.commit(target, version(1, 1n), 1n, null)).toBe('committed');
        // Every write of the second commit replaces a stored document (a live batch that touches many known ones).
        expect(await store.commit(target, version(2, 2n), 2n, null)).toBe('committed');
        const loaded = await store.load(target, 'items', ids);
        expect(new Set([...loaded.values()].map((stored) => `${(stored.doc as unknown as { v: number }).v}@${stored.position}`))).toStrictEqual(new Set(['2@2']));
        expect(loaded.size).toBe(250);
        expect((await store.checkpoint(target)).position).toBe(2n);
      });

      it('writes every new document of a replayed batch that also holds documents already past it', async () => {
        const target = await prepare();
        await store.commit(target, [{ collection: 'items', doc: { id: 'b', v: 2 } as Doc, position: 30n }], 30n, null);
        const replay = ['a', 'b', 'c', 'd'].map((id) => ({ collection: 'items', doc: { id, v: 1 } as Doc, position: 25n }));
        await store.commit(target, replay, 30n, null);
        const loaded = await store.load(target, 'items', ['a', 'b', 'c', 'd']);
        expect([...loaded].map(([id, stored]) => [id, (stored.doc as unknown as { v: number }).v, stored.position])).toStrictEqual([
          ['a', 1, 25n],
          ['b', 2, 30n],
          ['c', 1, 25n],
          ['d', 1, 25n],
        ]);
      });

      it('records a failure with the checkpoint and clears it on the next commit', async () => {
        const target = await prepare();
        const failure = {
          position: '7',
          eventId: 'e-7',
          eventType: 'VisitRecorded',
          streamName: 'customer-1',
          message: 'boom',
          failedAt: '2026-01-01T00:00:00.000Z',
        };
        await store.commit(target, [], 6n, failure);
        expect(await store.checkpoint(target)).toMatchObject({ position: 6n, failure });
        await store.commit(target, [], 7n, null);
        expect(await store.checkpoint(target)).toMatchObject({ position: 7n, failure: null });
      });

      it('handles positions beyond 64 bits', async () => {
        const target = await prepare();
        const big = (1n << 64n) * 5n + 3n;
        await store.commit(target, [{ collection: 'notes', doc: { id: 'n' } as Doc, position: big }], big, null);
        expect((await store.checkpoint(target)).position).toBe(big);
        expect((await store.changedSince(target, 'notes', big - 1n)).map((s) => s.position)).toEqual([big]);
      });
    });

    describe('queries', () => {
      const filters: Filter[] = [
        {},
        { owner: 'rep-1' },
        { owner: null },
        { active: true },
        { active: 1 },
        { label: '1' },
        { 'meta.kind': 'x' },
        { owner: { $in: ['rep-2', null] } },
        { owner: { $ne: 'rep-1' } },
        { amount: { $gte: 2.5, $lt: 30 } },
        { day: { $gt: '2026-01-02' }, owner: 'rep-2' },
        { amount: { $gt: 'a' } },
        { id: { $in: ['a', 'c'] } },
        { label: { $ne: 'z' } },
        { owner: { $ne: null } },
        { active: { $ne: true } },
        { active: false },
        { owner: { $in: [null] } },
        { day: { $gte: '2026-01-02', $lt: '2026-01-05' } },
        { 'meta.kind': { $in: ['y', 'z'] } },
        { amount: { $lte: 2.5 } },
        { active: { $gte: 1 } },
      ];

      test.each(filters.map((filter) => [JSON.stringify(filter), filter] as const))('filters %s as matchesDoc does', async (_name, filter) => {
        const target = await prepare();
        await seed(target);
        const expected = SAMPLE.filter((doc) => matchesDoc(doc, filter)).map((doc) => doc.id);
        expect((await store.find(target, 'items', filter, { sort: [['id', 1]] })).map((doc) => doc.id)).toEqual(expected);
        expect(await store.count(target, 'items', filter)).toBe(expected.length);
        expect(await store.findIds(target, 'items', filter)).toStrictEqual(expected);
      });

      it('keeps the internal field for the projection: load and scan return it, find never does', async () => {
        const target = await prepare();
        const doc = { id: 'k', owner: 'rep-9', internal: { facts: [1, 2], note: 'kept' } } as unknown as Doc;
        await store.commit(target, [{ collection: 'items', doc, position: 5n }], 5n, null);
        expect((await store.load(target, 'items', ['k'])).get('k')).toStrictEqual({ doc, position: 5n });
        const scanned: unknown[] = [];
        for await (const stored of store.scan(target, 'items')) scanned.push(stored.doc);
        expect(scanned).toStrictEqual([doc]);
        expect(await store.find(target, 'items', { owner: 'rep-9' })).toStrictEqual([{ id: 'k', owner: 'rep-9' }]);
        expect(await store.find(target, 'items', {}, { skip: 0, limit: 1 })).toStrictEqual([{ id: 'k', owner: 'rep-9' }]);
        expect((await store.changedSince(target, 'items', 0n)).map((s) => s.doc)).toStrictEqual([doc]);
      });

      it('counts and sums per group (in the JSON order of their keys), keys exact in type, a missing key as null, a missing summand as nothing', async () => {
        const target = await prepare();
        await seed(target);
        expect(await store.aggregate(target, 'items', {}, { groupBy: ['owner'], sum: ['amount'] })).toStrictEqual([
          { key: { owner: 'rep-1' }, count: 2, sums: { amount: 30 } },
          { key: { owner: 'rep-2' }, count: 2, sums: { amount: 31 } },
          { key: { owner: null }, count: 1, sums: { amount: 2.5 } },
        ]);
        // true and 1 are different keys; a document without the field groups under null.
        expect(await store.aggregate(target, 'items', { owner: { $ne: null } }, { groupBy: ['active', 'meta.kind'], sum: ['amount', 'missing'] })).toStrictEqual([
          { key: { active: 1, 'meta.kind': null }, count: 1, sums: { amount: 1, missing: 0 } },
          { key: { active: false, 'meta.kind': 'y' }, count: 1, sums: { amount: 20, missing: 0 } },
          { key: { active: true, 'meta.kind': 'x' }, count: 2, sums: { amount: 40, missing: 0 } },
        ]);
        expect(await store.aggregate(target, 'items', { owner: 'rep-1' }, { groupBy: [], sum: ['amount'], hint: 'by_owner' })).toStrictEqual([{ key: {}, count: 2, sums: { amount: 30 } }]);
        expect(await store.aggregate(target, 'items', { owner: 'nobody' }, { groupBy: [], sum: ['amount'] })).toStrictEqual([]);
        expect(await store.aggregate(target, 'items', { owner: 'nobody' }, { groupBy: ['owner'], sum: [] })).toStrictEqual([]);
      });

      const TYPED: CollectionSpec = {
        name: 'typed',
        indexes: [{ name: 'by_rep_week', fields: [['week', 1], ['repId', 1], ['score', 1], ['flag', 1]] }],
        fieldTypes: { week: 'string', repId: 'string', score: 'number', flag: 'boolean' },
      };
      const seedTyped = async (): Promise<Target> => {
        const target: Target = { projection, generation: await store.prepareGeneration(projection, 1, [TYPED], true) };
        const docs = [
          { id: 'w1:r1:a', week: 'w1', repId: 'r1', score: 1, flag: true },
          { id: 'w1:r1:b', week: 'w1', repId: 'r1', score: 2.5, flag: false },
          { id: 'w1:r2:a', week: 'w1', repId: 'r2', score: 1, flag: true },
          { id: 'w1:r10:a', week: 'w1', repId: 'r10', score: 0, flag: true },
          { id: 'w2:r1:a', week: 'w2', repId: 'r1', score: 7, flag: false },
        ] as unknown as Doc[];
        await store.commit(target, docs.map((doc, i) => ({ collection: 'typed', doc, position: BigInt(i + 1) })), 5n, null);
        return target;
      };

      it('groups by fields of a declared type as by any other field, and finds and filters by them the same', async () => {
        const target = await seedTyped();
        expect(await store.aggregate(target, 'typed', { week: 'w1' }, { groupBy: ['repId'], sum: [], hint: 'by_rep_week' })).toStrictEqual([
          { key: { repId: 'r1' }, count: 2, sums: {} },
          { key: { repId: 'r10' }, count: 1, sums: {} },
          { key: { repId: 'r2' }, count: 1, sums: {} },
        ]);
        expect(await store.aggregate(target, 'typed', {}, { groupBy: ['flag', 'score'], sum: [] })).toStrictEqual([
          { key: { flag: false, score: 2.5 }, count: 1, sums: {} },
          { key: { flag: false, score: 7 }, count: 1, sums: {} },
          { key: { flag: true, score: 0 }, count: 1, sums: {} },
          { key: { flag: true, score: 1 }, count: 2, sums: {} },
        ]);
        expect(await store.findIds(target, 'typed', { flag: true, score: { $gte: 1 } })).toStrictEqual(['w1:r1:a', 'w1:r2:a']);
        expect(await store.count(target, 'typed', { repId: { $in: ['r1', 'r2'] }, week: 'w1' })).toBe(3);
        // A value of another type than the field's never matches it: true is no 1, 1 is no true, 7 is no '7'.
        expect(await store.findIds(target, 'typed', { score: true })).toStrictEqual([]);
        expect(await store.findIds(target, 'typed', { flag: 1 })).toStrictEqual([]);
        expect(await store.findIds(target, 'typed', { flag: { $in: [1, 'true'] } })).toStrictEqual([]);
        expect(await store.findIds(target, 'typed', { score: { $in: [true, 7] } })).toStrictEqual(['w2:r1:a']);
        expect(await store.count(target, 'typed', { repId: 7 })).toBe(0);
        expect(await store.findIds(target, 'typed', { repId: { $gte: 'r10' }, score: { $lt: 2 } })).toStrictEqual(['w1:r10:a', 'w1:r2:a']);
        expect(await store.findIds(target, 'typed', { score: { $gte: '1' } })).toStrictEqual([]);
      });

      it('sums per group of fields of a declared type', async () => {
        const target = await seedTyped();
        expect(await store.aggregate(target, 'typed', { week: 'w1' }, { groupBy: ['repId'], sum: ['score'], hint: 'by_rep_week' })).toStrictEqual([
          { key: { repId: 'r1' }, count: 2, sums: { score: 3.5 } },
          { key: { repId: 'r10' }, count: 1, sums: { score: 0 } },
          { key: { repId: 'r2' }, count: 1, sums: { score: 1 } },
        ]);
      });

      /** Rows counted when `open`, per week and rep (and flag), with two summed amounts; `note` is no rollup field. */
      const ROLLED: CollectionSpec = {
        name: 'rolled',
        indexes: [{ name: 'by_week_rep', fields: [['week', 1], ['open', 1], ['repId', 1]] }],
        fieldTypes: { week: 'string', repId: 'string', open: 'boolean', flag: 'boolean', fen: 'number', units: 'number', note: 'string' },
        rollups: [
          { name: 'open_by_rep', where: { open: true }, groupBy: ['week', 'repId', 'flag'], sum: ['fen', 'units'] },
          { name: 'quoted', where: { note: "r'3's", units: 1 }, groupBy: ['week'], sum: ['fen'] },
        ],
      };
      const rolled = (id: string, week: string, repId: string, open: boolean, flag: boolean, fen: number, units = 1): Doc =>
        ({ id, week, repId, open, flag, fen, units, note: `${repId}'s` }) as unknown as Doc;
      /** Aggregates the rollup covers, and one it does not (a condition on `note`), which must agree with it. */
      const rolledAnswers = async (target: Target) => ({
        byRep: await store.aggregate(target, 'rolled', { week: 'w1', open: true }, { groupBy: ['repId'], sum: ['fen', 'units'], hint: 'by_week_rep' }),
        byFlag: await store.aggregate(target, 'rolled', { open: true, repId: { $in: ['r1', 'r2'] } }, { groupBy: ['week', 'flag'], sum: ['fen'] }),
        oneRep: await store.aggregate(target, 'rolled', { week: 'w1', open: true, repId: 'r2', flag: false }, { groupBy: [], sum: ['units'] }),
        flagsOfRep: await store.aggregate(target, 'rolled', { week: 'w1', open: true, repId: 'r1' }, { groupBy: ['flag'], sum: ['fen'] }),
        none: await store.aggregate(target, 'rolled', { week: 'w9', open: true }, { groupBy: ['repId'], sum: ['fen'] }),
        quoted: await store.aggregate(target, 'rolled', { units: 1, note: "r'3's" }, { groupBy: ['week'], sum: ['fen'] }),
        uncovered: await store.aggregate(target, 'rolled', { week: 'w1', open: true, note: { $ne: 'x' } }, { groupBy: ['repId'], sum: ['fen', 'units'] }),
      });
      const rolledDocs = [
        rolled('1', 'w1', 'r1', true, true, 100),
        rolled('2', 'w1', 'r1', true, false, 250, 2),
        rolled('3', 'w1', 'r2', true, false, 40),
        rolled('4', 'w1', 'r2', false, false, 999),
        rolled('5', 'w2', 'r1', true, true, 7),
        rolled('6', 'w1', "r'3", true, true, 0),
      ];
      /** Moves rows between groups, out of and into the counted ones, and replays an older write that must change nothing. */
      const rewriteRolled = async (target: Target, from: bigint) => {
        const writes = [
          rolled('1', 'w1', 'r1', true, true, 130),
          rolled('2', 'w1', 'r2', true, false, 250, 2),
          rolled('3', 'w1', 'r2', false, false, 40),
          rolled('4', 'w1', 'r2', true, false, 1),
          rolled('6', 'w2', "r'3", true, true, 0),
        ];
        await store.commit(target, writes.map((doc, i) => ({ collection: 'rolled', doc, position: from + BigInt(i) })), from + 10n, null);
        await store.commit(target, [{ collection: 'rolled', doc: rolled('2', 'w1', 'r1', true, false, 5000), position: from - 1n }], from + 11n, null);
      };
      const REWRITTEN = {
        byRep: [
          { key: { repId: 'r1' }, count: 1, sums: { fen: 130, units: 1 } },
          { key: { repId: 'r2' }, count: 2, sums: { fen: 251, units: 3 } },
        ],
        byFlag: [
          { key: { flag: false, week: 'w1' }, count: 2, sums: { fen: 251 } },
          { key: { flag: true, week: 'w1' }, count: 1, sums: { fen: 130 } },
          { key: { flag: true, week: 'w2' }, count: 1, sums: { fen: 7 } },
        ],
        oneRep: [{ key: {}, count: 2, sums: { units: 3 } }],
        flagsOfRep: [{ key: { flag: true }, count: 1, sums: { fen: 130 } }],
        none: [],
        quoted: [{ key: { week: 'w2' }, count: 1, sums: { fen: 0 } }],
        uncovered: [
          { key: { repId: 'r1' }, count: 1, sums: { fen: 130, units: 1 } },
          { key: { repId: 'r2' }, count: 2, sums: { fen: 251, units: 3 } },
        ],
      };

      it('answers aggregates a rollup covers as from the documents, through inserts, moves between groups and replays', async () => {
        const target: Target = { projection, generation: await store.prepareGeneration(projection, 1, [ROLLED], true) };
        await store.commit(target, rolledDocs.map((doc, i) => ({ collection: 'rolled', doc, position: BigInt(i + 1) })), 6n, null);
        const first = await rolledAnswers(target);
        expect(first).toStrictEqual({
          byRep: [
            { key: { repId: "r'3" }, count: 1, sums: { fen: 0, units: 1 } },
            { key: { repId: 'r1' }, count: 2, sums: { fen: 350, units: 3 } },
            { key: { repId: 'r2' }, count: 1, sums: { fen: 40, units: 1 } },
          ],
          byFlag: [
            { key: { flag: false, week: 'w1' }, count: 2, sums: { fen: 290 } },
            { key: { flag: true, week: 'w1' }, count: 1, sums: { fen: 100 } },
            { key: { flag: true, week: 'w2' }, count: 1, sums: { fen: 7 } },
          ],
          oneRep: [{ key: {}, count: 1, sums: { units: 1 } }],
          flagsOfRep: [
            { key: { flag: false }, count: 1, sums: { fen: 250 } },
            { key: { flag: true }, count: 1, sums: { fen: 100 } },
          ],
          none: [],
          quoted: [{ key: { week: 'w1' }, count: 1, sums: { fen: 0 } }],
          uncovered: first.byRep,
        });
        await rewriteRolled(target, 20n);
        expect(await rolledAnswers(target)).toStrictEqual(REWRITTEN);
        // A value of another type than the field's matches nothing, as from the documents.
        expect(await store.aggregate(target, 'rolled', { week: 'w1', open: true, flag: 0 }, { groupBy: ['repId'], sum: [] })).toStrictEqual([]);
        expect(await store.aggregate(target, 'rolled', { week: 'w1', open: 1 }, { groupBy: ['repId'], sum: [] })).toStrictEqual([]);
      });

      it('keeps a rollup of a generation filled before its indexes were built, from then on', async () => {
        const bulk: Target = { projection, generation: await store.prepareGeneration(projection, 1, [ROLLED], true, { deferIndexes: true }) };
        await store.commit(bulk, rolledDocs.map((doc, i) => ({ collection: 'rolled', doc, position: BigInt(i + 1) })), 6n, null);
        await store.buildIndexes(bulk, [ROLLED]);
        await store.buildIndexes(bulk, [ROLLED]); // again: nothing to do, nothing counted twice
        await rewriteRolled(bulk, 20n);
        expect(await rolledAnswers(bulk)).toStrictEqual(REWRITTEN);
      });

      it('refuses a rollup it could not keep exactly, naming the rollup and the field', async () => {
        const refused = (rollup: object, fieldTypes: CollectionSpec['fieldTypes'] = ROLLED.fieldTypes) =>
          store.prepareGeneration(projection, 1, [{ name: 'bad', indexes: [], fieldTypes, rollups: [rollup as never] }], true);
        await expect(refused({ name: 'r', where: {}, groupBy: ['repId'], sum: ['missing'] })).rejects.toThrow('Rollup bad.r: field missing is not declared in fieldTypes');
        await expect(refused({ name: 'r', where: {}, groupBy: ['repId'], sum: ['note'] })).rejects.toThrow('Rollup bad.r: summed field note is declared a string, not a number');
        await expect(refused({ name: 'r', where: { open: 1 }, groupBy: ['repId'], sum: [] })).rejects.toThrow('Rollup bad.r: field open is declared a boolean; the rollup counts it at 1');
        await expect(refused({ name: 'r', where: {}, groupBy: [], sum: [] })).rejects.toThrow('Rollup bad.r: it groups by no field');
        expect(await store.registration(projection)).toBeNull();
      });

      it('lists the distinct values of a field per group, exact in type, leaving out null and missing', async () => {
        const byJson = (row: AggregateRow) => ({ ...row, values: [...(row.values ?? [])].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) });
        const typed = await seedTyped();
        expect((await store.aggregate(typed, 'typed', {}, { groupBy: ['week'], sum: ['score'], collect: 'repId', hint: 'by_rep_week' })).map(byJson)).toStrictEqual([
          { key: { week: 'w1' }, count: 4, sums: { score: 4.5 }, values: ['r1', 'r10', 'r2'] },
          { key: { week: 'w2' }, count: 1, sums: { score: 7 }, values: ['r1'] },
        ]);
        const target = await prepare();
        const extra = [{ id: 'f', owner: 'rep-2', label: 1 }, { id: 'g', owner: 'rep-2', label: null }, { id: 'h', owner: 'rep-2', label: '1' }] as unknown as Doc[];
        await seed(target, [...SAMPLE, ...extra]);
        expect((await store.aggregate(target, 'items', {}, { groupBy: ['owner'], sum: [], collect: 'label' })).map(byJson)).toStrictEqual([
          { key: { owner: 'rep-1' }, count: 2, sums: {}, values: [] },
          { key: { owner: 'rep-2' }, count: 5, sums: {}, values: ['1', 1] },
          { key: { owner: null }, count: 1, sums: {}, values: ['z'] },
        ]);
        expect(await store.aggregate(target, 'items', { owner: 'nobody' }, { groupBy: [], sum: [], collect: 'label' })).toStrictEqual([]);
      });

      it('reads through the index it is told to, with the same answers', async () => {
        const target = await prepare();
        await seed(target);
        const filter: Filter = { owner: { $in: ['rep-1', 'rep-2'] } };
        const hinted = await store.find(target, 'items', filter, { sort: [['amount', -1]], limit: 3, hint: 'by_owner_day' });
        expect(hinted.map((d) => d.id)).toStrictEqual(['c', 'b', 'a']);
        expect(await store.count(target, 'items', filter, 'by_owner')).toBe(4);
      });

      it('sorts, skips and limits', async () => {
        const target = await prepare();
        await seed(target);
        expect((await store.find(target, 'items', {}, { sort: [['amount', -1]] })).map((d) => d.id)).toEqual(['c', 'b', 'a', 'e', 'd']);
        expect((await store.find(target, 'items', {}, { sort: [['day', 1]], skip: 1, limit: 2 })).map((d) => d.id)).toEqual(['b', 'c']);
        expect((await store.find(target, 'items', { owner: 'rep-2' }, { sort: [['day', -1]] })).map((d) => d.id)).toEqual(['d', 'c']);
        expect((await store.find(target, 'items', { owner: { $in: ['rep-1', 'rep-2'] } }, { sort: [['day', -1]], skip: 1, limit: 2 })).map((d) => d.id)).toEqual(['c', 'b']);
        expect((await store.find(target, 'items', {}, { sort: [['meta.kind', -1]], skip: 3 })).map((d) => d.id)).toEqual(['d', 'e']);
      });

      it('lists documents changed after a position, in position order', async () => {
        const target = await prepare();
        await seed(target);
        await store.commit(target, [{ collection: 'items', doc: { ...SAMPLE[0]!, amount: 11 } as Doc, position: 40n }], 40n, null);
        const changed = await store.changedSince(target, 'items', 12n);
        expect(changed.map((s) => [s.doc.id, s.position])).toEqual([
          ['d', 13n],
          ['e', 14n],
          ['a', 40n],
        ]);
        expect((await store.changedSince(target, 'items', -1n)).length).toBe(5);
        expect((await store.changedSince(target, 'items', 12n, 1)).map((s) => s.doc.id)).toEqual(['d']);
      });

      it('lists only documents of finished commits: none past the checkpoint, so a reader that keeps the last position it saw misses none', async () => {
        const target = await prepare();
        await seed(target);
        // A commit written a slice at a time (as a large rebuild writes): its documents are in, its checkpoint not yet.
        await store.commit(target, [{ collection: 'items', doc: { ...SAMPLE[1]!, amount: 99 } as Doc, position: 52n }], 15n, null);
        await store.commit(target, [{ collection: 'items', doc: { ...SAMPLE[0]!, amount: 98 } as Doc, position: 51n }], 15n, null);
        expect((await store.changedSince(target, 'items', 12n)).map((s) => [s.doc.id, s.position])).toStrictEqual([
          ['d', 13n],
          ['e', 14n],
        ]);
        await store.commit(target, [], 52n, null);
        expect((await store.changedSince(target, 'items', 14n)).map((s) => [s.doc.id, s.position])).toStrictEqual([
          ['a', 51n],
          ['b', 52n],
        ]);
      });

      it('matches an array field by its elements and a missing field as null, as MongoDB does', async () => {
        const target = await prepare();
        const docs = [
          { id: 'a', tags: ['x', 'y'], n: [1, 5] },
          { id: 'b', tags: 'x', n: 3 },
          { id: 'c', tags: [], n: [] },
          { id: 'd' },
          { id: 'e', tags: ['z', null], n: ['9', true] },
        ] as unknown as Doc[];
        await store.commit(target, docs.map((doc, i) => ({ collection: 'notes', doc, position: BigInt(i + 1) })), 5n, null);
        const ids = async (filter: Filter) => (await store.find(target, 'notes', filter, { sort: [['id', 1]] })).map((doc) => doc.id);
        expect(await ids({ tags: 'x' })).toStrictEqual(['a', 'b']);
        expect(await ids({ tags: { $eq: 'y' } })).toStrictEqual(['a']);
        expect(await ids({ tags: { $ne: 'x' } })).toStrictEqual(['c', 'd', 'e']);
        expect(await ids({ tags: { $in: ['y', 'z'] } })).toStrictEqual(['a', 'e']);
        expect(await ids({ tags: null })).toStrictEqual(['d', 'e']);
        expect(await ids({ tags: { $ne: null } })).toStrictEqual(['a', 'b', 'c']);
        expect(await ids({ tags: { $in: [null, 'y'] } })).toStrictEqual(['a', 'd', 'e']);
        // Each bound may hold for another element; a string or a boolean is no number.
        expect(await ids({ n: { $gt: 4 } })).toStrictEqual(['a']);
        expect(await ids({ n: { $gt: 1, $lt: 5 } })).toStrictEqual(['a', 'b']);
        expect(await ids({ n: { $gte: 6 } })).toStrictEqual([]);
        expect(await ids({ n: { $gte: '9' } })).toStrictEqual(['e']);
        expect(await store.count(target, 'notes', { tags: 'x' })).toBe(2);
        // The in-memory matcher (selections in the runner) agrees with the store.
        for (const filter of [{ tags: 'x' }, { tags: { $ne: 'x' } }, { tags: null }, { n: { $gt: 1, $lt: 5 } }, { tags: { $in: [null, 'y'] } }] as Filter[]) {
          expect(docs.filter((doc) => matchesDoc(doc, filter)).map((doc) => doc.id)).toStrictEqual(await ids(filter));
        }
      });

      it('gives a projection\'s lease to one owner at a time, until it expires or is given up', async () => {
        const name = `${projection}_lease`;
        const at = (seconds: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, seconds));
        expect(await store.acquireLease(name, 'a', at(30), at(0))).toBe(true);
        expect(await store.acquireLease(name, 'b', at(31), at(1))).toBe(false);
        // Renewed by its owner; still refused to another until it runs out.
        expect(await store.acquireLease(name, 'a', at(40), at(10))).toBe(true);
        expect(await store.acquireLease(name, 'b', at(69), at(39))).toBe(false);
        expect(await store.acquireLease(name, 'b', at(70), at(40))).toBe(true);
        expect(await store.acquireLease(name, 'a', at(45), at(41))).toBe(false);
        // Given up only by its owner; then anyone may take it at once.
        await store.releaseLease(name, 'a');
        expect(await store.acquireLease(name, 'a', at(50), at(42))).toBe(false);
        await store.releaseLease(name, 'b');
        expect(await store.acquireLease(name, 'a', at(50), at(42))).toBe(true);
        // Leases of different projections are independent.
        expect(await store.acquireLease(`${name}_other`, 'b', at(50), at(42))).toBe(true);
      });

      it('commits with a lease only while its owner holds it, and writes nothing otherwise', async () => {
        const target = await prepare();
        const at = (seconds: number) => new Date(Date.UTC(2026, 10, 30, 13, 0, seconds));
        const doc = (id: string, position: bigint) => [{ collection: 'notes', doc: { id } as Doc, position }];
        expect(await store.acquireLease(projection, 'a', at(30), at(0))).toBe(true);
        expect(await store.commit(target, doc('by-a', 1n), 1n, null, { name: projection, owner: 'a', now: at(10) })).toBe('committed');
        // Another owner, or the owner once the lease has run out: fenced, nothing written, the checkpoint unmoved.
        expect(await store.commit(target, doc('by-b', 2n), 2n, null, { name: projection, owner: 'b', now: at(11) })).toBe('fenced');
        expect(await store.commit(target, doc('late-a', 3n), 3n, null, { name: projection, owner: 'a', now: at(30) })).toBe('fenced');
        expect(await store.commit(target, doc('none', 4n), 4n, null, { name: `${projection}_unleased`, owner: 'a', now: at(12) })).toBe('fenced');
        expect((await store.find(target, 'notes')).map((d) => d.id)).toStrictEqual(['by-a']);
        expect((await store.checkpoint(target)).position).toBe(1n);
        // Without a fence (a rebuild's own generation) a commit is not checked.
        expect(await store.commit(target, doc('rebuilt', 5n), 5n, null)).toBe('committed');
      });

      it('scans a whole collection in id order, beyond one page', async () => {
        const target = await prepare();
        const docs = Array.from({ length: 1203 }, (_, i) => ({ id: `k${String(i).padStart(5, '0')}`, n: i }) as Doc);
        await store.commit(target, docs.map((doc, i) => ({ collection: 'notes', doc, position: BigInt(i + 1) })), 1203n, null);
        const seen: string[] = [];
        for await (const stored of store.scan(target, 'notes')) seen.push(stored.doc.id);
        expect(seen).toEqual(docs.map((d) => d.id));
      }, 30_000);

      it('keeps generations apart', async () => {
        const live = await prepare();
        await seed(live);
        const shadow = await prepare(false);
        expect(await store.count(shadow, 'items')).toBe(0);
        expect(await store.count(live, 'items')).toBe(5);
      });
    });
  });
};
