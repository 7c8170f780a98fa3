import type { RecordedEvent } from '#event-store';
import { recorded } from '#testing';
import type { Projection } from './projection';
import { ProjectionWorker } from './projection-worker';
import type { Doc, DocWrite, ProjectionFailure, ReadStore, Target } from './read-store.port';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

interface Account extends Doc {
  readonly balance: number;
  readonly interestDays: number;
}

/** Opening an account creates it; a day of interest adds 1 to every account: an event that selects by filter. */
const bank: Projection<Account> = {
  name: 'bank',
  version: 1,
  description: 'Accounts and a daily interest',
  eventTypes: ['Opened', 'InterestDay'],
  collections: [{ name: 'accounts', indexes: [] }],
  touches: (event) => (event.type === 'InterestDay' ? [{ collection: 'accounts', where: {} }] : event.type === 'Opened' ? [{ collection: 'accounts', id: String(event.data.id) }] : []),
  evolve: (current, event, ref) =>
    event.type === 'Opened' ? { id: ref.id, balance: 0, interestDays: 0 } : { ...current!, balance: current!.balance + 1, interestDays: current!.interestDays + 1 },
};

const log = (accounts: number): RecordedEvent[] =>
  recorded([
    ...Array.from({ length: accounts }, (_, i) => ({ type: 'Opened', data: { id: `a-${i}` }, streamName: `account-a-${i}` })),
    { type: 'InterestDay', data: {}, streamName: 'calendar' },
    { type: 'Opened', data: { id: 'late' }, streamName: 'account-late' },
    { type: 'InterestDay', data: {}, streamName: 'calendar' },
  ]);

/** A store whose n-th commit fails, as a crash part-way through a chunked event would. */
const failingOnCommit = (inner: ReadStore, n: number): ReadStore & { commits: number } => {
  const wrapper = Object.create(inner) as ReadStore & { commits: number };
  wrapper.commits = 0;
  wrapper.commit = async (target: Target, writes: readonly DocWrite[], checkpoint: bigint, failure: ProjectionFailure | null) => {
    wrapper.commits += 1;
    if (wrapper.commits === n) throw new Error('disk went away');
    return inner.commit(target, writes, checkpoint, failure);
  };
  return wrapper;
};

