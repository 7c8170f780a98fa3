import { ALL_PROJECTIONS, CHURN_RISK_PROJECTION, churnRisk, type ChurnRiskFilter, type ChurnRiskLevel, compareRisk, GetChurnRisk, GetChurnRiskHandler, groupOfRepAt, inScope, pageOf, viewerScope } from '#views';
import { isChurnedAsOf, repAssignedAt } from '#customer';
import { type DemoOptions, generateDemoDays } from '#demo';
import { SqliteEventStore } from '#event-store';
import { ProjectionRebuilder, ProjectionRunner, SqliteReadStore } from '#read-store';
import { ReadModelReader, ReadSideData } from '../support/whole-collection-mirror';
import { type Actor, addDays, DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { toRequests } from './demo-follow';

/**
 * The churn-risk read model against the computation it replaces. `before` below is the query handler as it was:
 * every customer's facts and telemetry mirrored in memory, scored per request for `asOf`. The log is appended one
 * demo day at a time while the projections follow, and on each of the last 40 days every combination of viewer and
 * filter must give the same page from the read model (its business day) and from `before`; so must past days,
 * which the new handler computes from facts read by index.
 */
const OPTIONS: DemoOptions = { seed: 424242, customers: 70, reps: 8, days: 150, startDay: '2025-09-01' };
/** The projections the compared answers read; the others would only slow the comparison down. */
const PROJECTIONS = ALL_PROJECTIONS.filter((p) => ['customer_facts', 'telemetry_daily', 'staff', 'churn_risk'].includes(p.name));
const COMPARED_DAYS = 40;
const PAGE = { offset: 0, limit: 10_000 };

const before = async (data: ReadSideData, actor: Actor, filter: ChurnRiskFilter) => {
  const [customers, reps] = await Promise.all([data.customers(), data.reps()]);
  const scope = viewerScope(actor, reps);
  const telemetry = await data.churnTelemetry(filter.asOf);
  const rows = [];
  for (const doc of customers.docs.values()) {
    if (doc.signedOn > filter.asOf || (filter.product && doc.product !== filter.product)) continue;
    const repId = repAssignedAt(doc, filter.asOf);
    if (!repId || !inScope(scope, repId) || (filter.repId && repId !== filter.repId)) continue;
    const groupId = groupOfRepAt(reps.docs.get(repId), filter.asOf) ?? null;
    if (filter.groupId && groupId !== filter.groupId) continue;
    if (isChurnedAsOf(doc, filter.asOf)) continue;
    const { usage, spend } = telemetry.of(doc.id);
    const risk = churnRisk(doc, usage, spend, DEFAULT_SERVICE_RULES, filter.asOf);
    if (filter.level && risk.level !== filter.level) continue;
    rows.push({ ...risk, companyName: doc.companyName, product: doc.product, keyAccount: doc.keyAccount, serviceRepId: repId, groupId });
  }
  rows.sort(compareRisk);
  return { asOf: filter.asOf, ...pageOf(rows, PAGE) };
};

describe('churn risk: the read model answers as the per-request computation did', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner;
  let handler: GetChurnRiskHandler;
  const compared: string[] = [];
  const mismatches: string[] = [];
  let indexedAnswers = 0;
  let rowsCompared = 0;

  const viewers: Actor[] = [
    { id: 'mgr-1', role: 'manager' },
    { id: 'rep-001', role: 'rep' },
    { id: 'rep-003', role: 'rep' },
    { id: 'sup-001', role: 'supervisor' },
  ];
  const filtersFor = (asOf: string): ChurnRiskFilter[] => [
    { asOf },
    { asOf, level: 'high' as ChurnRiskLevel },
    { asOf, level: 'low' as ChurnRiskLevel },
    { asOf, product: 'bidding' },
    { asOf, groupId: 'bid-1' },
    { asOf, repId: 'rep-002' },
  ];

  const compare = async (asOf: string) => {
    const data = new ReadSideData(new ReadModelReader(store), DEFAULT_SERVICE_RULES);
    for (const actor of viewers) {
      for (const filter of filtersFor(asOf)) {
        const expected = await before(data, actor, filter);
        const actual = await handler.execute(new GetChurnRisk(actor, filter, PAGE));
        rowsCompared += expected.items.length;
        try {
          expect(actual).toStrictEqual(expected);
        } catch {
          mismatches.push(`${asOf} ${actor.id} ${JSON.stringify(filter)}`);
        }
      }
    }
  };

  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    runner = new ProjectionRunner(events, store, PROJECTIONS, { batchSize: 500 });
    handler = new GetChurnRiskHandler(store, DEFAULT_SERVICE_RULES);
    await runner.start();
    for (const day of generateDemoDays(OPTIONS)) {
      await events.appendMany(toRequests(day.events));
      if (day.index < OPTIONS.days - COMPARED_DAYS) continue;
      if (!(await runner.waitFor(await events.headPosition(), 20_000))) throw new Error(`projections did not catch up on ${day.day}`);
      const calendar = (await store.load({ projection: CHURN_RISK_PROJECTION, generation: 1 }, 'calendar', ['today'])).get('today');
      if ((calendar?.doc as { day?: string } | undefined)?.day === day.day) indexedAnswers += 1;
      await compare(day.day);
      // A past day, answered from dated facts by index.
      await compare(addDays(day.day, -(day.index % 17) - 1));
      compared.push(day.day);
    }
  }, 120_000);

  afterAll(async () => {
    await runner.stop();
    await events.close();
    await store.close();
  });

  it(`answers every viewer and filter alike on each of the last ${COMPARED_DAYS} days, and on a past day from each`, () => {
    expect(compared).toHaveLength(COMPARED_DAYS);
    expect(indexedAnswers).toBe(COMPARED_DAYS);
    expect(rowsCompared).toBeGreaterThan(COMPARED_DAYS * 100);
    expect(mismatches).toStrictEqual([]);
  });

  it('keeps answering alike after back-dated facts, and a rebuilt read model equals the live one', async () => {
    const last = compared[compared.length - 1]!;
    const data = new ReadSideData(new ReadModelReader(store), DEFAULT_SERVICE_RULES);
    const victim = (await before(data, { id: 'mgr-1', role: 'manager' }, { asOf: last })).items.find((row) => row.reasons.some((r) => r.code === 'no_contact'))!;
    expect(victim).toBeDefined();
    const metadata = { commandId: 'c-late', correlationId: 'c-late', causationId: 'c-late', actor: { id: victim.serviceRepId, role: 'rep' as const }, occurredAt: `${last}T03:00:00.000Z`, schemaVersion: 1 };
    await events.append(
      `customer-${victim.customerId}`,
      [
        {
          id: '00000000-0000-8000-8000-00000000late',
          type: 'VisitRecorded',
          data: { customerId: victim.customerId, visitId: 'v-late', repId: victim.serviceRepId, serviceRepId: victim.serviceRepId, level: 1, channel: 'phone', purpose: 'care', reached: true, summary: 'late entry', satisfaction: 1, visitedOn: addDays(last, -3) },
          metadata,
        },
      ],
      'any',
    );
    expect(await runner.waitFor(await events.headPosition(), 10_000)).toBe(true);
    await compare(last);
    expect(mismatches).toStrictEqual([]);
    const after = await handler.execute(new GetChurnRisk({ id: 'mgr-1', role: 'manager' }, { asOf: last }, PAGE));
    const row = after.items.find((r) => r.customerId === victim.customerId)!;
    expect(row.reasons.map((r) => r.code)).not.toContain('no_contact');
    expect(row.reasons.map((r) => r.code)).toContain('low_satisfaction');

    const projection = ALL_PROJECTIONS.find((p) => p.name === CHURN_RISK_PROJECTION)!;
    const verified = await new ProjectionRebuilder(events, store).verify(projection, { batchSize: 777 });
    expect(verified.differences).toStrictEqual([]);
    expect(verified.documents).toBeGreaterThan(OPTIONS.customers);
  });
});
