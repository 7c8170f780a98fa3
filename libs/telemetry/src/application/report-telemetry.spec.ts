import { EventStore, EventToAppend, SqliteEventStore, streamName } from '#event-store';
import { type CommandContext, ConcurrencyConflict } from '#shared-kernel';
import type { DailySpend } from '../domain/telemetry';
import { ReportTelemetry, ReportTelemetryHandler } from './report-telemetry';

const context = (n: number): CommandContext => ({
  commandId: `cmd-${n}`,
  correlationId: `cmd-${n}`,
  causationId: `cmd-${n}`,
  actor: { id: 'platform', role: 'platform' },
  occurredAt: '2026-03-09T02:00:00.000Z',
  businessDate: '2026-03-09',
  requestHash: 'h',
  idempotent: false,
});

const spend = (customerId: string, spendFen: number): DailySpend => ({ customerId, day: '2026-03-08', spendFen, clicks: 10, activeKeywords: 5 });

const signed = (customerId: string): EventToAppend => ({
  id: `${customerId}-signed`,
  type: 'CustomerSigned',
  data: { customerId },
  metadata: { ...context(0), schemaVersion: 1 },
});

/** A store whose `appendMany` first lets another writer report one of the batch's customer-days. */
const withInterloper = (store: EventStore, times: number): EventStore => {
  let left = times;
  return new Proxy(store, {
    get(target, property) {
      if (property !== 'appendMany') return Reflect.get(target, property).bind(target);
      return async (requests: Parameters<EventStore['appendMany']>[0]) => {
        if (left > 0) {
          left -= 1;
          const first = requests[0]!;
          const [latest] = await target.readStream(first.streamName, { direction: 'backwards', maxCount: 1 });
          // A different value each time, so the batch's record must correct it.
          const data = { ...first.events[0]!.data, spendFen: 1 + left, previous: undefined };
          await target.append(first.streamName, [{ ...first.events[0]!, type: 'DailySpendReported', data, id: `interloper-${left}` }], latest ? latest.revision : 'no_stream');
        }
        return target.appendMany(requests);
      };
    },
  });
};

describe('ReportTelemetry: one batch, written all or nothing', () => {
  let store: SqliteEventStore;
  const spendStreams = async () => (await store.readAll({ filter: { streamNamePrefixes: ['spend-'] } })).map((e) => [e.streamName, e.type, e.data.spendFen]);

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    for (const id of ['c-1', 'c-2', 'c-3']) await store.append(streamName('customer', id), [signed(id)], 'no_stream');
  });
  afterEach(async () => store.close());

  it('decides again from what is stored when another writer reported one of its customer-days in between', async () => {
    const handler = new ReportTelemetryHandler(withInterloper(store, 1));
    const result = await handler.execute(new ReportTelemetry({ kind: 'spend', records: [spend('c-1', 100), spend('c-2', 200)] }, context(1)));
    // The interloper reported c-1 first (1 fen), so on the second try the batch's c-1 record replaces it.
    expect(result).toEqual({ received: 2, recorded: 1, corrected: 1, unchanged: 0 });
    expect(await spendStreams()).toEqual([
      ['spend-c-1.2026-03-08', 'DailySpendReported', 1],
      ['spend-c-1.2026-03-08', 'DailySpendCorrected', 100],
      ['spend-c-2.2026-03-08', 'DailySpendReported', 200],
    ]);
  });

  it('stores nothing of the batch and answers a conflict when the customer-days keep changing', async () => {
    const handler = new ReportTelemetryHandler(withInterloper(store, 10));
    const attempt = handler.execute(new ReportTelemetry({ kind: 'spend', records: [spend('c-1', 100), spend('c-2', 200), spend('c-3', 300)] }, context(2)));
    await expect(attempt).rejects.toThrow(ConcurrencyConflict);
    // Only the interloper's writes are stored (one per attempt); none of the batch's own events.
    const written = await store.readAll({ filter: { streamNamePrefixes: ['spend-'] } });
    expect(written).toHaveLength(4);
    expect(written.every((e) => e.id.startsWith('interloper-'))).toBe(true);
  });

  it('lets a failure of the store itself through, having written nothing', async () => {
    const failing = new Proxy(store, {
      get: (target, property) =>
        property === 'appendMany' ? async () => Promise.reject(new Error('disk full')) : Reflect.get(target, property).bind(target),
    });
    const handler = new ReportTelemetryHandler(failing);
    await expect(handler.execute(new ReportTelemetry({ kind: 'spend', records: [spend('c-1', 100)] }, context(3)))).rejects.toThrow('disk full');
    expect(await spendStreams()).toEqual([]);
  });

  it.each([
    ['reads all streams in one call where the store can', (store: SqliteEventStore): EventStore => store],
    [
      'reads stream by stream where it cannot (KurrentDB)',
      (store: SqliteEventStore): EventStore =>
        new Proxy(store, { get: (target, property) => (property === 'readStreams' ? undefined : Reflect.get(target, property).bind(target)) }),
    ],
  ])('%s, with the same outcome', async (_, view) => {
    const handler = new ReportTelemetryHandler(view(store));
    const unknown = handler.execute(new ReportTelemetry({ kind: 'spend', records: [spend('c-1', 1), spend('c-9', 2), spend('c-2', 3), spend('c-8', 4)] }, context(4)));
    await expect(unknown).rejects.toThrow('Batch refused, nothing stored: unknown customers at records[1] (c-9); records[3] (c-8)');
    expect(await handler.execute(new ReportTelemetry({ kind: 'spend', records: [spend('c-1', 100), spend('c-2', 200)] }, context(5)))).toStrictEqual({ received: 2, recorded: 2, corrected: 0, unchanged: 0 });
    expect(await handler.execute(new ReportTelemetry({ kind: 'spend', records: [spend('c-2', 200), spend('c-1', 150), spend('c-3', 300)] }, context(6)))).toStrictEqual({
      received: 3,
      recorded: 1,
      corrected: 1,
      unchanged: 1,
    });
    expect(await spendStreams()).toStrictEqual([
      ['spend-c-1.2026-03-08', 'DailySpendReported', 100],
      ['spend-c-2.2026-03-08', 'DailySpendReported', 200],
      ['spend-c-1.2026-03-08', 'DailySpendCorrected', 150],
      ['spend-c-3.2026-03-08', 'DailySpendReported', 300],
    ]);
  });
});
