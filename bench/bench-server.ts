import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '#engine';
import { PROJECTION_RUNNER } from '../apps/api/src/read-side.module';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { ProjectionRunner } from '#read-store';

/** A server for the HTTP benchmark, in its own process so the load generator does not share its event loop. */
@Controller()
class BareController {
  @Post('bare')
  @HttpCode(201)
  bare() {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

const main = async () => {
  const mode = process.argv[2];
  let app: NestFastifyApplication;
  if (mode === 'bare') {
    app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter({ logger: false }), { logger: false });
  } else {
    const dataDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'bench-http-'));
    app = await createApp(
      loadConfig({ DATA_DIR: dataDir, AUTH_TOKEN_SECRET: process.env.AUTH_TOKEN_SECRET ?? '', LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '0', EVENTSTORE_DURABILITY: process.argv[4] ?? 'full', PROJECTIONS: process.argv[5] ?? 'inline' }),
      { logger: false },
    );
  }
  if (mode !== 'bare') {
    // Ready once the projections have caught up with the log it was given, so a read benchmark reads built models.
    await app.init();
    const runner = app.get<ProjectionRunner | null>(PROJECTION_RUNNER);
    if (runner && !(await runner.waitFor(await app.get<EventStore>(EVENT_STORE).headPosition(), 600_000))) throw new Error('projections did not catch up');
  }
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`READY ${address.port}\n`);
  const shutdown = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

void main();
