import { type AppendRequest, type EventStore, type EventToAppend, LogNotEmptyError, type PreparedEvent } from '#event-store';
import { type DemoEvent, type DemoOptions, generateDemoDays } from './demo-log';
import { demoBatchesFromWorker } from './generate-in-worker';
import { type PreparedBatch, preparedDemoBatches } from './prepared-log';

export interface LoadProgress {
  readonly events: number;
  readonly day: string;
  /** Days generated so far out of all. */
  readonly daysDone: number;
  readonly days: number;
  readonly elapsedMs: number;
  /**
   * `writing` while events go in; `finishing` once all are written and the store indexes and commits them (a bulk
   * import commits once, at the end: nothing is visible before).
   */
  readonly stage: 'writing' | 'finishing';
}

export interface LoadSummary {
  readonly events: number;
  readonly streams: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

export interface LoadOptions {
  /**
   * Where the log is generated for a bulk import: `worker` overlaps generating with writing (what the CLI and
   * `npm start` use), `inline` (the default) does both on this thread, as the tests that run the sources do.
   */
  readonly generate?: 'worker' | 'inline';
  /** Node options for the generator's worker thread. */
  readonly workerExecArgv?: readonly string[];
}

/** Events per multi-stream append: large enough to amortise the transaction, small enough to keep memory flat. */
const APPEND_BATCH_EVENTS = 20_000;
/**
 * Events per batch handed over to a bulk import: about a day of a 2,000-customer demo. Small batches die young in the
 * generator's heap; 20,000 were promoted and collected as old objects, and loaded a quarter slower.
 */
const IMPORT_BATCH_EVENTS = 2_000;

/**
 * Writes the demo log into an empty store. Where the store has a bulk import, the whole log goes in as one
 * transaction (all or nothing), generated in a worker thread while the store writes. Elsewhere (KurrentDB) it goes
 * through `appendMany`, a few thousand streams per atomic append, with the exact expected revision of every stream
 * (the generator knows them), so a second writer is noticed rather than interleaved. Refuses a log that is not
 * empty: demo data belongs in a fresh data directory.
 */
export const loadDemo = async (store: EventStore, options: DemoOptions, onProgress?: (progress: LoadProgress) => void, load: LoadOptions = {}): Promise<LoadSummary> => {
  const head = await store.headPosition();
  if (head >= 0n) throw new DemoTargetNotEmptyError();
  const started = performance.now();
  const summary = store.importLog ? await importDemo(store.importLog.bind(store), options, started, onProgress, load) : await appendDemo(store, options, started, onProgress);
  const elapsedMs = performance.now() - started;
  return { ...summary, elapsedMs, eventsPerSecond: Math.round(summary.events / Math.max(elapsedMs / 1000, 1e-3)) };
};

const importDemo = async (
  importLog: NonNullable<EventStore['importLog']>,
  options: DemoOptions,
  started: number,
  onProgress: ((progress: LoadProgress) => void) | undefined,
  load: LoadOptions,
): Promise<{ events: number; streams: number }> => {
  let at = { day: options.startDay, daysDone: 0 };
  const source: AsyncIterable<PreparedBatch> =
    load.generate === 'worker' ? demoBatchesFromWorker(options, IMPORT_BATCH_EVENTS, { execArgv: load.workerExecArgv }) : toAsync(preparedDemoBatches(options, IMPORT_BATCH_EVENTS));
  async function* events(): AsyncGenerator<readonly PreparedEvent[]> {
    for await (const batch of source) {
      at = { day: batch.day, daysDone: batch.daysDone };
      yield batch.events;
    }
  }
  try {
    return await importLog(events(), (p) => onProgress?.({ events: p.events, ...at, days: options.days, elapsedMs: performance.now() - started, stage: p.stage }));
  } catch (error) {
    if (error instanceof LogNotEmptyError) throw new DemoTargetNotEmptyError();
    throw error;
  }
};

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) {
    yield item;
    // Let timers (progress, signals) run between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const appendDemo = async (store: EventStore, options: DemoOptions, started: number, onProgress?: (progress: LoadProgress) => void): Promise<{ events: number; streams: number }> => {
  const revisions = new Map<string, bigint>();
  let events = 0;
  let pending: DemoEvent[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await store.appendMany(toRequests(pending, revisions));
    events += pending.length;
    pending = [];
  };
  for (const day of generateDemoDays(options)) {
    for (const event of day.events) pending.push(event);
    if (pending.length >= APPEND_BATCH_EVENTS) await flush();
    onProgress?.({ events: events + pending.length, day: day.day, daysDone: day.index + 1, days: options.days, elapsedMs: performance.now() - started, stage: 'writing' });
  }
  await flush();
  return { events, streams: revisions.size };
};

/** Groups a run of events by stream, in first-appearance order, each with the revision it expects. */
const toRequests = (events: readonly DemoEvent[], revisions: Map<string, bigint>): AppendRequest[] => {
  const byStream = new Map<string, EventToAppend[]>();
  for (const { streamName, event } of events) {
    const list = byStream.get(streamName);
    if (list) list.push(event);
    else byStream.set(streamName, [event]);
  }
  return [...byStream].map(([streamName, list]) => {
    const current = revisions.get(streamName) ?? -1n;
    revisions.set(streamName, current + BigInt(list.length));
    return { streamName, events: list, expected: current === -1n ? 'no_stream' : current };
  });
};

export class DemoTargetNotEmptyError extends Error {
  constructor() {
    super('The event store already holds events; demo data is only loaded into an empty one (point DATA_DIR at a new directory)');
    this.name = 'DemoTargetNotEmptyError';
  }
}
