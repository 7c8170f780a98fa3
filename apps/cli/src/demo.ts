import { type DemoOptions, loadDemo, type LoadProgress, type LoadSummary } from '#demo';
import type { EventStore } from '#event-store';
import { addDays, isIsoDate } from '#shared-kernel';
import { DEFAULT_DEMO, demoEndDay, loadConfig, openEventStore } from '#engine';
import { UsageError } from './args';
import { progressReporter, type ProgressState } from './progress';


const toProgress = (p: LoadProgress): ProgressState => {
  const seconds = p.elapsedMs / 1000;
  const fraction = p.daysDone / p.days;
  return {
    label: 'demo',
    fraction,
    detail:
      p.stage === 'finishing'
        ? `all ${p.events.toLocaleString('en-US')} events written; indexing and committing them`
        : `day ${p.daysDone}/${p.days} (${p.day}), ${p.events.toLocaleString('en-US')} events written`,
    eventsPerSecond: seconds > 0 ? Math.round(p.events / seconds) : 0,
    // Indexing and committing the whole at the end has no measure of its own to estimate from.
    etaSeconds: p.stage === 'finishing' || fraction === 0 ? null : (seconds / fraction) * (1 - fraction),
  };
};

/** Loads the demo with a progress bar on stderr; shared by the CLI and `npm start` on an empty data directory. */
export const loadDemoWithProgress = async (store: EventStore, options: DemoOptions, stream: NodeJS.WriteStream = process.stderr): Promise<LoadSummary> => {
  const reporter = progressReporter(stream, 2000);
  let last: LoadProgress | null = null;
  const summary = await loadDemo(
    store,
    options,
    (p) => {
      last = p;
      reporter.update(toProgress(p));
    },
    { generate: 'worker' },
  );
  reporter.done(last && toProgress(last));
  return summary;
};

const intOption = (options: Map<string, string | true>, name: string, fallback: number, min: number, max: number): number => {
  const value = options.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};

export const demoLoad = async (options: Map<string, string | true>): Promise<void> => {
  const config = loadConfig();
  const days = intOption(options, 'days', DEFAULT_DEMO.days, 1, 1_100);
  const end = options.get('end') ?? demoEndDay(config, new Date());
  if (!isIsoDate(end)) throw new UsageError('--end must be a day (YYYY-MM-DD)');
  const demo: DemoOptions = {
    customers: intOption(options, 'customers', DEFAULT_DEMO.customers, 1, 200_000),
    reps: intOption(options, 'reps', DEFAULT_DEMO.reps, 1, 2_000),
    days,
    seed: intOption(options, 'seed', DEFAULT_DEMO.seed, 0, 2 ** 32 - 1),
    startDay: addDays(end, -(days - 1)),
  };
  const store = await openEventStore(config);
  try {
    process.stderr.write(`Loading a demo of ${demo.customers} customers and ${demo.reps} service reps, ${demo.startDay} to ${end} (seed ${demo.seed})\n`);
    const summary = await loadDemoWithProgress(store, demo);
    process.stderr.write(
      `Wrote ${summary.events.toLocaleString('en-US')} events to ${summary.streams.toLocaleString('en-US')} streams in ${(summary.elapsedMs / 1000).toFixed(1)} s ` +
        `(${summary.eventsPerSecond.toLocaleString('en-US')} events/s). Projections build when the service (or npm run projector) starts.\n`,
    );
  } finally {
    await store.close();
  }
};
