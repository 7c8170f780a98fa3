import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { AppendOutcomeUnknownError, AppendTooLargeError, EventStoreUnavailableError, type AppendRequest } from '../event-store.port';
import { KurrentDbEventStore, READ_PAGE } from './kurrentdb-event-store';
import { type KurrentPosition, type KurrentRecordedEventLike, toPortPosition } from './kurrentdb-mapping';

/**
 * The adapter's own logic (paging, retries, refusals, the version check) against a stand-in for the official
 * client: no server runs here, so what the server does is what the client's types and sources say it does.
 */

/** A resolved event as the client yields it from a read of $all. */
interface FakeEvent {
  readonly event: KurrentRecordedEventLike & { readonly position: KurrentPosition };
}

const metadata = {
  commandId: 'c',
  correlationId: 'c',
  causationId: 'c',
  actor: { id: 'platform', role: 'platform' as const },
  occurredAt: '2026-03-01T00:00:00.000Z',
  schemaVersion: 1,
};

/** A log of `count` events, every other one of type B, at commit positions 10, 20, 30… */
const log = (count: number): FakeEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    event: {
      streamId: `s-${i}`,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      revision: 0n,
      type: i % 2 === 0 ? 'A' : 'B',
      created: new Date(0),
      isJson: true,
      data: { n: i },
      metadata,
      position: { commit: BigInt((i + 1) * 10), prepare: BigInt((i + 1) * 10) },
    },
  }));

const fakeClient = (events: readonly FakeEvent[] = [], serverVersion = '25.1.0.2187') => {
  const reads: { fromPosition: unknown; maxCount?: bigint; direction: unknown }[] = [];
  const client = {
    reads,
    capabilities: Promise.resolve({ serverVersion }),
    readAll: jest.fn((options: { fromPosition: unknown; maxCount?: bigint; direction: unknown }) => {
      reads.push(options);
      const backwards = String(options.direction).toLowerCase().includes('back');
      const from = typeof options.fromPosition === 'object' ? (options.fromPosition as { commit: bigint }).commit : undefined;
      const ordered = backwards ? [...events].reverse() : events;
      const start = from === undefined ? ordered : ordered.filter((e) => e.event.position.commit >= from);
      const limited = options.maxCount === undefined ? start : start.slice(0, Number(options.maxCount));
      return (async function* () {
        yield* limited;
      })();
    }),
    appendToStream: jest.fn(),
    multiStreamAppend: jest.fn(),
    readStream: jest.fn(() => (async function* () {})()),
    dispose: jest.fn(async () => undefined),
  };
  return client;
};

const storeWith = (client: ReturnType<typeof fakeClient>, url = 'kurrentdb://db:2113?tls=false', options: { maxAppendBytes?: number } = {}) => {
  jest.spyOn(KurrentDBClient, 'connectionString').mockReturnValue(client as unknown as KurrentDBClient);
  return KurrentDbEventStore.connect({ url, ...options });
};

