import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandContext, ConcurrencyConflict, DomainError, RuleViolation } from '#shared-kernel';
import { CommandExecutor, type CommandOutcome, StreamDecider } from './command-executor';
import type { EventStore } from './event-store.port';
import { WrongExpectedRevisionError } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { withAppend } from '#testing';

type Added = { type: 'Added'; data: { by: number } };
const counter: StreamDecider<{ add: number; max?: number }, Added, number> = {
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) =>
    command.max !== undefined && total + command.add > command.max
      ? new DomainError('OVER_MAX', `total ${total} + ${command.add} exceeds ${command.max}`)
      : [{ type: 'Added', data: { by: command.add } }],
};

let n = 0;
const context = (over: Partial<CommandContext> = {}): CommandContext => ({
  commandId: `cmd-${(n += 1)}`,
  correlationId: 'corr',
  causationId: 'cause',
  actor: { id: 'u', role: 'manager' },
  occurredAt: '2026-03-10T00:00:00.000Z',
  businessDate: '2026-03-10',
  requestHash: 'h',
  idempotent: false,
  ...over,
});

describe('CommandExecutor', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(async () => store.close());

  it('decides on state that includes events appended by someone else since it was cached', async () => {
    const executor = new CommandExecutor(store, 3);
    await executor.execute({ streamName: 'counter-1', decider: counter, command: { add: 5 }, context: context() });
    await store.append('counter-1', [{ id: '00000000-0000-4000-8000-0000000000aa', type: 'Added', data: { by: 4 }, metadata: { ...context(), schemaVersion: 1 } }], 0n);
    await expect(
      executor.execute({ streamName: 'counter-1', decider: counter, command: { add: 2, max: 10 }, context: context() }),
    ).rejects.toThrow(RuleViolation);
    const outcome = await executor.execute({ streamName: 'counter-1', decider: counter, command: { add: 1, max: 10 }, context: context() });
    expect(outcome.events).toEqual([{ type: 'Added', revision: '2' }]);
  });

  it('reads nothing for a stream the store knows has not moved, and reads again once another writer wrote to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'executor-known-'));
    const file = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
    try {
      const executor = new CommandExecutor(file, 3);
      await executor.execute({ streamName: 'counter-1', decider: counter, command: { add: 5 }, context: context() });
      const reads = jest.spyOn(file, 'readStream');
      await executor.execute({ streamName: 'counter-1', decider: counter, command: { add: 1 }, context: context() });
      expect(reads).not.toHaveBeenCalled();
      const other = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
      await other.append('counter-1', [{ id: '00000000-0000-4000-8000-0000000000bb', type: 'Added', data: { by: 3 }, metadata: { ...context(), schemaVersion: 1 } }], 1n);
      await other.close();
      await expect(executor.execute({ streamName: 'counter-1', decider: counter, command: { add: 2, max: 10 }, context: context() })).rejects.toThrow('total 9 + 2 exceeds 10');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      await file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs concurrent commands to one stream one after another, each on the state the one before left, without a conflict', async () => {
    const observer = { retried: jest.fn(), conflicted: jest.fn() };
    // No retry allowed: any conflict would fail a command.
    const executor = new CommandExecutor(store, 0, 10_000, observer);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => executor.execute({ streamName: 'counter-9', decider: counter, command: { add: 1, max: 10 }, context: context() })),
    );
    // Ten fit under the maximum, in order; the last two see a total of 10 and are refused by the rule.
    expect(outcomes.slice(0, 10).map((o) => (o as PromiseFulfilledResult<CommandOutcome>).value.events[0]!.revision)).toStrictEqual(
      Array.from({ length: 10 }, (_, i) => String(i)),
    );
    expect(outcomes.slice(10).map((o) => (o as PromiseRejectedResult).reason)).toStrictEqual([expect.any(RuleViolation), expect.any(RuleViolation)]);
    expect((outcomes[10] as PromiseRejectedResult).reason.message).toBe('total 10 + 1 exceeds 10');
    expect(observer.retried).not.toHaveBeenCalled();
    expect(observer.conflicted).not.toHaveBeenCalled();
  });

  it('does not hold a command to one stream behind a command to another', async () => {
    const executor = new CommandExecutor(store, 3);
    let releaseA!: () => void;
    const heldA = new Promise<void>((resolve) => (releaseA = resolve));
    const a = executor.execute({ streamName: 'counter-a', decider: counter, command: { add: 1 }, context: context(), beforeAppend: () => heldA });
    const b = await executor.execute({ streamName: 'counter-b', decider: counter, command: { add: 2 }, context: context() });
    expect(b.events).toStrictEqual([{ type: 'Added', revision: '0' }]);
    releaseA();
    expect((await a).events).toStrictEqual([{ type: 'Added', revision: '0' }]);
  });

  it('replays an idempotent command from the log even in a fresh executor (nothing cached)', async () => {
    const key = context({ commandId: 'idem-1', idempotent: true });
    const first = await new CommandExecutor(store, 3).execute({ streamName: 'counter-2', decider: counter, command: { add: 1 }, context: key });
    const again = await new CommandExecutor(store, 3).execute({ streamName: 'counter-2', decider: counter, command: { add: 1 }, context: key });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.readStream('counter-2')).toHaveLength(1);
    await expect(
      new CommandExecutor(store, 3).execute({ streamName: 'counter-2', decider: counter, command: { add: 1 }, context: { ...key, requestHash: 'other' } }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses one key for two different requests on two streams, also when they race, storing only the first', async () => {
    const executor = new CommandExecutor(store, 3);
    const results = await Promise.allSettled([
      executor.execute({ streamName: 'counter-a', decider: counter, command: { add: 1 }, context: context({ commandId: 'idem-race', idempotent: true, requestHash: 'a' }) }),
      executor.execute({ streamName: 'counter-b', decider: counter, command: { add: 2 }, context: context({ commandId: 'idem-race', idempotent: true, requestHash: 'b' }) }),
    ]);
    expect(results.map((r) => r.status).sort()).toStrictEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as RuleViolation;
    expect([refused.code, refused.message]).toStrictEqual([
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request; use a new key for a new request',
    ]);
    const stored = [...(await store.readStream('counter-a')), ...(await store.readStream('counter-b'))];
    expect(stored).toHaveLength(1);
    const [claim] = await store.readStream('idempotencyKey-idem-race');
    expect(claim!.data).toStrictEqual({ streamName: stored[0]!.streamName, requestHash: stored[0]!.streamName === 'counter-a' ? 'a' : 'b' });
    // The request that won is still answered as a replay; the other still refused.
    const winner = stored[0]!.streamName === 'counter-a' ? { s: 'counter-a', add: 1, h: 'a' } : { s: 'counter-b', add: 2, h: 'b' };
    const replay = await executor.execute({ streamName: winner.s, decider: counter, command: { add: winner.add }, context: context({ commandId: 'idem-race', idempotent: true, requestHash: winner.h }) });
    expect(replay.replayed).toBe(true);
  });

  it('retries a conflicting append on fresh state, then gives up with a conflict', async () => {
    let conflicts = 2;
    const flaky: EventStore = withAppend(store, async (name, events, expected) => {
      if (conflicts > 0) {
        conflicts -= 1;
        throw new WrongExpectedRevisionError(name, expected, 99n);
      }
      return store.append(name, events, expected);
    });
    const told: string[] = [];
    const observer = { retried: (stream: string) => told.push(`retried ${stream}`), conflicted: (stream: string) => told.push(`conflicted ${stream}`) };
    const outcome = await new CommandExecutor(flaky, 3, undefined, observer).execute({ streamName: 'counter-3', decider: counter, command: { add: 1 }, context: context() });
    expect(outcome.events).toHaveLength(1);
    expect(told).toStrictEqual(['retried counter-3', 'retried counter-3']);
    conflicts = 10;
    told.length = 0;
    await expect(
      new CommandExecutor(flaky, 3, undefined, observer).execute({ streamName: 'counter-3', decider: counter, command: { add: 1 }, context: context() }),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(conflicts).toBe(6);
    // Three retries, then the fourth conflict gives up.
    expect(told).toStrictEqual(['retried counter-3', 'retried counter-3', 'retried counter-3', 'conflicted counter-3']);
  });

  it('keeps the cache bounded', async () => {
    const executor = new CommandExecutor(store, 3, 2);
    for (const id of ['a', 'b', 'c']) await executor.execute({ streamName: `counter-${id}`, decider: counter, command: { add: 1 }, context: context() });
    expect((executor as unknown as { snapshots: Map<string, unknown> }).snapshots.size).toBe(2);
  });
});
