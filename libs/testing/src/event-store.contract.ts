import { randomUUID } from 'node:crypto';
import { type EventStore, type EventToAppend, type RecordedEvent, WrongExpectedRevisionError } from '#event-store';

export interface EventStoreContractSubject {
  readonly store: EventStore;
  /** Release the store and anything it created. */
  dispose(): Promise<void>;
}

/**
 * The behaviour every event-store adapter must show. Stream names are unique per test so the suite also
 * runs against a shared server that already holds other data.
 */
export const eventStoreContract = (adapter: string, create: () => Promise<EventStoreContractSubject>): void => {
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: EventStoreContractSubject;
    let store: EventStore;
    const unique = () => randomUUID().replace(/-/g, '');
    const stream = (category = 'contract') => `${category}-${unique()}`;
    const event = (type: string, n: number, id: string = randomUUID()): EventToAppend => ({
      id,
      type,
      data: { n },
      metadata: {
        commandId: `cmd-${n}`,
        correlationId: 'corr-1',
        causationId: 'cause-1',
        actor: { id: 'rep-1', role: 'rep' },
        occurredAt: '2026-01-05T08:00:00.000Z',
        schemaVersion: 1,
      },
    });

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
    });
    afterEach(async () => subject.dispose());

    describe('append and read a stream', () => {
      it('numbers revisions from 0 and reads them back in order with data and metadata', async () => {
        const name = stream();
        const result = await store.append(name, [event('A', 1), event('B', 2)], 'no_stream');
        expect(result.nextExpectedRevision).toBe(1n);
        const read = await store.readStream(name);
        expect(read.map((e) => [e.revision, e.type, e.data])).toEqual([
          [0n, 'A', { n: 1 }],
          [1n, 'B', { n: 2 }],
        ]);
        expect(read[0]!.streamName).toBe(name);
        expect(read[0]!.metadata).toMatchObject({
          commandId: 'cmd-1',
          correlationId: 'corr-1',
          causationId: 'cause-1',
          actor: { id: 'rep-1', role: 'rep' },
          occurredAt: '2026-01-05T08:00:00.000Z',
          schemaVersion: 1,
        });
        expect(Date.parse(read[0]!.metadata.recordedAt)).not.toBeNaN();
      });

      it('reads a missing stream as empty', async () => {
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('reads backwards, from a revision, and at most maxCount', async () => {
        const name = stream();
        await store.append(name, [1, 2, 3, 4].map((n) => event('E', n)), 'any');
        const backwards = await store.readStream(name, { direction: 'backwards' });
        expect(backwards.map((e) => e.revision)).toEqual([3n, 2n, 1n, 0n]);
        const fromTwo = await store.readStream(name, { fromRevision: 2n });
        expect(fromTwo.map((e) => e.revision)).toEqual([2n, 3n]);
        const lastOne = await store.readStream(name, { direction: 'backwards', maxCount: 1 });
        expect(lastOne.map((e) => e.data)).toEqual([{ n: 4 }]);
        const backFromOne = await store.readStream(name, { direction: 'backwards', fromRevision: 1n });
        expect(backFromOne.map((e) => e.revision)).toEqual([1n, 0n]);
      });
    });

    describe('expected revision', () => {
      it('no_stream succeeds on a new stream and fails on an existing one', async () => {
        const name = stream();
        await store.append(name, [event('A', 1)], 'no_stream');
        await expect(store.append(name, [event('A', 2)], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('stream_exists fails on a new stream and succeeds on an existing one', async () => {
        const name = stream();
        await expect(store.append(name, [event('A', 1)], 'stream_exists')).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await store.append(name, [event('A', 1)], 'any');
        const result = await store.append(name, [event('A', 2)], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision succeeds only when it is the current one, and says what the actual one was', async () => {
        const name = stream();
        await store.append(name, [event('A', 1), event('A', 2)], 'no_stream');
        await store.append(name, [event('A', 3)], 1n);
        const error = await store.append(name, [event('A', 4)], 1n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).streamName).toBe(name);
        expect((error as WrongExpectedRevisionError).actual).toBe(2n);
        expect((await store.readStream(name)).length).toBe(3);
      });

      it('any always appends', async () => {
        const name = stream();
        await store.append(name, [event('A', 1)], 'any');
        const result = await store.append(name, [event('A', 2)], 'any');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('a failed append writes nothing', async () => {
        const name = stream();
        await store.append(name, [event('A', 1)], 'no_stream');
        await expect(store.append(name, [event('A', 2), event('A', 3)], 5n)).rejects.toThrow(WrongExpectedRevisionError);
        expect((await store.readStream(name)).map((e) => e.data)).toEqual([{ n: 1 }]);
      });
    });

    describe('append to several streams at once', () => {
      it('writes every request with its own expected revision and answers in request order', async () => {
        const [a, b, c] = [stream(), stream(), stream()];
        await store.append(b, [event('B', 1)], 'no_stream');
        const results = await store.appendMany([
          { streamName: a, events: [event('A', 1), event('A', 2)], expected: 'no_stream' },
          { streamName: b, events: [event('B', 2)], expected: 0n },
          { streamName: c, events: [event('C', 1)], expected: 'any' },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 1n, 0n]);
        expect((await store.readStream(a)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
        expect((await store.readStream(b)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
        const [first] = await store.readStream(c);
        expect(first!.metadata).toMatchObject({ actor: { id: 'rep-1', role: 'rep' }, schemaVersion: 1, commandId: 'cmd-1' });
      });

      it('writes nothing at all when one request has the wrong expected revision', async () => {
        const [a, b] = [stream(), stream()];
        await store.append(b, [event('B', 1)], 'no_stream');
        const head = await store.headPosition();
        await expect(
          store.appendMany([
            { streamName: a, events: [event('A', 1)], expected: 'no_stream' },
            { streamName: b, events: [event('B', 2)], expected: 'no_stream' },
          ]),
        ).rejects.toThrow(WrongExpectedRevisionError);
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toHaveLength(1);
        expect(await store.headPosition()).toBe(head);
      });

      it('refuses a call that names a stream twice', async () => {
        const a = stream();
        await expect(
          store.appendMany([
            { streamName: a, events: [event('A', 1)], expected: 'any' },
            { streamName: a, events: [event('A', 2)], expected: 'any' },
          ]),
        ).rejects.toThrow(/more than once/);
        expect(await store.readStream(a)).toEqual([]);
      });
    });

    describe('idempotency by event id', () => {
      it('appending the same events again with the same expected revision stores them once', async () => {
        const name = stream();
        const batch = [event('A', 1, randomUUID()), event('B', 2, randomUUID())];
        const first = await store.append(name, batch, 'no_stream');
        const second = await store.append(name, batch, 'no_stream');
        expect(second.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect((await store.readStream(name)).length).toBe(2);
      });

      it('appending the same events again with any stores them once', async () => {
        const name = stream();
        const batch = [event('A', 1, randomUUID())];
        await store.append(name, batch, 'any');
        await store.append(name, batch, 'any');
        expect((await store.readStream(name)).length).toBe(1);
      });

      it('appending the same events again at a later revision stores them again: the id alone is no promise', async () => {
        const name = stream();
        const batch = [event('A', 1, randomUUID())];
        const first = await store.append(name, batch, 'no_stream');
        const again = await store.append(name, batch, first.nextExpectedRevision);
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision + 1n);
        expect((await store.readStream(name)).map((e) => e.id)).toStrictEqual([batch[0]!.id, batch[0]!.id]);
      });

      it('refuses events of which only some were appended where the batch expects them', async () => {
        const name = stream();
        const a = event('A', 1, randomUUID());
        await store.append(name, [a], 'no_stream');
        await expect(store.append(name, [a, event('B', 2, randomUUID())], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(name)).length).toBe(1);
      });
    });

    describe('the global log', () => {
      it('gives strictly increasing positions across streams, and reads $all after a position', async () => {
        const start = await store.headPosition();
        const a = stream();
        const b = stream();
        await store.append(a, [event('A', 1)], 'any');
        await store.append(b, [event('B', 2)], 'any');
        await store.append(a, [event('A', 3)], 'any');
        const all = await store.readAll({ after: start < 0n ? undefined : start, filter: { streamNamePrefixes: [a, b] } });
        expect(all.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
        for (let i = 1; i < all.length; i += 1) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
        const afterFirst = await store.readAll({ after: all[0]!.position, filter: { streamNamePrefixes: [a, b] } });
        expect(afterFirst.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
        expect(await store.headPosition()).toBe(all[2]!.position);
      });

      it('filters $all by stream-name prefix and by event type, and honours maxCount', async () => {
        const category = `c${unique().slice(0, 12)}`;
        const one = `${category}-1`;
        const two = `${category}-2`;
        const other = stream();
        const typeA = `TypeA${unique()}`;
        const typeB = `TypeB${unique()}`;
        await store.append(one, [event(typeA, 1)], 'any');
        await store.append(other, [event(typeA, 2)], 'any');
        await store.append(two, [event(typeB, 3)], 'any');
        const byPrefix = await store.readAll({ filter: { streamNamePrefixes: [`${category}-`] } });
        expect(byPrefix.map((e) => e.data)).toEqual([{ n: 1 }, { n: 3 }]);
        const byType = await store.readAll({ filter: { eventTypes: [typeA] } });
        expect(byType.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
        const limited = await store.readAll({ filter: { eventTypes: [typeA, typeB] }, maxCount: 2 });
        expect(limited.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      });
    });

    describe('subscription to $all', () => {
      it('catches up on past events, then delivers new ones live, in order', async () => {
        const category = `s${unique().slice(0, 12)}`;
        await store.append(`${category}-1`, [event('Past', 1), event('Past', 2)], 'any');
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } });
        const received: RecordedEvent[] = [];
        const done = (async () => {
          for await (const e of subscription) {
            received.push(e);
            if (received.length === 4) break;
          }
        })();
        await waitFor(() => received.length >= 2);
        await store.append(`${category}-2`, [event('Live', 3)], 'any');
        await store.append(`${category}-1`, [event('Live', 4)], 'any');
        await done;
        await subscription.close();
        expect(received.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
      });

      it('starts strictly after the given position', async () => {
        const category = `s${unique().slice(0, 12)}`;
        const first = await store.append(`${category}-1`, [event('E', 1)], 'any');
        await store.append(`${category}-1`, [event('E', 2)], 'any');
        const subscription = store.subscribeToAll({ after: first.position, filter: { streamNamePrefixes: [`${category}-`] } });
        const received: RecordedEvent[] = [];
        for await (const e of subscription) {
          received.push(e);
          break;
        }
        await subscription.close();
        expect(received.map((e) => e.data)).toEqual([{ n: 2 }]);
      });

      it('ends the iteration when closed while waiting', async () => {
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [`nothing${unique()}-`] } });
        const done = (async () => {
          let count = 0;
          for await (const _ of subscription) count += 1;
          return count;
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        await expect(done).resolves.toBe(0);
      });
    });
  });
};

const waitFor = async (condition: () => boolean, timeoutMs = 5000): Promise<void> => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('Timed out waiting for condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
