import { SqliteEventStore } from '#event-store';
import { ALL_PROJECTIONS } from '#views';
import { applyEvents, settlePending, type WorkingSet } from '#read-store';

/** What applying each projection's events in memory costs, apart from reading the log and writing documents. */
export interface ProjectionWork {
  /** Reading and parsing each projection's events, summed over the projections (each reads its own). */
  readonly readMs: number;
  /** `touches`, `evolve`, `settle` and `derive` alone, summed over the projections. */
  readonly applyMs: number;
  readonly projections: readonly { readonly name: string; readonly events: number; readonly readMs: number; readonly applyMs: number }[];
}

const BATCH = 20_000;

/**
 * The floor under any rebuild of these projections: each projection's events read from the log as a rebuild reads
 * them (timed apart) and applied to documents held in memory, as a rebuild in memory applies them, with nothing
 * written. What a rebuild takes beyond `readMs + applyMs` is the engine's (writes, bounded memory, garbage collection
 * of a smaller heap); what `applyMs` takes is the projections' own code. Prints JSON on stdout; run it in a process
 * of its own with a heap large enough for the largest read model held whole (derived rows are let go as a rebuild
 * lets them go).
 */
const main = async (): Promise<void> => {
  const [eventsFile] = process.argv.slice(2);
  if (!eventsFile) throw new Error('usage: projection-work <events.db>');
  const events = new SqliteEventStore({ filename: eventsFile, crossProcessCheckMs: 0 });
  const projections: ProjectionWork['projections'][number][] = [];
  try {
    for (const projection of ALL_PROJECTIONS) {
      const working: WorkingSet = new Map();
      const changed = new Set<string>();
      const derived = new Set<string>();
      const unsettled = new Set<string>();
      let readMs = 0;
      let applyMs = 0;
      let count = 0;
      let after: bigint | undefined;
      for (;;) {
        let started = performance.now();
        const batch = await events.readAll({ ...(after !== undefined ? { after } : {}), maxCount: BATCH, filter: { eventTypes: projection.eventTypes } });
        readMs += performance.now() - started;
        started = performance.now();
        const result = applyEvents(projection, batch, working, changed, derived, undefined, undefined, unsettled);
        if (result.failed) throw result.failed.error;
        // Derived rows are written and let go in a rebuild: here they are only let go.
        for (const key of derived) working.delete(key);
        derived.clear();
        changed.clear();
        applyMs += performance.now() - started;
        count += batch.length;
        if (batch.length < BATCH) break;
        after = batch[batch.length - 1]!.position;
      }
      const started = performance.now();
      const failure = settlePending(projection, working, changed, unsettled, derived);
      if (failure) throw failure.error;
      applyMs += performance.now() - started;
      projections.push({ name: projection.name, events: count, readMs: Math.round(readMs), applyMs: Math.round(applyMs) });
      process.stderr.write(`  ${projection.name}: ${count} events, read ${Math.round(readMs)} ms, applied in memory ${Math.round(applyMs)} ms\n`);
    }
  } finally {
    await events.close();
  }
  const sum = (pick: (p: ProjectionWork['projections'][number]) => number) => projections.reduce((total, p) => total + pick(p), 0);
  const work: ProjectionWork = { readMs: sum((p) => p.readMs), applyMs: sum((p) => p.applyMs), projections };
  process.stdout.write(`${JSON.stringify(work)}\n`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
