import { repAssignedAt } from '#customer';
import { activeAt, ALL_PROJECTIONS, assertCanSeeRep, CHURN_RISK_PROJECTION, compareWorklist, GetWorklist, GetWorklistHandler, viewerScope, worklistEntry, type WorklistEntry } from '#views';
import { type DemoOptions, generateDemoDays } from '#demo';
import { SqliteEventStore } from '#event-store';
import { ProjectionRebuilder, ProjectionRunner, SqliteReadStore } from '#read-store';
import { ReadModelReader, ReadSideData } from '../support/whole-collection-mirror';
import { type Actor, addDays, DEFAULT_SERVICE_RULES, NotFound } from '#shared-kernel';
import { outcome, toRequests } from './demo-follow';

/**
 * The worklist read from the churn-risk read model against the computation it replaces. `before` below is the
 * query handler as it was (with `customersAssigned` counting active customers, the rule fixed in the same change):
 * every customer's facts and telemetry mirrored in memory, the list computed per request. On each of the last 40
 * days of a demo log appended day by day, every rep's worklist, seen by the rep, a supervisor and a manager, must be
 * the same, and so must past days and the errors for a rep out of scope or unknown.
 */
const OPTIONS: DemoOptions = { seed: 737373, customers: 80, reps: 8, days: 400, startDay: '2025-01-06' };
/** The projections the compared answers read; the others would only slow the comparison down. */
const PROJECTIONS = ALL_PROJECTIONS.filter((p) => ['customer_facts', 'telemetry_daily', 'staff', 'churn_risk'].includes(p.name));
const COMPARED_DAYS = 40;
const rules = DEFAULT_SERVICE_RULES;

const before = async (data: ReadSideData, actor: Actor, repId: string, asOf: string) => {
  const [customers, reps] = await Promise.all([data.customers(), data.reps()]);
  assertCanSeeRep(viewerScope(actor, reps), repId);
  if (!reps.docs.has(repId)) throw new NotFound(`Rep ${repId} does not exist`);
  const telemetry = await data.churnTelemetry(asOf);
  const entries: WorklistEntry[] = [];
  let customersAssigned = 0;
  for (const doc of customers.docs.values()) {
    if (repAssignedAt(doc, asOf) !== repId) continue;
    if (activeAt(doc, asOf)) customersAssigned += 1;
    const { usage, spend } = telemetry.of(doc.id);
    const entry = worklistEntry(doc, usage, spend, rules, repId, asOf);
    if (entry) entries.push(entry);
  }
  return { repId, asOf, customersAssigned, entries: entries.sort(compareWorklist) };
};

describe('worklist: the read model answers as the per-request computation did', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner;
  let handler: GetWorklistHandler;
  const compared: string[] = [];
  const mismatches: string[] = [];
  let entriesCompared = 0;
  let errorsCompared = 0;
  const kindsSeen = new Set<string>();

  const repIds = ['rep-001', 'rep-002', 'rep-003', 'rep-004', 'rep-005', 'sup-001', 'rep-404'];
  const viewersOf = (repId: string): Actor[] => [
    { id: repId, role: 'rep' },
    { id: 'rep-001', role: 'rep' },
    { id: 'sup-001', role: 'supervisor' },
    { id: 'mgr-1', role: 'manager' },
  ];

  const compare = async (asOf: string) => {
    const data = new ReadSideData(new ReadModelReader(store), rules);
    for (const repId of repIds) {
      for (const actor of viewersOf(repId)) {
        const expected = await outcome(() => before(data, actor, repId, asOf));
        const actual = await outcome(() => handler.execute(new GetWorklist(actor, repId, asOf)));
        if ('error' in (expected as object)) errorsCompared += 1;
        else {
          for (const entry of (expected as { entries: WorklistEntry[] }).entries) {
            entriesCompared += 1;
            for (const item of entry.items) kindsSeen.add(item.kind);
          }
        }
        try {
          expect(actual).toStrictEqual(expected);
        } catch {
          mismatches.push(`${asOf} ${actor.role}:${actor.id} → ${repId}`);
        }
      }
    }
  };

  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    runner = new ProjectionRunner(events, store, PROJECTIONS, { batchSize: 600 });
    handler = new GetWorklistHandler(store, rules);
    await runner.start();
    for (const day of generateDemoDays(OPTIONS)) {
      await events.appendMany(toRequests(day.events));
      if (day.index < OPTIONS.days - COMPARED_DAYS) continue;
      if (!(await runner.waitFor(await events.headPosition(), 30_000))) throw new Error(`projections did not catch up on ${day.day}`);
      await compare(day.day);
      if (day.index % 5 === 0) await compare(addDays(day.day, -(day.index % 19) - 1));
      compared.push(day.day);
    }
  }, 240_000);

  afterAll(async () => {
    await runner.stop();
    await events.close();
    await store.close();
  });

  it(`answers every rep's worklist alike for every viewer on each of the last ${COMPARED_DAYS} days, and on past days`, () => {
    expect(compared).toHaveLength(COMPARED_DAYS);
    expect(entriesCompared).toBeGreaterThan(COMPARED_DAYS * 20);
    expect(errorsCompared).toBeGreaterThan(COMPARED_DAYS);
    expect([...kindsSeen].sort()).toStrictEqual([
      'expiring_under_contacted',
      'follow_up_due',
      'issue_awaiting_communication',
      'issue_awaiting_resolution',
      'no_login',
      'not_contacted',
      'reminder_due',
      'unread_inquiries',
    ]);
    expect(mismatches).toStrictEqual([]);
  });

  it('a rebuilt churn-risk read model, worklists included, equals the live one', async () => {
    const projection = ALL_PROJECTIONS.find((p) => p.name === CHURN_RISK_PROJECTION)!;
    const verified = await new ProjectionRebuilder(events, store).verify(projection, { batchSize: 451 });
    expect(verified.differences).toStrictEqual([]);
  });
});
