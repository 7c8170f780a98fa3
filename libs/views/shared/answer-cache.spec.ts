import { ReadModelNotReadyError, SqliteReadStore } from '#read-store';
import { AnswerCache, isKeptAnswer } from './answer-cache';

const A = { projection: 'a', version: 1 };
const B = { projection: 'b', version: 1 };

describe('AnswerCache', () => {
  let store: SqliteReadStore;
  beforeEach(() => {
    store = new SqliteReadStore({ filename: ':memory:' });
  });
  afterEach(async () => store.close());

  it('answers while the read models stand still, and not once any of them commits or swaps', async () => {
    const a = { projection: 'a', generation: await store.prepareGeneration('a', 1, [], true) };
    const b = { projection: 'b', generation: await store.prepareGeneration('b', 1, [], true) };
    const cache = new AnswerCache<string>(store);
    const before = await cache.live([A, B]);
    expect(before).toStrictEqual({ targets: [a, b], version: 'a:1:-1|b:1:-1' });
    cache.set('k', before.version, 'page');
    expect(cache.get('k', (await cache.live([A, B])).version)).toBe('page');
    await store.commit(b, [], 7n, null);
    const after = await cache.live([A, B]);
    expect(after.version).toBe('a:1:-1|b:1:7');
    expect(cache.get('k', after.version)).toBeUndefined();
    const shadow = { projection: 'a', generation: await store.prepareGeneration('a', 1, [], false) };
    await store.commit(shadow, [], 7n, null);
    await store.activateGeneration('a', shadow.generation, 1);
    expect(await cache.live([A, B])).toStrictEqual({ targets: [shadow, b], version: 'a:2:7|b:1:7' });
  });

  it('says which read model is not ready when one has nothing live', async () => {
    await store.prepareGeneration('a', 1, [], true);
    await store.prepareGeneration('c', 1, [], false);
    const cache = new AnswerCache<string>(store);
    await expect(cache.live([A, { projection: 'c', version: 1 }])).rejects.toThrow(ReadModelNotReadyError);
    await expect(cache.live([A, { projection: 'c', version: 1 }])).rejects.toThrow('The c read model is not built yet; start the projections (or rebuild it) and retry');
    await expect(cache.live([{ projection: 'never', version: 1 }])).rejects.toThrow('The never read model is not built yet; start the projections (or rebuild it) and retry');
  });

  it('refuses a read model live in a version older than the one read, naming both, until the new version is swapped in', async () => {
    const old = { projection: 'a', generation: await store.prepareGeneration('a', 1, [], true) };
    await store.prepareGeneration('b', 1, [], true);
    const cache = new AnswerCache<string>(store);
    const error = await cache.live([{ projection: 'a', version: 2 }, B]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadModelNotReadyError);
    expect(error).toMatchObject({
      code: 'READ_MODEL_NOT_READY',
      projection: 'a',
      outdated: { liveVersion: 1, version: 2 },
      message: 'The a read model live now was built by version 1 of its projection and this service reads version 2; it is being rebuilt (start the projections, or rebuild it) and retry',
    });
    expect((await cache.live([A, B])).targets[0]).toStrictEqual(old);
    const rebuilt = { projection: 'a', generation: await store.prepareGeneration('a', 2, [], false) };
    await store.commit(rebuilt, [], 7n, null);
    await store.activateGeneration('a', rebuilt.generation, 2);
    expect((await cache.live([{ projection: 'a', version: 2 }, B])).targets).toStrictEqual([rebuilt, { projection: 'b', generation: 1 }]);
    expect((await cache.live([A])).targets).toStrictEqual([rebuilt]);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new AnswerCache<number>(store, 2);
    cache.set('x', 'v', 1);
    cache.set('y', 'v', 2);
    expect(cache.get('x', 'v')).toBe(1);
    cache.set('z', 'v', 3);
    expect([cache.get('x', 'v'), cache.get('y', 'v'), cache.get('z', 'v')]).toStrictEqual([1, undefined, 3]);
  });

  it('marks the objects it keeps as kept answers, and nothing else', () => {
    const cache = new AnswerCache<object | string>(store);
    const page = { items: [{ id: 'c1' }] };
    const lookalike = { items: [{ id: 'c1' }] };
    expect(isKeptAnswer(page)).toBe(false);
    cache.set('k', 'v', page);
    cache.set('s', 'v', 'text');
    expect([isKeptAnswer(page), isKeptAnswer(lookalike), isKeptAnswer(page.items), isKeptAnswer('text'), isKeptAnswer(null), isKeptAnswer(undefined)]).toStrictEqual([true, false, false, false, false, false]);
  });
});
