import { parentPort, workerData } from 'node:worker_threads';
import type { DemoOptions } from './demo-log';
import { demoCellBatches } from './prepared-log';
import type { WorkerInput } from './generate-in-worker';

/**
 * The demo generator's thread: prepares the log batch by batch and posts each one, waiting while `inFlight` batches
 * are posted and not yet taken (the loader takes them as it writes), so memory stays bounded when the store is slower.
 */
const { options, minEvents, credits } = workerData as WorkerInput;
const counter = new Int32Array(credits.buffer);
const port = parentPort!;
try {
  for (const batch of demoCellBatches(options as DemoOptions, minEvents)) {
    while (Atomics.load(counter, 0) >= credits.inFlight) Atomics.wait(counter, 0, credits.inFlight, 1000);
    Atomics.add(counter, 0, 1);
    port.postMessage({ kind: 'batch', ...batch });
  }
  port.postMessage({ kind: 'done' });
} catch (error) {
  port.postMessage({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
