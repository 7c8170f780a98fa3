import { eventsToAppend, type EventStore } from '#event-store';
import {
  EVENT_PARKED,
  type ParkedEvent,
  PARKING_STREAM,
  type PoolRebuildOptions,
  type Projection,
  type ProjectionFailure,
  ProjectionRebuilder,
  type ProjectionRunner,
  readParked,
  type ReadStore,
  type RebuildOptions,
  type RebuildPool,
  type RebuildProgress,
  type RebuildResult,
  type Target,
} from '#read-store';
import { type Actor, type CommandContext, deterministicUuid, NotFound, RuleViolation } from '#shared-kernel';
import { JobLog, type JobKind, type JobState, type RecordedJob } from './job-log';

/** Lag beyond this many events is reported as "at least". */
const LAG_COUNT_CAP = 10_000;

/** A log whose last position is at least this builds a read model never built before in memory, not through the store. */
export const FIRST_BUILD_IN_MEMORY_FROM = 10_000n;

export interface ProjectionStatus {
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly liveVersion: number;
  /** The live copy was built by an older version of the projection: rebuild it. */
  readonly outdated: boolean;
  readonly generation: number;
  readonly state: 'catching_up' | 'live' | 'failed' | 'stopped' | 'starting' | 'external' | 'not_built';
  readonly checkpoint: string;
  readonly head: string;
  readonly lagEvents: number;
  readonly lagEventsCapped: boolean;
  readonly lagMs: number;
  /** Events applied per second over the last seconds; null when another process runs the projection. */
  readonly eventsPerSecond: number | null;
  readonly failure: ProjectionFailure | null;
  readonly updatedAt: string | null;
  /** Events an operator parked for this projection, which it passes over. */
  readonly parked: readonly ParkedEvent[];
}

export interface RebuildJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly projections: readonly string[];
  /** `running` for a job of another process is running there, as far as the log tells. */
  state: JobState;
  /** Progress of a job this process runs (null otherwise). */
  progress: RebuildProgress | null;
  readonly results: unknown[];
  error: string | null;
  readonly startedAt: string;
  readonly startedBy: string | null;
  finishedAt: string | null;
}

/** Who records the end of a job the process running it never finished. */
export const JOB_KEEPER: Actor = { id: 'projection-admin', role: 'admin' };

/** An unfinished job this old is taken as interrupted whatever else is known (no rebuild runs for a day). */
const JOB_GIVEN_UP_MS = 24 * 60 * 60 * 1000;

/** Jobs listed with the projections' status. */
const LISTED_JOBS = 20;

/**
 * Status of every projection (checkpoint, head, lag, rate, failure) and the analysts' rebuild and verify jobs.
 * Jobs run in this process in the background; one job per projection at a time.
 */
