import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DemoOptions } from './demo-log';
import { type CellBatch, fromCells, type PreparedBatch } from './prepared-log';

/** What the worker is started with. */
export interface WorkerInput {
  readonly options: DemoOptions;
  readonly minEvents: number;
  /** A counter of batches posted and not yet taken, and how many may be. */
  readonly credits: { readonly buffer: SharedArrayBuffer; readonly inFlight: number };
}

type Message = ({ kind: 'batch' } & CellBatch) | { kind: 'done' } | { kind: 'failed'; message: string };

const YOUNG_GENERATION_MB = 96;

export interface WorkerSourceOptions {
  /** Node options for the worker (the tests pass a TypeScript loader, as they run the sources). */
  readonly execArgv?: readonly string[];
  /** Batches posted ahead of the loader at most (default 4). */
  readonly inFlight?: number;
}

/**
 * The demo log prepared in a worker thread, so that generating and serialising overlap with the store's writing.
 * Ending the iteration early (the store refused, or failed) stops the worker.
 */
export async function* demoBatchesFromWorker(options: DemoOptions, minEvents: number, source: WorkerSourceOptions = {}): AsyncGenerator<PreparedBatch> {
  const inFlight = source.inFlight ?? 4;
  const buffer = new SharedArrayBuffer(4);
  const counter = new Int32Array(buffer);
  const input: WorkerInput = { options, minEvents, credits: { buffer, inFlight } };
  // The worker file sits next to this one, compiled (.js) or, when the sources run directly, as TypeScript.
  const worker = new Worker(join(__dirname, `demo.worker${extname(__filename)}`), {
    workerData: input,
    execArgv: source.execArgv ? [...source.execArgv] : undefined,
    // The generator makes many short-lived objects: a young generation this size halves the time spent collecting them.
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  const queue: Message[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let exited = false;
  const arrive = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: Message) => {
    queue.push(message);
    arrive();
  });
  worker.on('error', (error) => {
    failure = error;
    arrive();
  });
  worker.on('exit', (code) => {
    exited = true;
    if (code !== 0 && !failure) failure = new Error(`The demo generator's thread stopped with exit code ${code}`);
    arrive();
  });
  const revisions = new Map<string, number>();
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        if (exited) throw new Error("The demo generator's thread ended before the log did");
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.kind === 'done') return;
      if (message.kind === 'failed') throw new Error(`The demo generator failed: ${message.message}`);
      Atomics.sub(counter, 0, 1);
      Atomics.notify(counter, 0);
      yield fromCells(message, revisions);
    }
  } finally {
    if (!exited) await worker.terminate();
  }
}
