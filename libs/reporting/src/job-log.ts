import { eventsToAppend, type EventStore, type RecordedEvent } from '#event-store';
import type { CommandContext } from '#shared-kernel';

/**
 * Rebuild and verify jobs as events, so a job's outcome outlives the process that ran it, and who started what
 * and when is in the log: `ProjectionJobStarted`, then `ProjectionJobFinished` (done or failed, with its results),
 * or `ProjectionJobInterrupted` when the process running it stopped.
 */
export const JOBS_STREAM = 'projection-jobs';
export const JOB_STARTED = 'ProjectionJobStarted';
export const JOB_FINISHED = 'ProjectionJobFinished';
export const JOB_INTERRUPTED = 'ProjectionJobInterrupted';

export type JobKind = 'rebuild' | 'verify';
export type JobState = 'running' | 'done' | 'failed' | 'interrupted';

/** A job as the log tells it. */
export interface RecordedJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly projections: readonly string[];
  readonly state: JobState;
  readonly results: readonly unknown[];
  readonly error: string | null;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly finishedAt: string | null;
}

/** Bigints as decimal strings, so results can be stored as JSON. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

export class JobLog {
  constructor(private readonly events: EventStore) {}

  async started(job: { readonly id: string; readonly kind: JobKind; readonly projections: readonly string[]; readonly startedAt: string }, context: CommandContext): Promise<void> {
    await this.append(context, JOB_STARTED, { jobId: job.id, kind: job.kind, projections: [...job.projections], startedAt: job.startedAt });
  }

  async finished(job: { readonly id: string; readonly state: 'done' | 'failed'; readonly results: readonly unknown[]; readonly error: string | null; readonly finishedAt: string }, context: CommandContext): Promise<void> {
    await this.append(context, JOB_FINISHED, { jobId: job.id, state: job.state, results: plain(job.results), error: job.error, finishedAt: job.finishedAt });
  }

  async interrupted(jobId: string, at: string, reason: string, context: CommandContext): Promise<void> {
    await this.append(context, JOB_INTERRUPTED, { jobId, interruptedAt: at, reason });
  }

  /** Every job the log holds, the latest first. */
  async jobs(): Promise<RecordedJob[]> {
    const byId = new Map<string, RecordedJob>();
    for (const event of await this.events.readStream(JOBS_STREAM)) {
      const next = applyJobEvent(byId.get(String(event.data.jobId)), event);
      if (next) byId.set(next.id, next);
    }
    return [...byId.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  private async append(context: CommandContext, type: string, data: Record<string, unknown>): Promise<void> {
    await this.events.append(JOBS_STREAM, eventsToAppend({ ...context, commandId: `${context.commandId}:${type}` }, JOBS_STREAM, [{ type, data }]), 'any');
  }
}

/** A job after one of its events (an event of a job never started is ignored). */
export const applyJobEvent = (job: RecordedJob | undefined, event: RecordedEvent): RecordedJob | undefined => {
  const data = event.data;
  switch (event.type) {
    case JOB_STARTED:
      return {
        id: String(data.jobId),
        kind: data.kind === 'verify' ? 'verify' : 'rebuild',
        projections: Array.isArray(data.projections) ? data.projections.map(String) : [],
        state: 'running',
        results: [],
        error: null,
        startedAt: String(data.startedAt),
        startedBy: event.metadata.actor.id,
        finishedAt: null,
      };
    case JOB_FINISHED:
      return job && { ...job, state: data.state === 'done' ? 'done' : 'failed', results: Array.isArray(data.results) ? data.results : [], error: typeof data.error === 'string' ? data.error : null, finishedAt: String(data.finishedAt) };
    case JOB_INTERRUPTED:
      return job && job.state === 'running' ? { ...job, state: 'interrupted', error: String(data.reason), finishedAt: String(data.interruptedAt) } : job;
    default:
      return job;
  }
};
