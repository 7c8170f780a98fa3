import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EventStore, RecordedEvent, Subscription } from '#event-store';
import type { Projection } from './projection';
import { ProjectionWorker } from './projection-worker';
import { readParked } from './parked-events';
import type { ProjectionFailure, ReadStore } from './read-store.port';
import { RateMeter } from './rate-meter';

export interface RunnerOptions {
  /** Events applied per commit at most. */
  readonly batchSize?: number;
  readonly now?: () => Date;
  readonly log?: (message: string) => void;
  /** Wait before reopening the log after the event store failed. */
  readonly retryDelayMs?: number;
  /** This runner's name on the projections' single-writer leases (unique per process by default). */
  readonly leaseOwner?: string;
  /** How long a lease lasts unless renewed (DEFAULT_LEASE_TTL_MS); it is renewed every third of it. */
  readonly leaseTtlMs?: number;
}

/** A projection's lease lasts 30 s unless renewed: a process that died hands its projections over within that. */
export const DEFAULT_LEASE_TTL_MS = 30_000;

/**
 * `external`: another process holds the projection's single-writer lease and keeps it up to date; this runner
 * stands by and takes over (from the stored checkpoint) once that lease expires.
 */
export type ProjectionState = 'starting' | 'catching_up' | 'live' | 'failed' | 'stopped' | 'external';

export interface RunnerSnapshot {
  readonly name: string;
  readonly state: ProjectionState;
  readonly generation: number;
  readonly checkpoint: bigint;
  readonly failure: ProjectionFailure | null;
  readonly eventsPerSecond: number;
}

interface Lane {
  worker: ProjectionWorker;
  failure: ProjectionFailure | null;
  /** Resume asked: the failure is cleared when the reader restarts from the checkpoint, not before. */
  resumeRequested?: boolean;
  meter: RateMeter;
  /** Another process holds the lease: nothing is applied here (and the worker is reloaded when it is taken). */
  standby: boolean;
  /** Until when this runner holds the lease (ms since the epoch; 0 when it does not). */
  leaseUntil: number;
}

/**
 * Keeps the live generation of each projection up to date: one reader of the global log (caught up from
 * the lowest checkpoint, then live), batching whatever has arrived, then each projection applies the batch
 * and commits its documents with its checkpoint. A projection whose handler throws stops at that event and
 * reports it; the others go on. When a rebuild swaps in a new generation, the reader restarts from there.
 */
