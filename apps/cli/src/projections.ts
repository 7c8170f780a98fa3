import { ProjectionRebuilder, type RebuildProgress, type RebuildResult } from '#read-store';
import { ProjectionAdmin } from '#reporting';
import { ALL_PROJECTIONS, projectionsFor } from '#views';
import { loadConfig, openEventStore, openReadStore, rebuildPoolFor } from '#engine';
import { UsageError } from './args';
import { fromRebuild, fromRebuilds, progressReporter } from './progress';

const open = async () => {
  const config = loadConfig();
  const events = await openEventStore(config);
  const store = await openReadStore(config);
  const pool = rebuildPoolFor(config);
  const admin = new ProjectionAdmin(events, store, projectionsFor(config.rules), undefined, undefined, { memoryBudgetMb: config.rebuildMemoryMb }, pool);
  return { config, events, store, admin, pool, close: async () => Promise.all([events.close(), store.close()]) };
};

/** Runs one rebuild or verify with a progress line that ends on its final state. */
const withProgress = async <T>(work: (onProgress: (p: RebuildProgress) => void) => Promise<T>): Promise<T> => {
  const reporter = progressReporter();
  let last: RebuildProgress | null = null;
  const result = await work((p) => {
    last = p;
    reporter.update(fromRebuild(p));
  });
  reporter.done(last && fromRebuild(last));
  return result;
};

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
};

export const projectionsList = async (): Promise<void> => {
  const { admin, close } = await open();
  try {
    const status = await admin.status();
    const rows = [
      ['NAME', 'STATE', 'GEN', 'CHECKPOINT', 'HEAD', 'LAG (events)', 'LAG (ms)', 'NOTE'],
      ...status.map((s) => [
        s.name,
        s.state,
        String(s.generation),
        s.checkpoint,
        s.head,
        `${s.lagEventsCapped ? '≥' : ''}${s.lagEvents}`,
        String(s.lagMs),
        s.failure ? `stopped at ${s.failure.position} (${s.failure.eventType}): ${s.failure.message}` : s.outdated ? `built by v${s.liveVersion}, code is v${s.version}: rebuild` : s.description,
      ]),
    ];
    process.stdout.write(`${table(rows)}\n`);
  } finally {
    await close();
  }
};

const namesFrom = (positional: readonly string[], options: Map<string, string | true>, verb: string): string[] => {
  const names = options.has('all') ? ALL_PROJECTIONS.map((p) => p.name) : positional.slice(2);
  if (names.length === 0) throw new UsageError(`projections ${verb} needs a projection name (or --all); known: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
  for (const name of names) {
    if (!ALL_PROJECTIONS.some((p) => p.name === name)) throw new UsageError(`No projection named ${name}; known: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
  }
  return names;
};

export const projectionsRebuild = async (positional: readonly string[], options: Map<string, string | true>): Promise<void> => {
  const names = namesFrom(positional, options, 'rebuild');
  const { config, events, store, admin, pool, close } = await open();
  const report = (result: RebuildResult) => {
    const seconds = result.elapsedMs / 1000;
    process.stdout.write(
      `Rebuilt ${result.projection}: ${result.events} events in ${seconds.toFixed(1)} s (${Math.round(result.events / Math.max(seconds, 0.001))} events/s); ` +
        `generation ${result.generation} is live${result.replacedGeneration ? `, generation ${result.replacedGeneration} removed` : ''}\n`,
    );
  };
  try {
    if (pool) {
      // REBUILD_THREADS at once, each in a thread of its own; one line shows them all.
      const reporter = progressReporter();
      const running = new Map<string, RebuildProgress>();
      const done = new Set<string>();
      const finished: RebuildResult[] = [];
      const state = () => fromRebuilds(names, running, done);
      try {
        await pool.rebuild(
          names.map((name) => admin.named(name)),
          {
            memoryBudgetMb: config.rebuildMemoryMb,
            onProgress: (p) => {
              running.set(p.projection, p);
              reporter.update(state());
            },
            onResult: (result) => {
              done.add(result.projection);
              finished.push(result);
              reporter.update(state());
            },
          },
        );
      } finally {
        // Below the progress line, each one that is live, in the order they finished (also when another failed).
        reporter.done(state());
        finished.forEach(report);
      }
      return;
    }
    const rebuilder = new ProjectionRebuilder(events, store);
    for (const name of names) report(await withProgress((onProgress) => rebuilder.rebuild(admin.named(name), { memoryBudgetMb: config.rebuildMemoryMb, onProgress })));
  } finally {
    await close();
  }
};

/** Exit code 1 when any difference is found, so scripts can rely on it. */
export const projectionsVerify = async (positional: readonly string[], options: Map<string, string | true>): Promise<number> => {
  const names = namesFrom(positional, options, 'verify');
  const { events, store, admin, close } = await open();
  let differences = 0;
  try {
    const rebuilder = new ProjectionRebuilder(events, store);
    for (const name of names) {
      const result = await withProgress((onProgress) => rebuilder.verify(admin.named(name), { onProgress }));
      differences += result.differences.length;
      if (result.differences.length === 0) {
        process.stdout.write(`${name}: the live read model equals a rebuild at position ${result.position} (${result.documents} documents)\n`);
        continue;
      }
      process.stdout.write(`${name}: ${result.differences.length}${result.truncated ? '+' : ''} difference(s) at position ${result.position}:\n`);
      for (const d of result.differences) {
        process.stdout.write(`  ${d.collection}/${d.id}: ${d.kind}${d.fields ? ` (${d.fields.join(', ')})` : ''}\n`);
      }
    }
  } finally {
    await close();
  }
  return differences === 0 ? 0 : 1;
};
