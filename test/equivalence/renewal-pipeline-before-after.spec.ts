import { ALL_PROJECTIONS, comparePipeline, GetRenewalPipeline, GetRenewalPipelineHandler, groupOfRepAt, inScope, pageOf, type Paging, PIPELINE_CALENDAR_COLLECTION, PIPELINE_CALENDAR_DOC_ID, type PipelineFilter, type PipelineRow, type PipelineSummary, RENEWAL_PIPELINE_PROJECTION, renewalPipelineEntries, viewerScope, withinWindow } from '#views';
import { type DemoOptions, generateDemoDays } from '#demo';
import { SqliteEventStore } from '#event-store';
import { ProjectionRebuilder, ProjectionRunner, SqliteReadStore } from '#read-store';
import { ReadModelReader, ReadSideData } from '../support/whole-collection-mirror';
import { type Actor, addDays, DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { toRequests } from './demo-follow';

/**
 * The renewal-pipeline read model against the computation it replaces. `before` below is the query handler as it
 * was (with the window rule fixed in the same change): every customer's facts mirrored in memory, the pipeline
 * computed per request for `asOf`. The log is appended one demo day at a time while the projections follow; on
 * each of the last 40 days every combination of viewer, filter and page must give the same answer from the read
 * model and from `before`, and so must a past day, which the new handler computes from facts read by index.
 */
const OPTIONS: DemoOptions = { seed: 515151, customers: 90, reps: 8, days: 420, startDay: '2025-01-06' };
/** The projections the compared answers read; the others would only slow the comparison down. */
const PROJECTIONS = ALL_PROJECTIONS.filter((p) => ['customer_facts', 'telemetry_daily', 'staff', 'churn_risk', 'renewal_pipeline'].includes(p.name));
const COMPARED_DAYS = 40;
const rules = DEFAULT_SERVICE_RULES;

const before = async (data: ReadSideData, actor: Actor, filter: PipelineFilter, paging: Paging) => {
  const [customers, reps] = await Promise.all([data.customers(), data.reps()]);
  const scope = viewerScope(actor, reps);
  const all: PipelineRow[] = [];
  for (const doc of customers.docs.values()) {
    for (const entry of renewalPipelineEntries(doc, rules, filter.asOf)) {
      if (!inScope(scope, entry.serviceRepId) || (filter.repId && entry.serviceRepId !== filter.repId)) continue;
      const groupId = groupOfRepAt(reps.docs.get(entry.serviceRepId), filter.asOf) ?? null;
      if (filter.groupId && groupId !== filter.groupId) continue;
      all.push({ ...entry, groupId });
    }
  }
  const windows: (number | 'ended')[] = ['ended', ...rules.pipelineWindows];
  const summary: PipelineSummary = {
    byWindow: windows.map((window) => {
      const inWindow = all.filter((row) => row.window === window);
      return {
        window,
        pending: inWindow.filter((row) => row.status === 'pending').length,
        renewed: inWindow.filter((row) => row.status === 'renewed').length,
        lapsed: inWindow.filter((row) => row.status === 'lapsed').length,
      };
    }),
    reminderDue: all.filter((row) => row.flags.includes('reminder_due')).length,
    underContacted: all.filter((row) => row.flags.includes('under_contacted')).length,
  };
  const rows = all
    .filter((row) => withinWindow(row, filter.window))
    .filter((row) => !filter.status || row.status === filter.status)
    .filter((row) => !filter.flag || row.flags.includes(filter.flag))
    .sort(comparePipeline);
  return { asOf: filter.asOf, summary, ...pageOf(rows, paging) };
};

describe('renewal pipeline: the read model answers as the per-request computation did', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner;
  let handler: GetRenewalPipelineHandler;
  const compared: string[] = [];
  const mismatches: string[] = [];
  let indexedAnswers = 0;
  let rowsCompared = 0;
  const statusesSeen = new Set<string>();
  const flagsSeen = new Set<string>();

  const viewers: Actor[] = [
    { id: 'mgr-1', role: 'manager' },
    { id: 'rep-001', role: 'rep' },
    { id: 'rep-003', role: 'rep' },
    { id: 'sup-001', role: 'supervisor' },
  ];
  const filtersFor = (asOf: string): PipelineFilter[] => [
    { asOf },
    { asOf, window: 15 },
    { asOf, window: 30 },
    { asOf, window: 90 },
    { asOf, window: 'ended' },
    { asOf, status: 'renewed' },
    { asOf, status: 'pending', window: 30 },
    { asOf, flag: 'reminder_due' },
    { asOf, flag: 'under_contacted' },
    { asOf, groupId: 'bid-1' },
    { asOf, repId: 'rep-002' },
  ];
  const pagings: Paging[] = [
    { offset: 0, limit: 10_000 },
    { offset: 3, limit: 4 },
  ];

  const compare = async (asOf: string) => {
    const data = new ReadSideData(new ReadModelReader(store), rules);
    for (const actor of viewers) {
      for (const filter of filtersFor(asOf)) {
        for (const paging of pagings) {
          const expected = await before(data, actor, filter, paging);
          const actual = await handler.execute(new GetRenewalPipeline(actor, filter, paging));
          rowsCompared += expected.items.length;
          for (const row of expected.items) {
            statusesSeen.add(row.status);
            for (const flag of row.flags) flagsSeen.add(flag);
          }
          try {
            expect(actual).toStrictEqual(expected);
          } catch {
            mismatches.push(`${asOf} ${actor.id} ${JSON.stringify(filter)} ${JSON.stringify(paging)}`);
          }
        }
      }
    }
  };

  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    runner = new ProjectionRunner(events, store, PROJECTIONS, { batchSize: 700 });
    handler = new GetRenewalPipelineHandler(store, rules);
    await runner.start();
    for (const day of generateDemoDays(OPTIONS)) {
      await events.appendMany(toRequests(day.events));
      if (day.index < OPTIONS.days - COMPARED_DAYS) continue;
      if (!(await runner.waitFor(await events.headPosition(), 30_000))) throw new Error(`projections did not catch up on ${day.day}`);
      const calendar = (await store.load({ projection: RENEWAL_PIPELINE_PROJECTION, generation: 1 }, PIPELINE_CALENDAR_COLLECTION, [PIPELINE_CALENDAR_DOC_ID])).get(PIPELINE_CALENDAR_DOC_ID);
      if ((calendar?.doc as { day?: string } | undefined)?.day === day.day) indexedAnswers += 1;
      await compare(day.day);
      // A past day, answered from dated facts by index.
      if (day.index % 4 === 0) await compare(addDays(day.day, -(day.index % 23) - 1));
      compared.push(day.day);
    }
  }, 240_000);

  afterAll(async () => {
    await runner.stop();
    await events.close();
    await store.close();
  });

  it(`answers every viewer, filter and page alike on each of the last ${COMPARED_DAYS} days, and on past days`, () => {
    expect(compared).toHaveLength(COMPARED_DAYS);
    expect(indexedAnswers).toBe(COMPARED_DAYS);
    expect(rowsCompared).toBeGreaterThan(COMPARED_DAYS * 50);
    expect([...statusesSeen].sort()).toStrictEqual(['lapsed', 'pending', 'renewed']);
    expect([...flagsSeen].sort()).toStrictEqual(['reminder_due', 'under_contacted']);
    expect(mismatches).toStrictEqual([]);
  });

  it('a rebuilt read model equals the live one', async () => {
    const projection = ALL_PROJECTIONS.find((p) => p.name === RENEWAL_PIPELINE_PROJECTION)!;
    const verified = await new ProjectionRebuilder(events, store).verify(projection, { batchSize: 333 });
    expect(verified.differences).toStrictEqual([]);
    expect(verified.documents).toBeGreaterThan(OPTIONS.customers);
  });
});
