import type { RecordedEvent } from '#event-store';
import { num, object, text } from '#shared-kernel';
import { docsOf, projectInMemory } from './apply-events';
import { typedProjection } from './projection';

type Deposited = { readonly type: 'Deposited'; readonly data: { readonly accountId: string; readonly amount: number } };
type Closed = { readonly type: 'Closed'; readonly data: { readonly accountId: string } };
interface Account {
  readonly id: string;
  readonly balance: number;
  readonly closed: boolean;
}

const event = (position: number, type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e-${position}`,
  streamName: `account-${String(data.accountId)}`,
  revision: 0n,
  position: BigInt(position),
  type,
  data,
  metadata: { actor: { id: 'a', role: 'admin' }, correlationId: 'c', causationId: 'c', commandId: 'c', occurredAt: '2024-01-01T00:00:00.000Z' } as never,
});

/** A bank of accounts whose shapes count how often they check an event. */
const bank = () => {
  const checks = { Deposited: 0, Closed: 0 };
  const deposited = object({ accountId: text, amount: num });
  const closed = object({ accountId: text });
  const shapes = {
    Deposited: (value: unknown, path: string) => ((checks.Deposited += 1), deposited(value, path)),
    Closed: (value: unknown, path: string) => ((checks.Closed += 1), closed(value, path)),
  };
  const projection = typedProjection<Account, Deposited | Closed>(shapes, {
    name: 'accounts',
    version: 1,
    description: 'balances',
    eventTypes: ['Deposited', 'Closed'],
    collections: [{ name: 'accounts', indexes: [] }],
    touches: (e) => [{ collection: 'accounts', id: e.data.accountId }],
    reads: (e) => (e.type === 'Closed' ? [{ collection: 'accounts', id: e.data.accountId }] : []),
    evolve: (current, e, ref) => {
      const account = current ?? { id: ref.id, balance: 0, closed: false };
      return e.type === 'Deposited' ? { ...account, balance: account.balance + e.data.amount } : { ...account, closed: true };
    },
  });
  return { projection, checks };
};

describe('a projection written against typed events', () => {
  it('hands each event of a handled type to the typed projection, checking its data once however often it is read', () => {
    const { projection, checks } = bank();
    const working = projectInMemory(projection, [event(1, 'Deposited', { accountId: 'a-1', amount: 5 }), event(2, 'Deposited', { accountId: 'a-1', amount: 7 }), event(3, 'Closed', { accountId: 'a-1' })]);
    expect(docsOf(working, 'accounts').get('a-1')).toStrictEqual({ id: 'a-1', balance: 12, closed: true });
    // touches, reads and evolve each saw every event; each was checked once.
    expect(checks).toStrictEqual({ Deposited: 2, Closed: 1 });
  });

  it('an event of another type touches nothing and is never checked', () => {
    const { projection, checks } = bank();
    expect(projection.touches(event(4, 'Renamed', { accountId: 7 }))).toStrictEqual([]);
    expect(projection.reads!(event(4, 'Renamed', { accountId: 7 }))).toStrictEqual([]);
    expect(checks).toStrictEqual({ Deposited: 0, Closed: 0 });
    expect(() => projection.evolve(null, event(4, 'Renamed', {}), { collection: 'accounts', id: 'a-1' }, { get: () => null })).toThrow(
      new Error('Renamed at position 4 is not an event accounts handles'),
    );
  });

  it('stops at an event whose data does not fit its type, naming the event, its position and the field', () => {
    const { projection } = bank();
    const events = [event(1, 'Deposited', { accountId: 'a-1', amount: 5 }), event(2, 'Deposited', { accountId: 'a-1', amount: '7' })];
    expect(() => projectInMemory(projection, events)).toThrow(new Error('Deposited at position 2: amount is not a number'));
    expect(() => projectInMemory(projection, [event(9, 'Closed', { accountId: '' })])).toThrow(new Error('Closed at position 9: accountId is not a non-empty string'));
  });

  it('refuses to be built for an event type it has no shape for', () => {
    expect(() =>
      typedProjection<Account, Deposited>({ Deposited: object({ accountId: text, amount: num }) }, {
        name: 'accounts',
        version: 1,
        description: 'balances',
        eventTypes: ['Deposited', 'Withdrawn' as 'Deposited'],
        collections: [],
        touches: () => [],
        evolve: (current) => current!,
      }),
    ).toThrow(new Error('accounts handles Withdrawn but has no shape for it'));
  });
});
