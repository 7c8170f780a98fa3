import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, EventStore } from '#event-store';
import { APP_CONFIG, AppConfig } from '#engine';
import { type ProjectionRunner, READ_STORE, ReadStore } from '#read-store';
import { projectionsFor } from '#views';
import { Public } from '../http/auth.guard';
import { RETRY_AFTER_SECONDS } from '../http/error.filter';
import { PROJECTION_RUNNER } from '../read-side.module';

/** One check of readiness: ok, or what is wrong. */
export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

export interface Readiness {
  readonly status: 'ready' | 'not_ready';
  readonly checks: {
    readonly eventStoreRead: Check;
    readonly eventStoreWrite: Check;
    readonly readStoreRead: Check;
    readonly readStoreWrite: Check;
    readonly projections: Check;
  };
  /** Per projection: its state, and how far behind the head of the log it is (positions). */
  readonly projections: readonly { readonly name: string; readonly state: string; readonly checkpoint: string; readonly behind: string }[];
  readonly headPosition: string | null;
}

/**
 * How far behind the log (positions) a projection may be and still count as having caught up since the service
 * started. Until each has, the service is not ready: after a start on a long log, its views would answer from the
 * past. Once caught up, a projection that falls behind under load leaves readiness alone (its lag is reported).
 */
export const CAUGHT_UP_WITHIN = 1_000n;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const attempt = async <T>(run: () => Promise<T>, ok: (value: T) => string): Promise<Check & { value?: T }> => {
  try {
    const value = await run();
    return { ok: true, detail: ok(value), value };
  } catch (error) {
    return { ok: false, detail: messageOf(error) };
  }
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  /** Projections that have been level with the log (within CAUGHT_UP_WITHIN) since this service started. */
  private readonly caughtUp = new Set<string>();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and the head of the event log (see /health/ready for readiness)' })
  async health() {
    return { status: 'ok', eventStore: this.config.eventStore.engine, headPosition: (await this.events.headPosition()).toString() };
  }

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (restart it when this fails)' })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: both stores can be read and written, every read model is built, has caught up with the log since the service started, and no projection has stopped at an event. 503 with Retry-After and the failing checks otherwise',
  })
  @ApiResponse({ status: 200, description: 'Ready to serve' })
  @ApiResponse({ status: 503, description: 'Not ready: the checks say what is wrong' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.readiness();
    if (readiness.status !== 'ready') {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    }
    return readiness;
  }

  private async readiness(): Promise<Readiness> {
    const head = await attempt(() => this.events.headPosition(), (position) => `head at position ${position}`);
    const eventStoreWrite: Check = this.events.probeWrite
      ? await attempt(() => this.events.probeWrite!(), () => 'takes writes')
      : { ok: true, detail: 'not checked: KurrentDB cannot be probed for writes without appending an event' };
    const registrations = await attempt(() => this.store.registrations(), (rows) => `${rows.length} read models registered`);
    const readStoreWrite = await attempt(() => this.store.probeWrite(), () => 'takes writes');
    const snapshots = new Map((this.runner?.snapshot() ?? []).map((s) => [s.name, s]));
    const rows: Readiness['projections'][number][] = [];
    const problems: string[] = [];
    if (registrations.ok) {
      for (const projection of projectionsFor(this.config.rules)) {
        const registration = registrations.value!.find((r) => r.projection === projection.name);
        if (!registration || registration.liveGeneration === 0) {
          rows.push({ name: projection.name, state: 'not_built', checkpoint: '-1', behind: '-' });
          problems.push(`${projection.name} is not built yet`);
          continue;
        }
        const checkpoint = await attempt(() => this.store.checkpoint({ projection: projection.name, generation: registration.liveGeneration }), () => '');
        if (!checkpoint.ok) {
          problems.push(`${projection.name}: ${checkpoint.detail}`);
          continue;
        }
        const failure = snapshots.get(projection.name)?.failure ?? checkpoint.value!.failure;
        const position = checkpoint.value!.position;
        const state = failure ? 'failed' : (snapshots.get(projection.name)?.state ?? 'external');
        if (failure) problems.push(`${projection.name} stopped at position ${failure.position}: ${failure.message}`);
        const lag = head.ok && head.value! > position ? head.value! - position : 0n;
        if (head.ok && lag <= CAUGHT_UP_WITHIN) this.caughtUp.add(projection.name);
        if (!failure && !this.caughtUp.has(projection.name)) problems.push(`${projection.name} is catching up: ${lag.toLocaleString('en-US')} events behind the log`);
        rows.push({ name: projection.name, state, checkpoint: position.toString(), behind: lag.toString() });
      }
    }
    const projections: Check = !registrations.ok
      ? { ok: false, detail: 'not checked: the read-model store cannot be read' }
      : problems.length > 0
        ? { ok: false, detail: problems.join('; ') }
        : { ok: true, detail: `${rows.length} read models built and caught up, none stopped` };
    const checks = { eventStoreRead: head, eventStoreWrite, readStoreRead: registrations, readStoreWrite, projections };
    const ready = Object.values(checks).every((check) => check.ok);
    const plain = (check: Check): Check => ({ ok: check.ok, detail: check.detail });
    return {
      status: ready ? 'ready' : 'not_ready',
      checks: {
        eventStoreRead: plain(head),
        eventStoreWrite: plain(eventStoreWrite),
        readStoreRead: plain(registrations),
        readStoreWrite: plain(readStoreWrite),
        projections,
      },
      projections: rows,
      headPosition: head.ok ? head.value!.toString() : null,
    };
  }
}
