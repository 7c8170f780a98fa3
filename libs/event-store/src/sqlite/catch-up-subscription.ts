import type { RecordedEvent, Subscription } from '../event-store.port';

const BATCH = 500;
/**
 * While catching up every read finds events at once, so the loop would never leave the microtask queue: timers,
 * sockets and signals (a status line, a health check, SIGTERM) would wait until it is level with the log. It lets
 * them run at least this often.
 */
const YIELD_EVERY_MS = 50;

/**
 * Catches up by reading the log in batches, then waits for a wake-up signal (an append) instead of polling.
 * A counter of signals closes the race between "read found nothing" and "an append happened meanwhile".
 */
export class CatchUpSubscription implements Subscription {
  private closed = false;
  private signals = 0;
  private wake: (() => void) | undefined;
  private readonly unlisten: () => void;

  constructor(
    private readonly read: (after: bigint | undefined, maxCount: number) => RecordedEvent[],
    listen: (listener: () => void) => () => void,
    private after: bigint | undefined,
  ) {
    this.unlisten = listen(() => {
      this.signals += 1;
      this.wake?.();
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let yieldedAt = Date.now();
    try {
      while (!this.closed) {
        if (Date.now() - yieldedAt >= YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          yieldedAt = Date.now();
        }
        const seen = this.signals;
        let batch: RecordedEvent[];
        try {
          batch = this.read(this.after, BATCH);
        } catch (error) {
          if (this.closed) return;
          throw error;
        }
        for (const event of batch) {
          if (this.closed) return;
          this.after = event.position;
          yield event;
        }
        if (batch.length < BATCH && this.signals === seen && !this.closed) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = undefined;
          yieldedAt = Date.now();
        }
      }
    } finally {
      this.unlisten();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unlisten();
    this.wake?.();
  }
}