export class ProjectionRunner {
  private readonly lanes = new Map<string, Lane>();
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  private subscription: Subscription | undefined;
  private buffer: RecordedEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private stopped = false;
  private restartRequested = false;
  private caughtUp = false;
  private loop: Promise<void> | undefined;
  private lastError: string | null = null;
  private readonly retryDelayMs: number;
  private readonly leaseOwner: string;
  private readonly leaseTtlMs: number;
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly projections: readonly Projection[],
    options: RunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.leaseOwner = options.leaseOwner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  }

  /** Registers every projection (creating its first generation) and starts following the log. */
  async start(): Promise<void> {
    for (const projection of this.projections) {
      const registration = await this.store.registration(projection.name);
      if (!registration || registration.liveGeneration === 0) {
        await this.store.prepareGeneration(projection.name, projection.version, projection.collections, true);
      }
    }
    this.loop = this.run();
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.max(10, Math.floor(this.leaseTtlMs / 3)));
    this.leaseTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.leaseTimer);
    await this.subscription?.close();
    await this.loop;
    await this.flushing;
    // Handed over at once rather than after the lease expires.
    for (const [name, lane] of this.lanes) if (lane.leaseUntil > 0) await this.store.releaseLease(name, this.leaseOwner).catch(() => undefined);
  }

  /** Takes or renews a projection's lease; the time it is held until, or 0. */
  private async takeLease(name: string): Promise<number> {
    const now = this.now();
    const until = new Date(now.getTime() + this.leaseTtlMs);
    return (await this.store.acquireLease(name, this.leaseOwner, until, now)) ? until.getTime() : 0;
  }

  /**
   * Renews each lease held and tries those held elsewhere. A lease lost stops that projection here; one taken
   * restarts the reader, which reloads the projection from the checkpoint the other process left.
   */
  private async renewLeases(): Promise<void> {
    for (const [name, lane] of this.lanes) {
      if (this.stopped) return;
      let until = 0;
      try {
        until = await this.takeLease(name);
      } catch (error) {
        this.log(`Could not renew the lease on ${name}: ${error instanceof Error ? error.message : String(error)}`);
        continue; // kept until it runs out; applyBuffered stops writing before then
      }
      lane.leaseUntil = until;
      if (until === 0 && !lane.standby) {
        lane.standby = true;
        this.log(`Projection ${name}: another process holds its lease now; standing by`);
      } else if (until > 0 && lane.standby) {
        this.log(`Projection ${name}: lease taken; resuming from its checkpoint`);
        this.requestRestart();
      }
    }
  }

  /** Whether the lease is held long enough for one more commit (a third of its time left, at least). */
  private writable(lane: Lane): boolean {
    return !lane.standby && lane.leaseUntil - this.now().getTime() > this.leaseTtlMs / 3;
  }

  /**
   * Retries a stopped projection from its checkpoint. Its failure is cleared when the reader has restarted from
   * there: cleared at once, a batch already read past the checkpoint would be applied and the events between lost.
   */
  resume(name: string): boolean {
    const lane = this.lanes.get(name);
    if (!lane?.failure) return false;
    lane.resumeRequested = true;
    this.requestRestart();
    return true;
  }

  /** Re-reads generations (after a rebuild swapped one in) and restarts the reader. */
  requestRestart(): void {
    this.restartRequested = true;
    void this.subscription?.close();
  }

  snapshot(): RunnerSnapshot[] {
    return this.projections.map((projection) => {
      const lane = this.lanes.get(projection.name);
      return {
        name: projection.name,
        state: this.stopped
          ? 'stopped'
          : !lane
            ? 'starting'
            : lane.standby
              ? 'external'
              : lane.failure && !lane.resumeRequested
                ? 'failed'
                : this.caughtUp && !lane.failure
                  ? 'live'
                  : 'catching_up',
        generation: lane?.worker.target.generation ?? 0,
        checkpoint: lane?.worker.checkpoint ?? -1n,
        failure: lane?.failure ?? null,
        eventsPerSecond: lane?.meter.perSecond(this.now().getTime()) ?? 0,
      };
    });
  }

  /** The last error reading the log, if the reader is retrying. */
  get readerError(): string | null {
    return this.lastError;
  }

  /** Resolves once every running projection has applied the log up to `position`. */
  async waitFor(position: bigint, timeoutMs = 5000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // A projection another process writes is that process's to bring up to date.
      const behind = [...this.lanes.values()].some((lane) => !lane.standby && (!lane.failure || lane.resumeRequested) && lane.worker.checkpoint < position);
      if (!behind && this.lanes.size === this.projections.length) return true;
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private async loadLanes(): Promise<void> {
    const parked = await readParked(this.events);
    for (const projection of this.projections) {
      const parkedIds = new Set(parked.get(projection.name)?.keys() ?? []);
      const registration = await this.store.registration(projection.name);
      const generation = registration?.liveGeneration ?? 0;
      const existing = this.lanes.get(projection.name);
      const leaseUntil = await this.takeLease(projection.name);
      // A projection taken over from another process is reloaded: its checkpoint moved on there.
      if (existing && existing.worker.target.generation === generation && !(existing.standby && leaseUntil > 0)) {
        existing.worker.parked = parkedIds;
        existing.leaseUntil = leaseUntil;
        existing.standby = leaseUntil === 0;
        if (existing.resumeRequested) {
          existing.failure = null;
          existing.resumeRequested = false;
        }
        continue;
      }
      const target = { projection: projection.name, generation };
      const checkpoint = await this.store.checkpoint(target);
      const worker = new ProjectionWorker(this.store, projection, target, checkpoint.position, this.now);
      worker.parked = parkedIds;
      // Every commit checks, where it is decided, that this runner still holds the lease.
      worker.fence = () => ({ name: projection.name, owner: this.leaseOwner, now: this.now() });
      this.lanes.set(projection.name, {
        worker,
        // A failure recorded earlier is retried once on start; it stops again if the handler still throws.
        failure: null,
        meter: existing?.meter ?? new RateMeter(),
        standby: leaseUntil === 0,
        leaseUntil,
      });
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.restartRequested = false;
      this.caughtUp = false;
      try {
        await this.loadLanes();
        const active = [...this.lanes.values()].filter((lane) => !lane.failure && !lane.standby);
        const from = active.reduce<bigint | undefined>((min, lane) => (min === undefined || lane.worker.checkpoint < min ? lane.worker.checkpoint : min), undefined);
        if (from === undefined) {
          await this.waitForRestart();
          continue;
        }
        const head = await this.events.headPosition();
        if (from >= head) this.caughtUp = true;
        this.subscription = this.events.subscribeToAll(from >= 0n ? { after: from } : {});
        for await (const event of this.subscription) {
          this.buffer.push(event);
          if (event.position >= head) this.caughtUp = true;
          if (this.buffer.length >= this.batchSize) await this.flush();
          else this.scheduleFlush();
          if (this.restartRequested || this.stopped) break;
        }
        this.lastError = null;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.log(`Projection reader failed, retrying in ${this.retryDelayMs} ms: ${this.lastError}`);
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      } finally {
        await this.subscription?.close();
        this.subscription = undefined;
        await this.flush();
      }
    }
  }

  private async waitForRestart(): Promise<void> {
    while (!this.restartRequested && !this.stopped) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Flushes when the reader has nothing more at hand: after the current burst of events. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.applyBuffered()).catch((error: unknown) => {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.log(`Projection commit failed, re-reading from the checkpoints: ${this.lastError}`);
      this.requestRestart();
    });
    return this.flushing;
  }

  private async applyBuffered(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    if (await this.generationsChanged()) {
      this.requestRestart();
      return;
    }
    for (const [name, lane] of this.lanes) {
      if (lane.failure || lane.standby) continue;
      // Renewed here too when a third of it is gone, so a long stretch without timers (a large batch) cannot outlive it.
      if (lane.leaseUntil - this.now().getTime() < (this.leaseTtlMs * 2) / 3) {
        lane.leaseUntil = await this.takeLease(name).catch(() => lane.leaseUntil);
      }
      if (!this.writable(lane)) {
        // The lease could not be renewed in time: stop writing before another process may take it. The batch is
        // not applied here, so the projection is reloaded from its checkpoint once the lease is held again.
        lane.standby = true;
        this.log(`Projection ${name}: its lease was not renewed in time; standing by`);
        continue;
      }
      const result = await lane.worker.applyBatch(batch);
      if (result.outcome === 'fenced') {
        // Another process holds the lease now: nothing of this batch was written here.
        lane.standby = true;
        lane.leaseUntil = 0;
        this.log(`Projection ${name}: its lease was taken over before a commit; standing by`);
        continue;
      }
      if (result.outcome === 'stale') {
        this.requestRestart();
        return;
      }
      lane.meter.record(this.now().getTime(), result.applied);
      if (result.failure) {
        lane.failure = result.failure;
        this.log(`Projection ${name} stopped at position ${result.failure.position} (${result.failure.eventType}): ${result.failure.message}`);
      }
    }
  }

  private async generationsChanged(): Promise<boolean> {
    for (const registration of await this.store.registrations()) {
      const lane = this.lanes.get(registration.projection);
      if (lane && lane.worker.target.generation !== registration.liveGeneration) return true;
    }
    return false;
  }
}
