import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { assertReadModelsMatchLog, ProjectionRunner } from '#read-store';
import { ProjectionAdmin } from '#reporting';
import { projectionsFor } from '#views';
import { loadConfig, loggersFor, openEventStore, openReadStore, rebuildPoolFor, storeLocations } from '#engine';
import { catchUpLine } from './progress';

const STATUS_EVERY_MS = 30_000;
/** While behind the log, how often a line says how far (and once level with it, that it is). */
const PROGRESS_EVERY_MS = 5_000;
/** How soon an append by the service is seen in the embedded store: the projector looks for new events this often. */
const FOLLOW_EMBEDDED_EVERY_MS = 10;

/**
 * Runs the projections alone: next to API instances started with PROJECTIONS=off (the production engines), or as the
 * child of a service started with PROJECTIONS=process (the embedded default), which it stops with. Logs each
 * projection's lag periodically and stops cleanly on SIGTERM.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  Logger.overrideLogger(loggersFor(config).nest);
  const logger = new Logger('Projector');
  const events = await openEventStore(config, { otherWritersCheckMs: FOLLOW_EMBEDDED_EVERY_MS });
  const store = await openReadStore(config);
  const projections = projectionsFor(config.rules);
  await assertReadModelsMatchLog(events, store, storeLocations(config));
  // Started by the service, it holds the leases under the name the service gives each projector it starts.
  const leaseOwner = process.env.PROJECTOR_LEASE_OWNER;
  const runner = new ProjectionRunner(events, store, projections, { log: (message) => logger.warn(message), ...(leaseOwner ? { leaseOwner } : {}) });
  const admin = new ProjectionAdmin(events, store, projections, runner, undefined, { memoryBudgetMb: config.rebuildMemoryMb }, rebuildPoolFor(config));
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
    }, (error: unknown) => logger.warn(`Could not read the projections' status: ${error instanceof Error ? error.message : String(error)}`));
  }, STATUS_EVERY_MS);
  let behind = true;
  const progress = setInterval(() => {
    void admin.status().then((statuses) => {
      const line = catchUpLine(statuses);
      if (line) logger.log(line);
      else if (behind) logger.log(`Level with the log at position ${statuses[0]?.head ?? '-1'}: every projection is live`);
      behind = line !== null;
    }, (error: unknown) => logger.warn(`Could not read the projections' status: ${error instanceof Error ? error.message : String(error)}`));
  }, PROGRESS_EVERY_MS);
  const stop = async () => {
    clearInterval(timer);
    clearInterval(progress);
    await runner.stop();
    await Promise.all([events.close(), store.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // Started by the service (PROJECTIONS=process): when the service goes, even killed, its channel closes.
  if (process.send) process.once('disconnect', () => void stop());
};

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
