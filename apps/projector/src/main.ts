import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { assertReadModelsMatchLog, ProjectionRunner } from '#read-store';
import { ProjectionAdmin } from '#reporting';
import { projectionsFor } from '#views';
import { loadConfig, loggersFor, openEventStore, openReadStore, storeLocations } from '#engine';

const STATUS_EVERY_MS = 30_000;

/**
 * Runs the projections alone, for the production engines (EventStoreDB → MongoDB): start one next to API
 * instances started with PROJECTIONS=off. Logs each projection's lag periodically and stops cleanly on SIGTERM.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  Logger.overrideLogger(loggersFor(config).nest);
  const logger = new Logger('Projector');
  const events = await openEventStore(config);
  const store = await openReadStore(config);
  const projections = projectionsFor(config.rules);
  await assertReadModelsMatchLog(events, store, storeLocations(config));
  const runner = new ProjectionRunner(events, store, projections, { log: (message) => logger.warn(message) });
  const admin = new ProjectionAdmin(events, store, projections, runner, undefined, { memoryBudgetMb: config.rebuildMemoryMb });
  const dropped = await admin.dropAbandonedGenerations();
  for (const target of dropped) {
    logger.warn(`Dropped generation ${target.generation} of ${target.projection}, left behind by an interrupted rebuild or verify`);
  }
  for (const job of await admin.markInterruptedJobs(dropped)) logger.warn(`Recorded job ${job} as interrupted: the process running it stopped`);
  await admin.rebuildOutdated((message) => logger.warn(message));
  await runner.start();
  logger.log(`Running ${projections.length} projections: ${config.eventStore.engine} → ${config.readStore.engine}`);
  const timer = setInterval(() => {
    void admin.status().then((statuses) => {
      for (const s of statuses) {
        const note = s.failure ? ` STOPPED at ${s.failure.position}: ${s.failure.message}` : '';
        logger.log(`${s.name}: ${s.state}, checkpoint ${s.checkpoint}/${s.head}, lag ${s.lagEvents} events ${s.lagMs} ms, ${s.eventsPerSecond ?? 0} events/s${note}`);
      }
    });
  }, STATUS_EVERY_MS);
  const stop = async () => {
    clearInterval(timer);
    await runner.stop();
    await Promise.all([events.close(), store.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
};

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
