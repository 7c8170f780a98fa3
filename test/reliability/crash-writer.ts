/**
 * A writer for the crash test: appends to the embedded store from many concurrent "commands" for ever, and prints
 * the id of each event once its append is acknowledged. The test kills it with SIGKILL mid-write.
 */
import { randomUUID } from 'node:crypto';
import { type Durability, SqliteEventStore } from '#event-store';

const [file, durability, concurrency] = process.argv.slice(2) as [string, Durability, string];
const store = new SqliteEventStore({ filename: file, durability, crossProcessCheckMs: 0 });
const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'rep-1', role: 'rep' as const }, occurredAt: '2026-01-05T08:00:00.000Z', schemaVersion: 1 };

/** Streams of this run only: the file holds the runs before it. */
const run = randomUUID().slice(0, 8);

const writer = async (n: number): Promise<void> => {
  for (let i = 0; ; i += 1) {
    const id = randomUUID();
    await store.append(`crash-${run}.${n}`, [{ id, type: 'Written', data: { n, i }, metadata }], i === 0 ? 'no_stream' : BigInt(i - 1));
    process.stdout.write(`${id}\n`);
  }
};
for (let n = 0; n < Number(concurrency); n += 1) void writer(n);
