import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { UpcasterChain, withUpcasting } from './upcasting';

describe('upcasting on read', () => {
  const chain = new UpcasterChain([
    { type: 'VisitRecorded', fromVersion: 1, upcast: (d) => ({ ...d, channel: d.channel ?? 'phone' }) },
    { type: 'VisitRecorded', fromVersion: 2, upcast: (d) => ({ ...d, level: d.level ?? 1 }) },
  ]);
  const metadata = (schemaVersion: number) => ({
    commandId: 'c',
    correlationId: 'c',
    causationId: 'c',
    actor: { id: 'rep-1', role: 'rep' as const },
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion,
  });

  it('brings old events to the current shape one version at a time, in streams, $all and subscriptions', async () => {
    const raw = new SqliteEventStore({ filename: ':memory:' });
    const store = withUpcasting(raw, chain);
    await store.append('customer-1', [{ id: '00000000-0000-4000-8000-000000000001', type: 'VisitRecorded', data: { visitId: 'v1' }, metadata: metadata(1) }], 'no_stream');
    await store.append('customer-1', [{ id: '00000000-0000-4000-8000-000000000002', type: 'VisitRecorded', data: { visitId: 'v2', channel: 'email', level: 2 }, metadata: metadata(3) }], 0n);
    const [old, current] = await store.readStream('customer-1');
    expect(old!.data).toEqual({ visitId: 'v1', channel: 'phone', level: 1 });
    expect(old!.metadata.schemaVersion).toBe(3);
    expect(current!.data).toEqual({ visitId: 'v2', channel: 'email', level: 2 });
    expect((await store.readAll())[0]!.data).toEqual(old!.data);
    expect((await store.readStreams!(['customer-1']))[0]!.map((e) => e.data)).toStrictEqual([old!.data, current!.data]);
    const subscription = store.subscribeToAll();
    for await (const event of subscription) {
      expect(event.data).toEqual(old!.data);
      break;
    }
    await subscription.close();
    expect((await raw.readStream('customer-1'))[0]!.data).toEqual({ visitId: 'v1' });
    await store.close();
  });

  it('refuses two upcasters for the same type and version', () => {
    expect(() => new UpcasterChain([
      { type: 'T', fromVersion: 1, upcast: (d) => ({ ...d }) },
      { type: 'T', fromVersion: 1, upcast: (d) => ({ ...d }) },
    ])).toThrow('Two upcasters for T@1');
  });
});
