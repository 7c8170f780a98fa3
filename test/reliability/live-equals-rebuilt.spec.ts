import { type EventToAppend, SqliteEventStore } from '#event-store';
import { type CollectionSpec, ProjectionRebuilder, ProjectionRunner, type ReadStore, SqliteReadStore, type Target } from '#read-store';
import { ALL_PROJECTIONS, FactReads, GetChurnRisk, GetChurnRiskHandler, GetRenewalPipeline, GetRenewalPipelineHandler, GetRepKpis, GetRepKpisHandler, GetSpendLeaderboard, GetSpendLeaderboardHandler, GetTeamKpis, GetTeamKpisHandler, GetWorklist, GetWorklistHandler } from '#views';
import { type Actor, addDays, canonicalJson, DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { type DemoEvent, type DemoOptions, generateDemoLog } from '#demo';

const OPTIONS: DemoOptions = { seed: 20260105, customers: 40, reps: 8, days: 120, startDay: '2026-01-05' };
const LAST_DAY = addDays(OPTIONS.startDay, OPTIONS.days - 1);
const MANAGER: Actor = { id: 'mgr-1', role: 'manager' };
const REP: Actor = { id: 'rep-001', role: 'rep' };

/**
 * Every document of every collection of one generation, with the position of the last event applied to it; a
 * derived document without it (it is written when its content changes, so its position depends on the batches).
 */
const snapshot = async (store: ReadStore, target: Target, collections: readonly CollectionSpec[]): Promise<Map<string, string>> => {
  const docs = new Map<string, string>();
  for (const { name, derived } of collections) {
    for await (const stored of store.scan(target, name)) docs.set(`${name}/${stored.doc.id}`, `${derived ? 'derived' : stored.position}|${canonicalJson(stored.doc)}`);
  }
  return docs;
};

/** The answers of every view, through the query handlers, from a fresh reader (no mirror or memo carried over). */
const answers = async (store: ReadStore) => {
  const data = new FactReads(store, DEFAULT_SERVICE_RULES);
  const paging = { offset: 0, limit: 10_000 };
  const finishedWeek = addDays(LAST_DAY, -10);
  return canonicalJson({
    churn: await new GetChurnRiskHandler(store, DEFAULT_SERVICE_RULES).execute(new GetChurnRisk(MANAGER, { asOf: LAST_DAY }, paging)),
    pipeline: await new GetRenewalPipelineHandler(store, DEFAULT_SERVICE_RULES).execute(new GetRenewalPipeline(MANAGER, { asOf: LAST_DAY }, paging)),
    pastPipeline: await new GetRenewalPipelineHandler(store, DEFAULT_SERVICE_RULES).execute(new GetRenewalPipeline(MANAGER, { asOf: addDays(LAST_DAY, -30) }, paging)),
    worklist: await new GetWorklistHandler(store, DEFAULT_SERVICE_RULES).execute(new GetWorklist(REP, REP.id, LAST_DAY)),
    repMonth: await new GetRepKpisHandler(data).execute(new GetRepKpis(REP, REP.id, 'month', addDays(LAST_DAY, -20))),
    team: await new GetTeamKpisHandler(data).execute(new GetTeamKpis(MANAGER, 'month', addDays(LAST_DAY, -20))),
    board: await new GetSpendLeaderboardHandler(data).execute(new GetSpendLeaderboard(MANAGER, finishedWeek)),
  });
};

describe('a live read side built in many small batches equals one rebuilt from the log', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner;
  let log: DemoEvent[];

  beforeAll(async () => {
    log = [...generateDemoLog(OPTIONS)];
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    runner = new ProjectionRunner(events, store, ALL_PROJECTIONS, { batchSize: 64 });
    await runner.start();
    // Appended in small chunks while the runner follows, yielding between chunks so it applies each as it comes.
    let chunk: DemoEvent[] = [];
    const flush = async () => {
      for (let i = 0; i < chunk.length; ) {
        const stream = chunk[i]!.streamName;
        const batch: EventToAppend[] = [];
        while (i < chunk.length && chunk[i]!.streamName === stream) batch.push(chunk[i++]!.event);
        await events.append(stream, batch, 'any');
      }
      chunk = [];
      await new Promise((resolve) => setImmediate(resolve));
    };
    for (const item of log) {
      chunk.push(item);
      if (chunk.length >= 37) await flush();
    }
    await flush();
    const head = await events.headPosition();
    if (!(await runner.waitFor(head, 60_000))) throw new Error(`The runner did not catch up to ${head}`);
    // About 30 s on a quiet two-core machine (the log holds each customer’s telemetry from before the demo’s first
    // day), so the hook gets room beyond it.
  }, 120_000);

  afterAll(async () => {
    await runner.stop();
    await events.close();
    await store.close();
  });

  it('holds every kind of event the views depend on, so the comparison is not vacuous', () => {
    const count = (predicate: (e: EventToAppend) => boolean) => log.filter(({ event }) => predicate(event)).length;
    expect(log.length).toBeGreaterThan(3000);
    expect(count((e) => e.type === 'ServiceRepAssigned')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'RepMovedToGroup')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'DailySpendCorrected')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'DailyUsageCorrected')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'RenewalCollected' && e.data.winBack === true)).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'RenewalCollected' && e.data.winBack === false)).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'CustomerChurned' && e.data.kind === 'lapsed')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'CustomerChurned' && e.data.kind === 'cancelled')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'VisitRecorded' && e.data.level === 2)).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'IssueResolutionCommunicated')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'RenewalReminderSent')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'FollowUpCompleted')).toBeGreaterThanOrEqual(1);
    expect(count((e) => e.type === 'ComplaintFiled')).toBeGreaterThanOrEqual(1);
  });

  it('generates the same log for the same seed', () => {
    const again = [...generateDemoLog(OPTIONS)];
    expect(again.length).toBe(log.length);
    expect(canonicalJson(again.slice(-50))).toBe(canonicalJson(log.slice(-50)));
  });

  it('applied the whole log live with no projection stopped', () => {
    for (const lane of runner.snapshot()) {
      expect(lane.failure).toBeNull();
      expect(lane.checkpoint).toBeGreaterThanOrEqual(BigInt(log.length));
    }
  });

  it('verifies every projection against a scratch rebuild with zero differences, built through the store and in memory past a small budget', async () => {
    const rebuilder = new ProjectionRebuilder(events, store);
    for (const [projection, memoryBudgetMb] of ALL_PROJECTIONS.flatMap((p) => [[p, 0] as const, [p, 0.05] as const])) {
      const result = await rebuilder.verify(projection, { memoryBudgetMb });
      expect({ projection: projection.name, differences: result.differences }).toEqual({ projection: projection.name, differences: [] });
      expect(result.documents).toBeGreaterThan(0);
    }
  });

  it('rebuilds every projection into a new generation equal, document by document, to the live one', async () => {
    await runner.stop();
    const before = await answers(store);
    const rebuilder = new ProjectionRebuilder(events, store);
    for (const projection of ALL_PROJECTIONS) {
      const live: Target = { projection: projection.name, generation: (await store.registration(projection.name))!.liveGeneration };
      const liveDocs = await snapshot(store, live, projection.collections);
      const result = await rebuilder.rebuild(projection, { batchSize: 1000 });
      expect(result.replacedGeneration).toBe(live.generation);
      const rebuiltDocs = await snapshot(store, { projection: projection.name, generation: result.generation }, projection.collections);
      expect(liveDocs.size).toBeGreaterThan(0);
      const differing = [...new Set([...liveDocs.keys(), ...rebuiltDocs.keys()])].filter((key) => liveDocs.get(key) !== rebuiltDocs.get(key));
      expect({ projection: projection.name, differing }).toEqual({ projection: projection.name, differing: [] });
    }
    const after = await answers(store);
    expect(after).toBe(before);
    // The answers are not empty: the views really were computed from the generated facts.
    const parsed = JSON.parse(before) as { churn: { total: number }; worklist: { customersAssigned: number }; team: { reps: unknown[] } };
    expect(parsed.churn.total).toBeGreaterThan(0);
    expect(parsed.worklist.customersAssigned).toBeGreaterThan(0);
    expect(parsed.team.reps.length).toBeGreaterThan(0);
  });
});
