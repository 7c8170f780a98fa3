import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ExecutorObserver } from '#event-store';
import type { ProjectionStatus } from '#reporting';

/** Stream names are `<category>-<id>`: metrics are labelled by category, never by id. */
export const streamCategory = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash > 0 ? streamName.slice(0, dash) : streamName;
};

/** Error codes that mean a store could not be used (apps/api/src/http/error.filter.ts). */
const STORE_ERRORS: Readonly<Record<string, string>> = {
  EVENT_STORE_UNAVAILABLE: 'event_store',
  READ_STORE_UNAVAILABLE: 'read_store',
  STORE_UNAVAILABLE: 'database_file',
};

/**
 * The service's Prometheus metrics (prom-client), in a registry of its own per application: commands (latency by
 * command and outcome, retries and conflicts by stream category), HTTP answers (latency by route and status, errors
 * by code, store failures by store), each projection's checkpoint, lag and rate read at scrape time, and Node's own
 * process metrics (memory, CPU, event-loop lag, GC).
 */
@Injectable()
export class ServiceMetrics implements ExecutorObserver {
  readonly registry = new Registry();
  private readonly commandSeconds = new Histogram({
    name: 'after_sales_command_duration_seconds',
    help: 'Time from a command arriving to its answer, by command and outcome (ok, or the error code)',
    labelNames: ['command', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'after_sales_command_retries_total',
    help: 'Commands decided again because their stream changed between the read and the append',
    labelNames: ['stream_category'],
    registers: [this.registry],
  });
  private readonly conflicts = new Counter({
    name: 'after_sales_command_conflicts_total',
    help: 'Commands given up with 409 after their stream kept changing through every retry',
    labelNames: ['stream_category'],
    registers: [this.registry],
  });
  private readonly httpSeconds = new Histogram({
    name: 'after_sales_http_request_duration_seconds',
    help: 'HTTP answers by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'after_sales_http_errors_total',
    help: 'Error answers by status and code',
    labelNames: ['status', 'code'],
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'after_sales_store_errors_total',
    help: 'Requests that met a store it could not use (answered 503)',
    labelNames: ['store'],
    registers: [this.registry],
  });
  private statuses: () => Promise<readonly ProjectionStatus[]> = async () => [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'after_sales_' });
    const figures: [string, string, (status: ProjectionStatus) => number][] = [
      ['after_sales_projection_checkpoint', 'Position of the last event the projection applied (-1: none)', (s) => Number(s.checkpoint)],
      ['after_sales_projection_lag_events', 'Events in the log the projection has not applied yet (capped at 10,000)', (s) => s.lagEvents],
      ['after_sales_projection_lag_seconds', 'How long ago the first event it has not applied was recorded', (s) => s.lagMs / 1000],
      ['after_sales_projection_events_per_second', 'Events applied per second over the last seconds (0 when another process runs it)', (s) => s.eventsPerSecond ?? 0],
      ['after_sales_projection_up', '1 while the projection is live or catching up (here or in another process), 0 when failed, stopped or not built', (s) => (['live', 'catching_up', 'external'].includes(s.state) ? 1 : 0)],
    ];
    // Read when scraped. prom-client collects every metric at once, so the five gauges share one status read.
    let shared: { at: number; read: Promise<readonly ProjectionStatus[]> } | undefined;
    const statuses = () => {
      if (!shared || Date.now() - shared.at > 250) shared = { at: Date.now(), read: this.statuses() };
      return shared.read;
    };
    for (const [name, help, value] of figures) {
      new Gauge({
        name,
        help,
        labelNames: ['projection'],
        registers: [this.registry],
        async collect() {
          const current = await statuses();
          this.reset();
          for (const status of current) this.set({ projection: status.name }, value(status));
        },
      });
    }
  }

  /** Where the projections' statuses come from (the read side registers itself at start). */
  readProjectionsFrom(statuses: () => Promise<readonly ProjectionStatus[]>): void {
    this.statuses = statuses;
  }

  retried(streamName: string): void {
    this.retries.inc({ stream_category: streamCategory(streamName) });
  }

  conflicted(streamName: string): void {
    this.conflicts.inc({ stream_category: streamCategory(streamName) });
  }

  /** Runs a command and records how long it took and how it ended. */
  async timeCommand<T>(command: string, run: () => Promise<T>): Promise<T> {
    const end = this.commandSeconds.startTimer({ command });
    try {
      const result = await run();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error';
      end({ outcome: code });
      throw error;
    }
  }

  answered(method: string, route: string, status: number, seconds: number): void {
    this.httpSeconds.observe({ method, route, status: String(status) }, seconds);
  }

  failed(status: number, code: string): void {
    this.errors.inc({ status: String(status), code });
    const store = STORE_ERRORS[code];
    if (store) this.storeErrors.inc({ store });
  }
}