describe('ProjectionWorker: an event that selects documents by filter', () => {
  let store: SqliteReadStore;
  let target: Target;
  beforeEach(async () => {
    store = new SqliteReadStore({ filename: ':memory:' });
    target = { projection: 'bank', generation: await store.prepareGeneration('bank', 1, bank.collections, true) };
  });
  afterEach(async () => store.close());

  const balances = async () => Object.fromEntries((await store.find<Account>(target, 'accounts')).map((a) => [a.id, a.interestDays]));

  it.each([
    ['in chunks of 2', 2],
    ['with the events around it, when few enough', 100],
  ])('reaches every selected document once, %s, and only those that existed when it came', async (_how, chunk) => {
    const events = log(5);
    const commits: bigint[] = [];
    const counting = Object.create(store) as ReadStore;
    counting.commit = async (t, writes, checkpoint, failure) => {
      commits.push(checkpoint);
      return store.commit(t, writes, checkpoint, failure);
    };
    await new ProjectionWorker(counting, bank as never, target, -1n, () => new Date(0), 0, chunk).applyBatch(events.slice(0, 5));
    const result = await new ProjectionWorker(counting, bank as never, target, events[4]!.position, () => new Date(0), 0, chunk).applyBatch(events.slice(5));
    expect(result).toStrictEqual({ outcome: 'committed', applied: 3, checkpoint: events[7]!.position, failure: null });
    const [opened, day1, late, day2] = [4, 5, 6, 7].map((i) => events[i]!.position);
    // Chunks of 2: each day's accounts in 3 chunks, the checkpoint before the day until its last; the late opening
    // is committed before the second day selects. Few enough: one commit per batch.
    expect(commits).toStrictEqual(chunk === 2 ? [opened, opened, opened, day1, late, late, late, day2] : [opened, day2]);
    expect(await balances()).toStrictEqual({ 'a-0': 2, 'a-1': 2, 'a-2': 2, 'a-3': 2, 'a-4': 2, late: 1 });
  });

  it('keeps the checkpoint before the event until its last chunk, so a restart part-way counts nothing twice', async () => {
    const events = log(5);
    const interest = events[5]!;
    // The openings are stored; then chunk 1 and chunk 2 of the interest day commit, and chunk 3 fails.
    await new ProjectionWorker(store, bank as never, target, -1n, () => new Date(0), 0, 2).applyBatch(events.slice(0, 5));
    const flaky = failingOnCommit(store, 3);
    await expect(new ProjectionWorker(flaky, bank as never, target, events[4]!.position, () => new Date(0), 0, 2).applyBatch(events.slice(5))).rejects.toThrow('disk went away');
    const checkpoint = (await store.checkpoint(target)).position;
    expect(checkpoint).toBe(interest.position - 1n);
    expect(await balances()).toStrictEqual({ 'a-0': 1, 'a-1': 1, 'a-2': 1, 'a-3': 1, 'a-4': 0 });

    const restarted = new ProjectionWorker(store, bank as never, target, checkpoint, () => new Date(0), 0, 2);
    await restarted.applyBatch(events.filter((event) => event.position > checkpoint));
    expect(await balances()).toStrictEqual({ 'a-0': 2, 'a-1': 2, 'a-2': 2, 'a-3': 2, 'a-4': 2, late: 1 });
    expect((await store.checkpoint(target)).position).toBe(events[events.length - 1]!.position);
  });

  it('stops at the event with its error when a selected document cannot take it, the checkpoint before it', async () => {
    const throwing: Projection<Account> = { ...bank, evolve: (current, event, ref) => (event.type === 'InterestDay' && ref.id === 'a-3' ? (() => { throw new Error('frozen account'); })() : bank.evolve(current, event, ref, { get: () => null })) };
    const events = log(5);
    const result = await new ProjectionWorker(store, throwing as never, target, -1n, () => new Date(0), 0, 2).applyBatch(events);
    expect(result.failure).toMatchObject({ position: events[5]!.position.toString(), eventType: 'InterestDay', message: 'frozen account' });
    expect(result.checkpoint).toBe(events[4]!.position);
    expect((await store.checkpoint(target)).failure?.message).toBe('frozen account');
  });

  it('stops at the event that changed a document whose settling throws, having committed only the events before it', async () => {
    // Settling throws for account "bad", which the third event opens; the events after it in the batch are not kept.
    const settling: Projection<Account> = {
      ...bank,
      settle: (doc) => {
        if (doc.id === 'bad') throw new Error('cannot settle bad');
        return doc;
      },
    };
    const events = recorded([
      { type: 'Opened', data: { id: 'a' }, streamName: 'account-a' },
      { type: 'Opened', data: { id: 'b' }, streamName: 'account-b' },
      { type: 'Opened', data: { id: 'bad' }, streamName: 'account-bad' },
      { type: 'Opened', data: { id: 'c' }, streamName: 'account-c' },
    ]);
    const result = await new ProjectionWorker(store, settling as never, target, -1n, () => new Date(0), 100, 100).applyBatch(events);
    expect(result.failure).toMatchObject({ position: events[2]!.position.toString(), eventType: 'Opened', streamName: 'account-bad', message: 'cannot settle bad' });
    expect(result.checkpoint).toBe(events[1]!.position);
    expect(await balances()).toStrictEqual({ a: 0, b: 0 });
    expect((await store.checkpoint(target))).toMatchObject({ position: events[1]!.position, failure: { message: 'cannot settle bad' } });
  });
});

interface Ledger extends Doc {
  readonly entries: readonly { readonly day: string; readonly amount: number }[];
}

interface DayTotal extends Doc {
  readonly day: string;
  readonly total: number;
}