const request = (streamName: string, n: number): AppendRequest => ({
  streamName,
  expected: 'no_stream',
  events: [{ id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`, type: 'DailyUsageReported', data: { n }, metadata }],
});

afterEach(() => jest.restoreAllMocks());

describe('KurrentDbEventStore (against a stand-in for the client)', () => {
  it('refuses to start on a server older than KurrentDB 25.1, naming its version, and closes the client', async () => {
    const old = fakeClient(log(1), '24.10.0');
    await expect(storeWith(old)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(storeWith(old)).rejects.toThrow(/is version 24\.10\.0; this service needs KurrentDB 25\.1 or later/);
    expect(old.dispose).toHaveBeenCalled();
    await expect(storeWith(fakeClient(log(1), '25.1.0.2187'))).resolves.toBeInstanceOf(KurrentDbEventStore);
  });

  it('refuses a connection string that would turn append failures off, before any client exists', async () => {
    const spy = jest.spyOn(KurrentDBClient, 'connectionString');
    await expect(KurrentDbEventStore.connect({ url: 'kurrentdb://db:2113?throwOnAppendFailure=false' })).rejects.toThrow(/must not set throwOnAppendFailure=false/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('reads the head as one event, backwards', async () => {
    const client = fakeClient(log(5));
    const store = await storeWith(client);
    client.reads.length = 0;
    expect(await store.headPosition()).toBe(toPortPosition({ commit: 50n, prepare: 50n }));
    expect(client.reads).toHaveLength(1);
    expect(client.reads[0]!.maxCount).toBe(1n);
  });

  it('reads the log in bounded pages until maxCount events matched, skipping the position it starts after', async () => {
    const client = fakeClient(log(20));
    const store = await storeWith(client);
    client.reads.length = 0;
    // Type B only: the server's prefix filter is this stand-in's "no filter", so the adapter filters exactly.
    const after = toPortPosition({ commit: 20n, prepare: 20n });
    const events = await store.readAll({ after, maxCount: 3, filter: { eventTypes: ['B'] } });
    expect(events.map((e) => e.data.n)).toStrictEqual([3, 5, 7]);
    for (const read of client.reads) expect(read.maxCount! <= BigInt(READ_PAGE + 1)).toBe(true);
    // Asked for 3 (+1 for the inclusive start), got 4 of which 1 matched; then on from the last seen, and so on.
    expect(client.reads.map((read) => read.maxCount)).toStrictEqual([4n, 3n, 2n]);
  });

  it('reads a whole log a page at a time and ends on a short page', async () => {
    const count = READ_PAGE * 2 + 10;
    const client = fakeClient(log(count));
    const store = await storeWith(client);
    client.reads.length = 0;
    const events = await store.readAll();
    expect(events).toHaveLength(count);
    expect(events[count - 1]!.data.n).toBe(count - 1);
    expect(client.reads.map((read) => read.maxCount)).toStrictEqual([BigInt(READ_PAGE), BigInt(READ_PAGE + 1), BigInt(READ_PAGE + 1)]);
  });

  it('sends a batch as one multi-stream append, and refuses too large a batch or names equal but for case, sending nothing', async () => {
    const client = fakeClient(log(1));
    client.multiStreamAppend.mockResolvedValue({ position: 1n, responses: [0, 1, 2].map((i) => ({ streamName: `usage-c-${i}.2026-03-01`, revision: 0n })) });
    const store = await storeWith(client, 'kurrentdb://db:2113', { maxAppendBytes: 10_000 });
    const batch = [0, 1, 2].map((i) => request(`usage-c-${i}.2026-03-01`, i));
    expect(await store.appendMany(batch)).toStrictEqual([0, 1, 2].map(() => ({ nextExpectedRevision: 0n })));
    expect(client.multiStreamAppend).toHaveBeenCalledTimes(1);
    expect((client.multiStreamAppend.mock.calls[0]![0] as unknown[]).length).toBe(3);

    const large = Array.from({ length: 100 }, (_, i) => request(`usage-c-${i}.2026-03-02`, i));
    await expect(store.appendMany(large)).rejects.toBeInstanceOf(AppendTooLargeError);
    await expect(store.appendMany([request('usage-C-1.2026-03-01', 1), request('usage-c-1.2026-03-01', 2)])).rejects.toThrow(/differ only in case/);
    expect(client.multiStreamAppend).toHaveBeenCalledTimes(1);
  });

  it('sends an append once more after a not-leader answer, and only once', async () => {
    const client = fakeClient(log(1));
    client.appendToStream.mockRejectedValueOnce({ type: 'not-leader', message: 'not leader' }).mockResolvedValueOnce({ nextExpectedRevision: 0n, position: { commit: 60n, prepare: 60n } });
    const store = await storeWith(client);
    expect(await store.append('customer-1', request('customer-1', 1).events, 'no_stream')).toStrictEqual({
      nextExpectedRevision: 0n,
      position: toPortPosition({ commit: 60n, prepare: 60n }),
    });
    expect(client.appendToStream).toHaveBeenCalledTimes(2);
    const notLeader = { type: 'not-leader', message: 'not leader' };
    client.appendToStream.mockRejectedValueOnce(notLeader).mockRejectedValueOnce(notLeader);
    // A second not-leader in a row is the cluster in an election: 503, retry later.
    await expect(store.append('customer-1', request('customer-1', 2).events, 0n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(client.appendToStream).toHaveBeenCalledTimes(4);
  });

  it('reports an append whose outcome is unknown as such, for single and multi-stream appends', async () => {
    const client = fakeClient(log(1));
    client.appendToStream.mockRejectedValueOnce({ type: 'deadline-exceeded', message: 'Deadline exceeded' });
    client.multiStreamAppend.mockRejectedValueOnce(Object.assign(new Error('13 INTERNAL: boom'), { code: 13, details: 'boom', metadata: { getMap: () => ({}) } }));
    const store = await storeWith(client);
    await expect(store.append('customer-1', request('customer-1', 1).events, 'no_stream')).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
    await expect(store.appendMany([request('usage-c-1.2026-03-01', 1)])).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
  });
});
