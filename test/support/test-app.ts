import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp, FASTIFY_OPTIONS } from '../../apps/api/src/bootstrap';
import { PROJECTION_RUNNER } from '../../apps/api/src/read-side.module';
import type { ProjectionRunner } from '#read-store';
import { AppConfig, loadConfig } from '#engine';
import { issueToken } from '#auth';
import { EVENT_STORE, EventStore } from '#event-store';
import { CLOCK, FixedClock, type Role } from '#shared-kernel';

export const TEST_SECRET = 'e2e-test-secret-long-enough-for-hs256-0123456789';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly store: EventStore;
  readonly clock: FixedClock;
  readonly config: AppConfig;
  token(id: string, role: Role): string;
  /** Resolves once the in-process projections have applied everything appended so far (within 5 s by default). */
  caughtUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real application module on a temporary embedded store, with a fixed clock so business dates in
 * the tests do not depend on the day they run.
 */
export const createTestApp = async (
  options: {
    now?: string;
    env?: Record<string, string>;
    wrapStore?: (store: EventStore) => EventStore;
    /** Writes into the event store before the application starts (as `npm start` loads its demo first). */
    beforeStart?: (store: EventStore) => Promise<unknown>;
  } = {},
): Promise<TestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'after-sales-e2e-'));
  try {
    return await startTestApp(dataDir, options);
  } catch (error) {
    // A test of a refused start-up leaves no directory behind either.
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
};

const startTestApp = async (dataDir: string, options: Parameters<typeof createTestApp>[0] & object): Promise<TestApp> => {
  // Projections in the test's own process, so a test can wait for them (the service's default is a child process).
  const config = loadConfig({ DATA_DIR: dataDir, AUTH_TOKEN_SECRET: TEST_SECRET, PROJECTIONS: 'inline', ...options.env });
  if (options.beforeStart) {
    const { openEventStore } = await import('#engine');
    const store = await openEventStore(config);
    await options.beforeStart(store).finally(() => store.close());
  }
  const clock = new FixedClock(new Date(options.now ?? '2026-03-10T02:00:00.000Z'));
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(CLOCK)
    .useValue(clock);
  if (options.wrapStore) {
    const { openEventStore } = await import('#engine');
    const wrap = options.wrapStore;
    builder = builder.overrideProvider(EVENT_STORE).useFactory({ factory: async () => wrap(await openEventStore(config)) });
  }
  const moduleRef = await builder.compile();
  moduleRef.useLogger(false);
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(FASTIFY_OPTIONS), { logger: false });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    store: app.get(EVENT_STORE),
    clock,
    config,
    token: (id, role) => issueToken({ id, role }, TEST_SECRET, Math.floor(clock.now().getTime() / 1000), 3600),
    caughtUp: async (timeoutMs = 5000) => {
      const runner = app.get<ProjectionRunner | null>(PROJECTION_RUNNER);
      if (!runner) throw new Error('Projections are not running in this test app (PROJECTIONS=off)');
      const head = await app.get<EventStore>(EVENT_STORE).headPosition();
      if (!(await runner.waitFor(head, timeoutMs))) throw new Error(`Projections did not reach position ${head}: ${JSON.stringify(runner.snapshot(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    },
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export interface Call {
  readonly status: number;
  // A response body as the tests read it: any JSON shape, checked by the assertions themselves.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: Record<string, any>;
  readonly headers: Record<string, unknown>;
}

/** One HTTP call through Fastify's injector (no socket). */
export const call = async (
  t: TestApp,
  method: 'GET' | 'POST',
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> => {
  const response = await t.app.inject({
    method,
    url,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.body !== undefined ? { payload: options.body as object } : {}),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : {}, headers: response.headers };
};