/** A ledger per account; each day of it derives a row with that day's total, and a row with the account's total. */
const ledgers: Projection<Ledger | DayTotal> = {
  name: 'ledgers',
  version: 1,
  description: 'Ledgers and their daily totals',
  eventTypes: ['Booked'],
  collections: [
    { name: 'ledgers', indexes: [] },
    { name: 'days', indexes: [{ name: 'by_day', fields: [['day', 1]] }], derived: true },
  ],
  touches: (event) => [{ collection: 'ledgers', id: String(event.data.account) }],
  evolve: (current, event, ref) => ({ id: ref.id, entries: [...((current as Ledger | null)?.entries ?? []), { day: String(event.data.day), amount: Number(event.data.amount) }] }),
  derive: (derivedFrom) => {
    const doc = derivedFrom as Ledger;
    const days = new Map<string, number>();
    for (const entry of doc.entries) days.set(entry.day, (days.get(entry.day) ?? 0) + entry.amount);
    return [
      ...[...days].map(([day, total]) => ({ collection: 'days', doc: { id: `${doc.id}:${day}`, day, total } })),
      { collection: 'days', doc: { id: `${doc.id}:all`, day: 'all', total: doc.entries.reduce((sum, entry) => sum + entry.amount, 0) } },
    ];
  },
};

describe('ProjectionWorker: derived documents', () => {
  let store: SqliteReadStore;
  let target: Target;
  beforeEach(async () => {
    store = new SqliteReadStore({ filename: ':memory:' });
    target = { projection: 'ledgers', generation: await store.prepareGeneration('ledgers', 1, ledgers.collections, true) };
  });
  afterEach(async () => store.close());

  const booked = (entries: readonly [string, string, number][]) =>
    recorded(entries.map(([account, day, amount]) => ({ type: 'Booked', data: { account, day, amount }, streamName: `ledger-${account}` })));

  it('writes only the derived documents whose content a batch changed; the others keep their content and position', async () => {
    const events = booked([
      ['a', 'd1', 5],
      ['a', 'd2', 7],
      ['a', 'd3', 1],
      ['b', 'd1', 2],
      ['a', 'd3', 0],
    ]);
    const worker = new ProjectionWorker(store, ledgers, target, -1n, () => new Date(0), 0);
    const commits = jest.spyOn(store, 'commit');
    await worker.applyBatch(events.slice(0, 2));
    await worker.applyBatch(events.slice(2, 4));
    await worker.applyBatch(events.slice(4));
    const written = commits.mock.calls.map(([, writes]) => writes.map((write) => `${write.collection}/${write.doc.id}@${write.position}`).sort());
    expect(written).toStrictEqual([
      ['days/a:all@2', 'days/a:d1@2', 'days/a:d2@2', 'ledgers/a@2'],
      // a:d1 and a:d2 derive again unchanged: not written.
      ['days/a:all@3', 'days/a:d3@3', 'days/b:all@4', 'days/b:d1@4', 'ledgers/a@3', 'ledgers/b@4'],
      // Booking 0 changes the ledger but none of its totals.
      ['ledgers/a@5'],
    ]);
    const stored = await store.load(target, 'days', ['a:d1', 'a:d3', 'a:all']);
    expect(Object.fromEntries([...stored].map(([id, doc]) => [id, doc]))).toStrictEqual({
      'a:d1': { doc: { id: 'a:d1', day: 'd1', total: 5 }, position: 2n },
      'a:d3': { doc: { id: 'a:d3', day: 'd3', total: 1 }, position: 3n },
      'a:all': { doc: { id: 'a:all', day: 'all', total: 13 }, position: 3n },
    });
  });

  it('stops the projection at an event whose document derives into a collection not declared derived', async () => {
    const undeclared: Projection<Ledger | DayTotal> = { ...ledgers, collections: [{ name: 'ledgers', indexes: [] }, { name: 'days', indexes: [] }] };
    const other = { projection: 'undeclared', generation: await store.prepareGeneration('undeclared', 1, undeclared.collections, true) };
    const worker = new ProjectionWorker(store, { ...undeclared, name: 'undeclared' }, other, -1n, () => new Date(0), 0);
    const result = await worker.applyBatch(booked([['a', 'd1', 5]]));
    expect(result.failure?.message).toBe('undeclared derives document days/a:d1, but collection days is not declared derived');
    expect(result.failure?.position).toBe('1');
    expect(await store.find(other, 'days')).toStrictEqual([]);
  });
});
