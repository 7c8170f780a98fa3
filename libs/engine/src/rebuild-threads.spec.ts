import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemo } from '#demo';
import { SqliteEventStore } from '#event-store';
import { ProjectionRebuilder, type ReadStore, type RebuildProgress, SqliteReadStore } from '#read-store';
import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { ALL_PROJECTIONS } from '#views';
import { type StoresConfig } from './open-stores';
import { rebuildHeapMb, RebuildThreads, rebuildPoolFor } from './rebuild-threads';

const TS_REGISTER = join(__dirname, '..', '..', '..', 'test', 'support', 'ts-register.js');
const LOADER = ['--require', TS_REGISTER];

/** Every document of every projection's live generation, by projection and collection, in id order. */
const liveDocuments = async (store: ReadStore) => {
  const out: Record<string, unknown[]> = {};
  for (const projection of ALL_PROJECTIONS) {
    const registration = await store.registration(projection.name);
    const target = { projection: projection.name, generation: registration!.liveGeneration };
    for (const { name } of projection.collections) {
      const docs: unknown[] = [];
      for await (const stored of store.scan(target, name)) docs.push(stored.doc);
      out[`${projection.name}/${name}`] = docs;
    }
  }
  return out;
};

describe('rebuilds in threads of their own', () => {
  let dir: string;
  let stores: StoresConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rebuild-threads-'));
    stores = { dataDir: dir, eventStore: { engine: 'sqlite', file: join(dir, 'events.db'), durability: 'normal' }, readStore: { engine: 'sqlite', file: join(dir, 'threads.db') } };
    const events = new SqliteEventStore({ filename: join(dir, 'events.db') });
    await loadDemo(events, { seed: 3, customers: 40, reps: 5, days: 60, startDay: '2026-01-05' });
    await events.close();
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds every projection two at a time, each document as a rebuild in this process builds it', async () => {
    const progress: RebuildProgress[] = [];
    const delivered: string[] = [];
    const pool = new RebuildThreads({ stores, rules: DEFAULT_SERVICE_RULES }, { threads: 2, execArgv: LOADER });
    const results = await pool.rebuild(ALL_PROJECTIONS, { onProgress: (p) => progress.push(p), onResult: (r) => delivered.push(r.projection) });
    expect(results.map((r) => r.projection)).toStrictEqual(ALL_PROJECTIONS.map((p) => p.name));
    expect([...delivered].sort()).toStrictEqual(ALL_PROJECTIONS.map((p) => p.name).sort());
    expect(results.every((r) => r.generation === 1 && r.replacedGeneration === 0)).toBe(true);
    // Each projection reports its own progress, ending done at the head.
    for (const projection of ALL_PROJECTIONS) expect(progress.filter((p) => p.projection === projection.name).at(-1)?.fraction).toBe(1);

    const events = new SqliteEventStore({ filename: stores.eventStore.engine === 'sqlite' ? stores.eventStore.file : '' });
    const threaded = new SqliteReadStore({ filename: join(dir, 'threads.db') });
    const inProcess = new SqliteReadStore({ filename: join(dir, 'in-process.db') });
    try {
      const rebuilder = new ProjectionRebuilder(events, inProcess);
      const here = [];
      for (const projection of ALL_PROJECTIONS) here.push(await rebuilder.rebuild(projection));
      expect(results.map((r) => [r.projection, r.events, r.checkpoint])).toStrictEqual(here.map((r) => [r.projection, r.events, r.checkpoint]));
      const expected = await liveDocuments(inProcess);
      expect(Object.values(expected).reduce((n, docs) => n + docs.length, 0)).toBeGreaterThan(1000);
      expect(await liveDocuments(threaded)).toStrictEqual(expected);
    } finally {
      await Promise.all([events.close(), threaded.close(), inProcess.close()]);
    }
  }, 120_000);

  it('fails with the failure of the projection that failed, and starts no other after it', async () => {
    const pool = new RebuildThreads({ stores, rules: DEFAULT_SERVICE_RULES }, { threads: 1, execArgv: LOADER });
    const unknown = { ...ALL_PROJECTIONS[2]!, name: 'no_such_view' };
    const delivered: string[] = [];
    await expect(pool.rebuild([unknown, ALL_PROJECTIONS[2]!], { onResult: (r) => delivered.push(r.projection) })).rejects.toThrow(/^No projection named no_such_view$/);
    expect(delivered).toStrictEqual([]);
  }, 60_000);

  it('names the store a thread cannot open', async () => {
    const broken: StoresConfig = { ...stores, eventStore: { engine: 'sqlite', file: dir, durability: 'normal' } };
    const pool = new RebuildThreads({ stores: broken, rules: DEFAULT_SERVICE_RULES }, { threads: 1, execArgv: LOADER });
    await expect(pool.rebuild([ALL_PROJECTIONS[2]!])).rejects.toThrow(`Cannot open the event store at ${dir}`);
  }, 60_000);

  it('says a thread ran out of memory, and what to change', async () => {
    const pool = new RebuildThreads({ stores, rules: DEFAULT_SERVICE_RULES }, { threads: 1, execArgv: LOADER, heapMb: 4 });
    await expect(pool.rebuild([ALL_PROJECTIONS[2]!])).rejects.toThrow(
      /^the rebuild of staff stopped: .*memory limit.* \(a lower REBUILD_MEMORY_MB holds less of a read model in memory; REBUILD_THREADS=0 rebuilds in the process itself, with its heap\)$/,
    );
  }, 60_000);

  it('gives each thread a heap of six times the in-memory budget, at least 384 MB', () => {
    expect([0, 64, 65, 512].map(rebuildHeapMb)).toStrictEqual([384, 384, 390, 3072]);
  });

  it('is what REBUILD_THREADS asks for: none for 0, none from the sources without a loader, else that many', () => {
    const config = { ...stores, rules: DEFAULT_SERVICE_RULES, rebuildMemoryMb: 64 };
    expect(rebuildPoolFor({ ...config, rebuildThreads: 0 }, LOADER)).toBeUndefined();
    expect(rebuildPoolFor({ ...config, rebuildThreads: 3 })).toBeUndefined();
    expect(rebuildPoolFor({ ...config, rebuildThreads: 3 }, LOADER)?.threads).toBe(3);
  });
});
