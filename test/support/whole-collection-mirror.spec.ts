import { type CollectionSpec, type Doc, ReadModelNotReadyError, SqliteReadStore } from '#read-store';
import { ReadModelReader } from './whole-collection-mirror';

const MONTHS: CollectionSpec = { name: 'months', indexes: [{ name: 'by_month', fields: [['month', 1]] }] };
type MonthDoc = Doc & { month: string; n: number };
const doc = (id: string, month: string, n: number) => ({ id, month, n }) as MonthDoc;

describe('ReadModelReader', () => {
  let store: SqliteReadStore;
  beforeEach(() => (store = new SqliteReadStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('says a read model is not ready before its first generation exists', async () => {
    await expect(new ReadModelReader(store).view('nothing', 'months')).rejects.toBeInstanceOf(ReadModelNotReadyError);
  });

  it('mirrors a collection and picks up only the changes since the last query', async () => {
    const generation = await store.prepareGeneration('p', 1, [MONTHS], true);
    const target = { projection: 'p', generation };
    await store.commit(target, [{ collection: 'months', doc: doc('a', '2026-01', 1), position: 1n }], 1n, null);
    const reader = new ReadModelReader(store);
    const first = await reader.view<MonthDoc>('p', 'months');
    expect([...first.docs.values()]).toEqual([doc('a', '2026-01', 1)]);
    expect(first.version).toBe(1n);
    const changedSince = jest.spyOn(store, 'changedSince');
    await store.commit(target, [{ collection: 'months', doc: doc('a', '2026-01', 2), position: 5n }, { collection: 'months', doc: doc('b', '2026-02', 1), position: 5n }], 5n, null);
    const second = await reader.view<MonthDoc>('p', 'months');
    expect(changedSince).toHaveBeenCalledWith(target, 'months', 1n, expect.any(Number));
    expect(second.docs.get('a')?.n).toBe(2);
    expect(second.positionOf('b')).toBe(5n);
    expect(second.version).toBe(5n);
  });

  it('mirrors one partition through its index and ignores changes to other partitions', async () => {
    const generation = await store.prepareGeneration('p', 1, [MONTHS], true);
    const target = { projection: 'p', generation };
    await store.commit(target, [{ collection: 'months', doc: doc('a:1', '2026-01', 1), position: 1n }, { collection: 'months', doc: doc('a:2', '2026-02', 1), position: 2n }], 2n, null);
    const reader = new ReadModelReader(store);
    const january = await reader.view<MonthDoc>('p', 'months', { field: 'month', value: '2026-01' });
    expect([...january.docs.keys()]).toEqual(['a:1']);
    await store.commit(target, [{ collection: 'months', doc: doc('b:2', '2026-02', 1), position: 3n }, { collection: 'months', doc: doc('b:1', '2026-01', 7), position: 3n }], 3n, null);
    expect([...(await reader.view<MonthDoc>('p', 'months', { field: 'month', value: '2026-01' })).docs.keys()]).toEqual(['a:1', 'b:1']);
  });

  it('reloads from the new generation after a rebuild swapped it in', async () => {
    const first = await store.prepareGeneration('p', 1, [MONTHS], true);
    await store.commit({ projection: 'p', generation: first }, [{ collection: 'months', doc: doc('old', '2026-01', 1), position: 1n }], 1n, null);
    const reader = new ReadModelReader(store);
    expect([...(await reader.view('p', 'months')).docs.keys()]).toEqual(['old']);
    const second = await store.prepareGeneration('p', 1, [MONTHS], false);
    await store.commit({ projection: 'p', generation: second }, [{ collection: 'months', doc: doc('new', '2026-01', 1), position: 1n }], 1n, null);
    await store.activateGeneration('p', second, 1);
    const view = await reader.view('p', 'months');
    expect(view.generation).toBe(second);
    expect([...view.docs.keys()]).toEqual(['new']);
  });
});
