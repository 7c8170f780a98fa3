import { Logger } from '@nestjs/common';
import { type DemoOptions, loadDemo } from '#demo';
import { addDays } from '#shared-kernel';
import { type AppConfig, demoEndDay, openEventStore } from '#engine';

const logger = new Logger('Demo');


export const demoOptionsFor = (config: AppConfig, now: Date): DemoOptions => {
  const { customers, reps, days, seed } = config.demo;
  return { customers, reps, days, seed, startDay: addDays(demoEndDay(config, now), -(days - 1)) };
};

/**
 * `npm start` on an empty event store writes a demo year first (DEMO=off to start empty), so a newcomer sees a
 * working team. A store that holds anything is left alone.
 */
export const loadDemoIfEmpty = async (config: AppConfig, now: Date = new Date()): Promise<void> => {
  if (!config.demo.enabled) return;
  const store = await openEventStore(config);
  try {
    if ((await store.headPosition()) >= 0n) return;
    const options = demoOptionsFor(config, now);
    logger.log(
      `Empty event store: loading a demo year (${options.customers} customers, ${options.reps} service reps, ${options.startDay} to ${addDays(options.startDay, options.days - 1)}, seed ${options.seed}); DEMO=off starts empty`,
    );
    let lastLog = Date.now();
    const summary = await loadDemo(
      store,
      options,
      (p) => {
        if (p.stage === 'finishing') return logger.log(`demo: all ${p.events.toLocaleString('en-US')} events written; indexing and committing them`);
        if (Date.now() - lastLog < 2000) return;
        lastLog = Date.now();
        logger.log(`demo: day ${p.daysDone}/${p.days}, ${p.events.toLocaleString('en-US')} events written`);
      },
      { generate: 'worker' },
    );
    logger.log(`Demo loaded: ${summary.events.toLocaleString('en-US')} events in ${(summary.elapsedMs / 1000).toFixed(1)} s; the projections build from them now`);
  } finally {
    await store.close();
  }
};
