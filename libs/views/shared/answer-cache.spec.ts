import { SqliteReadStore } from '#read-store';
import { AnswerCache, isKeptAnswer } from './answer-cache';

describe('AnswerCache', () => {
  let store: SqliteReadStore;
  beforeEach(() => {
    store = new SqliteReadStore({ filename: ':memory:' });
  });
  afterEach(async () => store.close());

  it('answers while the read models stand still, and not once any of them commits', async () => {
    const a = { projection: 'a', generation: await store.prepareGeneration('a', 1, [], true) };
    const b = { projection: 'b', generation: await store.prepareGeneration('b', 1, [], true) };
    const cache = new AnswerCache<string>(store);
    const before = await cache.versionOf([a, b]);
    expect(before).toBe('a:1:-1|b:1:-1');
    cache.set('k', before, 'page');
    expect(cache.get('k', await cache.versionOf([a, b]))).toBe('page');
    await store.commit(b, [], 7n, null);
    const after = await cache.versionOf([a, b]);
    expect(after).toBe('a:1:-1|b:1:7');
    expect(cache.get('k', after)).toBeUndefined();
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