export class ProjectionAdmin {
  private readonly jobs = new Map<string, RebuildJob>();
  private readonly busy = new Set<string>();
  private readonly jobLog: JobLog;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    readonly projections: readonly Projection[],
    private readonly runner: ProjectionRunner | undefined,
    private readonly now: () => Date = () => new Date(),
    /** How rebuilds and verifies run (the memory a rebuild may use). */
    private readonly rebuildOptions: Pick<RebuildOptions, 'memoryBudgetMb'> = {},
    /** Where rebuilds run, several at once (threads of their own); without it, one at a time in this process. */
    private readonly pool?: RebuildPool,
  ) {
    this.jobLog = new JobLog(events);
  }

  /**
   * Rebuilds the projections through the pool when there is one, else one after the other here; each result as it
   * comes. Rejects with the first failure (the results before it delivered).
   */
  private async rebuildAll(projections: readonly Projection[], options: PoolRebuildOptions): Promise<RebuildResult[]> {
    if (this.pool) return this.pool.rebuild(projections, { ...this.rebuildOptions, ...options });
    const rebuilder = new ProjectionRebuilder(this.events, this.store, this.now);
    const results: RebuildResult[] = [];
    for (const projection of projections) {
      const result = await rebuilder.rebuild(projection, { ...this.rebuildOptions, ...options });
      results.push(result);
      options.onResult?.(result);
    }
    return results;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    const snapshots = new Map((this.runner?.snapshot() ?? []).map((s) => [s.name, s]));
    const parked = await readParked(this.events);
    const out: ProjectionStatus[] = [];
    for (const projection of this.projections) {
      const registration = await this.store.registration(projection.name);
      const generation = registration?.liveGeneration ?? 0;
      const base = {
        name: projection.name,
        description: projection.description,
        version: projection.version,
        head: head.toString(),
        parked: [...(parked.get(projection.name)?.values() ?? [])],
      };
      if (!registration || generation === 0) {
        out.push({ ...base, liveVersion: 0, outdated: false, generation: 0, state: 'not_built', checkpoint: '-1', lagEvents: 0, lagEventsCapped: false, lagMs: 0, eventsPerSecond: null, failure: null, updatedAt: null });
        continue;
      }
      const checkpoint = await this.store.checkpoint({ projection: projection.name, generation });
      const lag = await this.lag(checkpoint.position);
      const snapshot = snapshots.get(projection.name);
      const failure = snapshot?.failure ?? checkpoint.failure;
      out.push({
        ...base,
        liveVersion: registration.liveVersion,
        outdated: registration.liveVersion < projection.version,
        generation,
        state: failure ? 'failed' : snapshot ? snapshot.state : 'external',
        checkpoint: checkpoint.position.toString(),
        lagEvents: lag.events,
        lagEventsCapped: lag.capped,
        lagMs: lag.ms,
        eventsPerSecond: snapshot ? snapshot.eventsPerSecond : null,
        failure,
        updatedAt: checkpoint.updatedAt,
      });
    }
    return out;
  }

  /** Events after the checkpoint (counted up to a cap) and how long the oldest of them has waited. */
  private async lag(checkpoint: bigint): Promise<{ events: number; capped: boolean; ms: number }> {
    const pending = await this.events.readAll({ ...(checkpoint >= 0n ? { after: checkpoint } : {}), maxCount: LAG_COUNT_CAP });
    if (pending.length === 0) return { events: 0, capped: false, ms: 0 };
    const oldest = Date.parse(pending[0]!.metadata.recordedAt);
    return { events: pending.length, capped: pending.length === LAG_COUNT_CAP, ms: Math.max(0, this.now().getTime() - oldest) };
  }

  /**
   * Parks the event a projection stopped at, for that projection only, and resumes it: the way out for an event
   * already in the log that no repair on read can mend. Only the event the projection is stopped at can be parked,
   * by an admin, with a reason; the decision is appended as an event and listed in the projection's status.
   */
  async park(name: string, eventId: string, reason: string, context: CommandContext): Promise<ParkedEvent> {
    this.named(name);
    // Where another process runs the projections, the failure is read from the stored checkpoint; that process
    // passes over the parked event when it next (re)starts the projection.
    const registration = await this.store.registration(name);
    const stored = registration && registration.liveGeneration !== 0 ? (await this.store.checkpoint({ projection: name, generation: registration.liveGeneration })).failure : null;
    const failure = this.runner?.snapshot().find((snapshot) => snapshot.name === name)?.failure ?? stored;
    if (failure?.eventId !== eventId) {
      const where = failure ? `it is stopped at event ${failure.eventId} (position ${failure.position})` : 'it is not stopped';
      throw new RuleViolation('EVENT_NOT_WHERE_STOPPED', `Projection ${name} cannot park event ${eventId}: ${where}; only the event a projection stopped at can be parked`, {
        projection: name,
        eventId,
        stoppedAt: failure?.eventId ?? null,
      });
    }
    const data = { projection: name, eventId, position: failure.position, eventType: failure.eventType, streamName: failure.streamName, reason };
    await this.events.append(PARKING_STREAM, eventsToAppend(context, PARKING_STREAM, [{ type: EVENT_PARKED, data }]), 'any');
    this.runner?.resume(name);
    return { ...data, parkedBy: context.actor.id, parkedAt: context.occurredAt };
  }

  named(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new NotFound(`No projection named ${name}; known: ${this.projections.map((p) => p.name).join(', ')}`);
    return projection;
  }

  /**
   * Drops the shadow and scratch generations that rebuilds and verifies interrupted by a stopped process left
   * behind (see `ProjectionRebuilder.dropAbandoned`); run at start. Returns what it dropped.
   */
  async dropAbandonedGenerations(): Promise<Target[]> {
    return new ProjectionRebuilder(this.events, this.store, this.now).dropAbandoned(this.projections);
  }

  /**
   * Rebuilds, before the projections start, every projection whose live read model an older version of its code
   * built (after an upgrade that changed it): the new code never feeds documents of the old shape, and a query never
   * meets a collection or index the old version did not have. Builds in memory, too, every projection never built
   * when the log is long (FIRST_BUILD_IN_MEMORY_FROM): several times faster than following it through the store.
   * Run at start; returns what it rebuilt.
   */
  async rebuildOutdated(log: (message: string) => void = () => undefined): Promise<RebuildResult[]> {
    const head = await this.events.headPosition();
    const outdated: Projection[] = [];
    for (const projection of this.projections) {
      const registration = await this.store.registration(projection.name);
      const built = registration !== null && registration !== undefined && registration.liveGeneration !== 0;
      if (built && registration.liveVersion >= projection.version) continue;
      // Never built: applied through the store as it follows the log, unless the log is long enough that building
      // it in memory first is faster (as after a demo load or an import).
      if (!built && head < FIRST_BUILD_IN_MEMORY_FROM) continue;
      log(
        built
          ? `${projection.name}: the live read model was built by version ${registration!.liveVersion}, the code is version ${projection.version}: rebuilding it`
          : `${projection.name}: not built yet; building it in memory from the log (up to position ${head.toLocaleString('en-US')}) before following it`,
      );
      outdated.push(projection);
    }
    if (outdated.length === 0) return [];
    if (this.pool && outdated.length > 1) log(`building ${outdated.length} read models, ${Math.min(this.pool.threads, outdated.length)} at a time`);
    // Each phase ends with a report of its own, often at the same percentage as the one before it: logged once.
    const logged = new Map<string, string>();
    const onProgress = (progress: RebuildProgress) => {
      const step = `${progress.phase}, ${Math.round(progress.fraction * 100)} %`;
      if (logged.get(progress.projection) === step) return;
      logged.set(progress.projection, step);
      log(`${progress.projection}: ${step} (position ${progress.position} of ${progress.head}, ${progress.eventsPerSecond} events/s)`);
    };
    const onResult = (result: RebuildResult) => log(`${result.projection}: rebuilt from ${result.events} events in ${Math.round(result.elapsedMs)} ms`);
    return this.rebuildAll(outdated, { onProgress, progressEveryMs: 5000, onResult });
  }

  /**
   * Starts a rebuild (or a verify) of the named projections in the background and returns its job, recorded in the
   * log as started by the caller (and, when it ends, as done or failed with its results).
   */
  async start(kind: JobKind, names: readonly string[], context: CommandContext): Promise<RebuildJob> {
    const projections = names.map((name) => this.named(name));
    const clash = projections.find((p) => this.busy.has(p.name));
    if (clash) throw new RuleViolation('PROJECTION_BUSY', `A rebuild or verify of ${clash.name} is already running`, { projection: clash.name });
    const startedAt = this.now().toISOString();
    const job: RebuildJob = {
      // Unique across processes: the command that started it names it.
      id: `${kind}-${startedAt.replace(/[-:.TZ]/g, '')}-${context.commandId.replace(/[^0-9a-f]/gi, '').slice(0, 8)}`,
      kind,
      projections: projections.map((p) => p.name),
      state: 'running',
      progress: null,
      results: [],
      error: null,
      startedAt,
      startedBy: context.actor.id,
      finishedAt: null,
    };
    for (const p of projections) this.busy.add(p.name);
    try {
      await this.jobLog.started(job, context);
    } catch (error) {
      for (const p of projections) this.busy.delete(p.name);
      throw error;
    }
    this.jobs.set(job.id, job);
    void this.run(job, projections, context);
    return job;
  }

  /** A job of this process, or one the log tells of (run by another process, or before a restart). */
  async job(id: string): Promise<RebuildJob> {
    const job = this.jobs.get(id) ?? (await this.jobLog.jobs()).map(fromLog).find((recorded) => recorded.id === id);
    if (!job) throw new NotFound(`No rebuild job ${id}`);
    return job;
  }

  /** The latest jobs, this process's and those the log tells of, newest first. */
  async listJobs(): Promise<RebuildJob[]> {
    const recorded = (await this.jobLog.jobs()).map(fromLog).filter((job) => !this.jobs.has(job.id));
    return [...this.jobs.values(), ...recorded].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0)).slice(0, LISTED_JOBS);
  }

  /**
   * Records as interrupted the jobs the log shows unfinished that no process can still be running: one that named a
   * projection whose abandoned generation was just dropped (its rebuild stopped stamping it), or one a day old.
   * Run at start, after the abandoned generations are dropped; returns the jobs it marked.
   */
  async markInterruptedJobs(dropped: readonly Target[]): Promise<string[]> {
    const droppedNames = new Set(dropped.map((target) => target.projection));
    const now = this.now();
    const marked: string[] = [];
    for (const job of await this.jobLog.jobs()) {
      if (job.state !== 'running' || this.jobs.has(job.id)) continue;
      const stale = now.getTime() - Date.parse(job.startedAt) > JOB_GIVEN_UP_MS;
      if (!stale && !job.projections.some((name) => droppedNames.has(name))) continue;
      const commandId = deterministicUuid('ProjectionJobInterrupted', job.id);
      const at = now.toISOString();
      const context: CommandContext = { commandId, correlationId: commandId, causationId: commandId, actor: JOB_KEEPER, occurredAt: at, businessDate: at.slice(0, 10), requestHash: '', idempotent: false };
      await this.jobLog.interrupted(job.id, at, stale ? 'unfinished after a day: the process running it stopped' : 'the process running it stopped (its unfinished generation was dropped)', context);
      marked.push(job.id);
    }
    return marked;
  }

  /** Waits for a job of this process to finish (CLI and tests). */
  async finished(id: string): Promise<RebuildJob> {
    const job = this.jobs.get(id);
    if (!job) throw new NotFound(`No rebuild job ${id} in this process`);
    while (job.state === 'running') await new Promise((resolve) => setTimeout(resolve, 20));
    return job;
  }

  private async run(job: RebuildJob, projections: readonly Projection[], context: CommandContext): Promise<void> {
    try {
      const onProgress = (progress: RebuildProgress) => (job.progress = progress);
      if (job.kind === 'rebuild') {
        await this.rebuildAll(projections, {
          onProgress,
          onResult: (result) => {
            job.results.push(result);
            this.runner?.requestRestart();
          },
        });
      } else {
        // A verify compares with the live copy through this process's store.
        const rebuilder = new ProjectionRebuilder(this.events, this.store, this.now);
        for (const projection of projections) job.results.push(await rebuilder.verify(projection, { ...this.rebuildOptions, onProgress }));
      }
      job.state = 'done';
    } catch (error) {
      job.state = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
    } finally {
      job.finishedAt = this.now().toISOString();
      for (const p of projections) this.busy.delete(p.name);
    }
    const { state, finishedAt } = job;
    if (state !== 'done' && state !== 'failed') return;
    try {
      await this.jobLog.finished({ id: job.id, state, results: job.results, error: job.error, finishedAt }, { ...context, occurredAt: finishedAt });
    } catch (error) {
      // The outcome stays in this process's memory; say why the log does not have it.
      job.error = `${job.error ? `${job.error}; ` : ''}the outcome could not be recorded in the log: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/** A job as the log tells it, in the shape of a job of this process. */
const fromLog = (job: RecordedJob): RebuildJob => ({ ...job, progress: null, results: [...job.results] });
