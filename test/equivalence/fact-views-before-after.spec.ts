import { type CustomerFactsDoc, repAssignedAt, visitQuality, weeklyFeedback } from '#customer';
import { type DemoOptions, generateDemoDays } from '#demo';
import { SqliteEventStore } from '#event-store';
import { liveTarget, ProjectionRebuilder, ProjectionRunner, SqliteReadStore } from '#read-store';
import { ALL_PROJECTIONS, assertCanSeeRep, capacity, FactReads, GetRepKpis, GetRepKpisHandler, GetSpendLeaderboard, GetSpendLeaderboardHandler, GetTeamKpis, GetTeamKpisHandler, groupOfRepAt, inScope, repKpis, spendLeaderboard, viewerScope } from '#views';
import { effectReport, GetCapacity, GetCapacityHandler, GetEffectReport, GetEffectReportHandler, GetVisitQuality, GetVisitQualityHandler, GetWeeklyFeedback, GetWeeklyFeedbackHandler, selectTerm } from '#reporting';
import { type Actor, addDays, BadRequest, DEFAULT_SERVICE_RULES, Forbidden, monthStart, NotFound, periodBounds, type PeriodKind, weekEnd, weekStart } from '#shared-kernel';
import type { RepDayDoc, RepDoc } from '#staff';
import { monthDocId, monthsCovering, SPEND_MONTHS_COLLECTION, type SpendMonthDoc, spendSeries, type SpendSeries, TELEMETRY_READ_MODEL, USAGE_MONTHS_COLLECTION, type UsageMonthDoc, usageSeries } from '#telemetry';
import { ReadModelReader, ReadSideData } from '../support/whole-collection-mirror';
import { outcome, toRequests } from './demo-follow';

/**
 * The views still computed from facts (KPIs, the leaderboard, the reports), read per request by index and id,
 * against the computation over the whole-collection mirror they replace. Each `before` below is the query
 * handler as it was. On each of the last 35 days of a demo log appended day by day, every viewer's answer (or
 * error) must be the same.
 */
const OPTIONS: DemoOptions = { seed: 919191, customers: 70, reps: 8, days: 260, startDay: '2025-03-03' };
/** The projections the compared answers read; the others would only slow the comparison down. */
const PROJECTIONS = ALL_PROJECTIONS.filter((p) => ['customer_facts', 'telemetry_daily', 'staff', 'rep_activity', 'churn_risk', 'spend_leaderboard', 'rep_kpis'].includes(p.name));
const COMPARED_DAYS = 31;
const rules = DEFAULT_SERVICE_RULES;

const byRep = (days: Iterable<RepDayDoc>, customers: Iterable<CustomerFactsDoc>) => {
  const dayIndex = new Map<string, RepDayDoc[]>();
  for (const day of days) (dayIndex.get(day.repId) ?? dayIndex.set(day.repId, []).get(day.repId)!).push(day);
  const customerIndex = new Map<string, CustomerFactsDoc[]>();
  for (const customer of customers) {
    const reps = new Set([customer.salesRepId, ...customer.assignments.map((a) => a.repId)]);
    for (const repId of reps) (customerIndex.get(repId) ?? customerIndex.set(repId, []).get(repId)!).push(customer);
  }
  return { days: (repId: string) => dayIndex.get(repId) ?? [], customers: (repId: string) => customerIndex.get(repId) ?? [] };
};
const kpisRow = (rep: RepDoc, period: ReturnType<typeof periodBounds>, index: ReturnType<typeof byRep>) => ({
  ...repKpis({ rep, period, days: index.days(rep.id), customers: index.customers(rep.id), rules }),
  repName: rep.name,
  role: rep.role,
  groupId: groupOfRepAt(rep, period.to) ?? null,
});

const before = {
  repKpis: async (data: ReadSideData, actor: Actor, repId: string, period: PeriodKind, of: string) => {
    const [reps, days, customers] = await Promise.all([data.reps(), data.repDays(), data.customers()]);
    assertCanSeeRep(viewerScope(actor, reps), repId);
    const rep = reps.docs.get(repId);
    if (!rep) throw new NotFound(`Rep ${repId} does not exist`);
    return kpisRow(rep, periodBounds({ kind: period, of }), byRep(days.docs.values(), customers.docs.values()));
  },
  teamKpis: async (data: ReadSideData, actor: Actor, period: PeriodKind, of: string, groupId?: string) => {
    const [reps, days, customers] = await Promise.all([data.reps(), data.repDays(), data.customers()]);
    const scope = viewerScope(actor, reps);
    const bounds = periodBounds({ kind: period, of });
    const index = byRep(days.docs.values(), customers.docs.values());
    const rows = [...reps.docs.values()]
      .filter((rep) => inScope(scope, rep.id) && (!groupId || groupOfRepAt(rep, bounds.to) === groupId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((rep) => kpisRow(rep, bounds, index));
    return { period, from: bounds.from, to: bounds.to, reps: rows };
  },
  leaderboard: async (data: ReadSideData, week: string) => {
    const from = weekStart(week);
    const lookBackFrom = addDays(from, -(7 + rules.leaderboard.deadAfterDays + 7));
    const [customers, reps, groups, telemetry] = await Promise.all([data.customers(), data.reps(), data.groups(), data.telemetry(lookBackFrom, addDays(from, 6))]);
    const bidding: CustomerFactsDoc[] = [];
    const spend = new Map<string, SpendSeries>();
    for (const doc of customers.docs.values()) {
      if (doc.product !== 'bidding' || doc.signedOn > addDays(from, 6)) continue;
      bidding.push(doc);
      spend.set(doc.id, telemetry.of(doc.id).spend);
    }
    return spendLeaderboard({ weekStart: from, customers: bidding, spend, reps: [...reps.docs.values()], groups: [...groups.docs.values()], rules });
  },
  weeklyFeedback: async (data: ReadSideData, actor: Actor, week: string, asOf?: string) => {
    const [customers, reps] = await Promise.all([data.customers(), data.reps()]);
    const scope = viewerScope(actor, reps);
    if (asOf !== undefined && asOf < weekStart(week)) {
      const message = `asOf must not be before the week's Monday ${weekStart(week)}`;
      throw new BadRequest('VALIDATION_FAILED', message, { fields: [{ field: 'asOf', problems: [message] }] });
    }
    const through = asOf !== undefined && asOf < weekEnd(week) ? asOf : weekEnd(week);
    return weeklyFeedback([...customers.docs.values()].filter((doc) => inScope(scope, repAssignedAt(doc, through))), week, asOf);
  },
  visitQuality: async (data: ReadSideData, actor: Actor, period: PeriodKind, of: string, groupId?: string) => {
    const [customers, reps] = await Promise.all([data.customers(), data.reps()]);
    const scope = viewerScope(actor, reps);
    const bounds = periodBounds({ kind: period, of });
    const visible = (repId: string) => inScope(scope, repId) && (groupId === undefined || groupOfRepAt(reps.docs.get(repId), bounds.to) === groupId);
    const rowReps = [...reps.docs.values()].filter((rep) => rep.role !== 'sales' && visible(rep.id)).map((rep) => rep.id);
    const report = visitQuality({ period: bounds, customers: customers.docs.values(), inScope: visible, repIds: rowReps, groupOf: (repId, day) => groupOfRepAt(reps.docs.get(repId), day), rules: rules.visitQuality });
    return {
      ...report,
      groupId: groupId ?? null,
      reps: report.reps.map((row) => ({ ...row, repName: reps.docs.get(row.repId)?.name ?? null, groupId: groupOfRepAt(reps.docs.get(row.repId), bounds.to) ?? null })),
    };
  },
  effectReport: async (data: ReadSideData, store: SqliteReadStore, actor: Actor, customerId: string, asOf: string) => {
    const [customers, reps] = await Promise.all([data.customers(), data.reps()]);
    const scope = viewerScope(actor, reps);
    const doc = customers.docs.get(customerId);
    if (!doc) throw new NotFound(`Customer ${customerId} does not exist`);
    if (!inScope(scope, doc.serviceRepId)) throw new Forbidden(`You may not see customer ${customerId}'s effect report`);
    const selection = selectTerm(doc, { kind: 'current' }, asOf);
    if (!selection.ok) {
      if (selection.reason === 'no_such_term') throw new NotFound(selection.message);
      throw new BadRequest('TERM_NOT_STARTED', selection.message, { field: 'term' });
    }
    const from = selection.previous?.start ?? selection.term.start;
    const target = await liveTarget(store, TELEMETRY_READ_MODEL);
    const ids = monthsCovering(from, selection.term.counted.to).map((month) => monthDocId(customerId, month));
    const [usage, spend] = await Promise.all([store.load(target, USAGE_MONTHS_COLLECTION, ids), store.load(target, SPEND_MONTHS_COLLECTION, ids)]);
    const repNames = new Map([...reps.docs.values()].map((r) => [r.id, r.name]));
    return effectReport({
      doc,
      selection,
      usage: usageSeries([...usage.values()].map((stored) => stored.doc as unknown as UsageMonthDoc)),
      spend: spendSeries([...spend.values()].map((stored) => stored.doc as unknown as SpendMonthDoc)),
      asOf,
      repNames,
    });
  },
  capacity: async (data: ReadSideData, actor: Actor, asOf?: string) => {
    const [customers, reps, groups] = await Promise.all([data.customers(), data.reps(), data.groups()]);
    const scope = viewerScope(actor, reps);
    return capacity({
      asOf,
      customers: customers.docs.values(),
      reps: [...reps.docs.values()].filter((rep) => inScope(scope, rep.id) && (asOf === undefined || rep.registeredOn <= asOf)),
      groups: groups.docs,
      inScope: (repId) => inScope(scope, repId),
      rules: rules.capacity,
    });
  },
};

describe('KPIs, leaderboard and reports read by index answer as the mirrored computation did', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner;
  const compared: string[] = [];
  const mismatches: string[] = [];
  const answered = new Map<string, number>();

  const manager: Actor = { id: 'mgr-1', role: 'manager' };
  const supervisor: Actor = { id: 'sup-001', role: 'supervisor' };
  const rep: Actor = { id: 'rep-001', role: 'rep' };

  const compare = async (day: string) => {
    const data = new ReadSideData(new ReadModelReader(store), rules);
    // Fresh handlers each day, so a kept answer never stands in for a computed one.
    const facts = new FactReads(store, rules);
    const handlers = {
      rep: new GetRepKpisHandler(facts),
      team: new GetTeamKpisHandler(facts),
      board: new GetSpendLeaderboardHandler(facts),
      feedback: new GetWeeklyFeedbackHandler(facts),
      quality: new GetVisitQualityHandler(facts),
      capacity: new GetCapacityHandler(facts),
      effect: new GetEffectReportHandler(facts, store),
    };
    const check = async (what: string, expected: () => Promise<unknown>, actual: () => Promise<unknown>) => {
      const [want, got] = await Promise.all([outcome(expected), outcome(actual)]);
      answered.set(what, (answered.get(what) ?? 0) + ('error' in (want as object) ? 0 : 1));
      try {
        expect(got).toStrictEqual(want);
      } catch {
        mismatches.push(`${day} ${what}`);
      }
    };
    // This and last week and month come from the rep-KPI read model; days and older periods from facts.
    const periods: [PeriodKind, string][] = [
      ['day', day],
      ['week', day],
      ['week', addDays(day, -7)],
      ['week', addDays(day, -21)],
      ['month', day],
      ['month', addDays(monthStart(day), -1)],
      ['month', addDays(day, -75)],
    ];
    for (const [period, of] of periods) {
      for (const repId of ['rep-001', 'rep-002', 'sup-001', 'sales-001', 'rep-404']) {
        for (const actor of [manager, supervisor, rep]) {
          await check(`repKpis ${period} ${of} ${repId} by ${actor.id}`, () => before.repKpis(data, actor, repId, period, of), () => handlers.rep.execute(new GetRepKpis(actor, repId, period, of)));
        }
      }
      for (const [actor, groupId] of [[manager, undefined], [manager, 'bid-1'], [supervisor, undefined], [rep, undefined]] as const) {
        await check(`teamKpis ${period} ${of} ${actor.id} ${groupId}`, () => before.teamKpis(data, actor, period, of, groupId), () => handlers.team.execute(new GetTeamKpis(actor, period, of, groupId)));
        if (of === day) await check(`visitQuality ${period} ${actor.id} ${groupId}`, () => before.visitQuality(data, actor, period, day, groupId), () => handlers.quality.execute(new GetVisitQuality(actor, period, day, groupId)));
      }
    }
    // The kept weeks come from the leaderboard read model (the current one, the last kept one); older ones from facts.
    for (const week of [day, addDays(day, -7), addDays(day, -49), addDays(day, -56), addDays(day, -90)]) await check(`leaderboard ${week}`, () => before.leaderboard(data, week), () => handlers.board.execute(new GetSpendLeaderboard(rep, week)));
    for (const actor of [manager, supervisor, rep]) {
      await check(`feedback ${actor.id}`, () => before.weeklyFeedback(data, actor, day), () => handlers.feedback.execute(new GetWeeklyFeedback(actor, day)));
      await check(`feedback asOf ${actor.id}`, () => before.weeklyFeedback(data, actor, day, day), () => handlers.feedback.execute(new GetWeeklyFeedback(actor, day, day)));
      await check(`capacity ${actor.id}`, () => before.capacity(data, actor, day), () => handlers.capacity.execute(new GetCapacity(actor, day)));
      await check(`capacity now ${actor.id}`, () => before.capacity(data, actor), () => handlers.capacity.execute(new GetCapacity(actor)));
    }
    await check('feedback asOf before Monday', () => before.weeklyFeedback(data, manager, day, addDays(weekStart(day), -1)), () => handlers.feedback.execute(new GetWeeklyFeedback(manager, day, addDays(weekStart(day), -1))));
    // The effect report reads one customer by id now; its answer must not change either.
    const customers = await data.customers();
    for (const id of [...customers.docs.keys()].sort().slice(0, 4)) {
      for (const actor of [manager, rep]) {
        await check(`effect ${id} by ${actor.id}`, () => before.effectReport(data, store, actor, id, day), () => handlers.effect.execute(new GetEffectReport(actor, id, { kind: 'current' }, day)));
      }
    }
    await check('effect unknown', () => before.effectReport(data, store, manager, 'cust-404', day), () => handlers.effect.execute(new GetEffectReport(manager, 'cust-404', { kind: 'current' }, day)));
  };

  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:', crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: ':memory:' });
    runner = new ProjectionRunner(events, store, PROJECTIONS, { batchSize: 800 });
    await runner.start();
    for (const day of generateDemoDays(OPTIONS)) {
      await events.appendMany(toRequests(day.events));
      if (day.index < OPTIONS.days - COMPARED_DAYS) continue;
      if (!(await runner.waitFor(await events.headPosition(), 30_000))) throw new Error(`projections did not catch up on ${day.day}`);
      await compare(day.day);
      compared.push(day.day);
    }
  }, 300_000);

  afterAll(async () => {
    await runner.stop();
    await events.close();
    await store.close();
  });

  it('moves exactly the contributions a spend correction and a reassignment change, and rebuilt leaderboard and KPI read models equal the live ones', async () => {
    const last = compared[compared.length - 1]!;
    const data = new ReadSideData(new ReadModelReader(store), rules);
    const boardBefore = await before.leaderboard(data, addDays(last, -7));
    const top = boardBefore.regular[0]!;
    const customers = await data.customers();
    const victim = [...customers.docs.values()].find((doc) => doc.product === 'bidding' && repAssignedAt(doc, last) === top.repId && doc.status === 'active')!;
    expect(victim).toBeDefined();
    const metadata = (id: string) => ({ commandId: id, correlationId: id, causationId: id, actor: { id: 'platform', role: 'platform' as const }, occurredAt: `${last}T05:00:00.000Z`, schemaVersion: 1 });
    const spendDay = addDays(weekStart(addDays(last, -7)), 2);
    // Another rep than the one at the top of the board, whoever that is in this log.
    const target = ['rep-004', 'rep-002'].find((repId) => repId !== top.repId)!;
    await events.append(`spend-${victim.id}.${spendDay}`, [
      { id: '00000000-0000-8000-8000-0000000corr1', type: 'DailySpendCorrected', data: { customerId: victim.id, day: spendDay, spendFen: 9_999_900, clicks: 5, activeKeywords: 3, previous: { customerId: victim.id, day: spendDay, spendFen: 0, clicks: 0, activeKeywords: 0 } }, metadata: metadata('corr-1') },
    ], 'any');
    await events.append(`customer-${victim.id}`, [
      { id: '00000000-0000-8000-8000-0000000moved', type: 'ServiceRepAssigned', data: { customerId: victim.id, serviceRepId: target, previousServiceRepId: top.repId, assignedOn: addDays(last, -9) }, metadata: { ...metadata('move-1'), actor: { id: 'mgr-1', role: 'manager' as const } } },
    ], 'any');
    expect(await runner.waitFor(await events.headPosition(), 20_000)).toBe(true);
    const facts = new FactReads(store, rules);
    const refreshed = new ReadSideData(new ReadModelReader(store), rules);
    for (const week of [last, addDays(last, -7), addDays(last, -14)]) {
      expect(await new GetSpendLeaderboardHandler(facts).execute(new GetSpendLeaderboard(rep, week))).toStrictEqual(await before.leaderboard(refreshed, week));
    }
    // The corrected day counts for the rep the customer moved to, on whichever board the customer is that week.
    const board = await new GetSpendLeaderboardHandler(facts).execute(new GetSpendLeaderboard(rep, addDays(last, -7)));
    const moved = [...board.regular, ...board.keyAccounts].filter((row) => row.repId === target).reduce((sum, row) => sum + row.spendFen, 0);
    expect(moved).toBeGreaterThanOrEqual(9_999_900);
    const left = [...boardBefore.regular, ...boardBefore.keyAccounts].filter((row) => row.repId === top.repId).reduce((sum, row) => sum + row.customers, 0);
    const after = [...board.regular, ...board.keyAccounts].filter((row) => row.repId === top.repId).reduce((sum, row) => sum + row.customers, 0);
    expect(after).toBe(left - 1);
    for (const name of ['spend_leaderboard', 'rep_kpis']) {
      const projection = ALL_PROJECTIONS.find((p) => p.name === name)!;
      const verified = await new ProjectionRebuilder(events, store).verify(projection, { batchSize: 389 });
      expect([name, verified.differences]).toStrictEqual([name, []]);
      expect(verified.documents).toBeGreaterThan(OPTIONS.customers);
    }
  });

  it(`answers every viewer alike on each of the last ${COMPARED_DAYS} days`, () => {
    expect(compared).toHaveLength(COMPARED_DAYS);
    expect(mismatches).toStrictEqual([]);
    // Each kind of answer was compared as an answer, not only as the same error.
    const answers = (kind: string) => [...answered].filter(([what]) => what.startsWith(kind)).reduce((n, [, count]) => n + count, 0);
    for (const kind of ['repKpis', 'teamKpis', 'visitQuality', 'leaderboard', 'feedback', 'capacity', 'effect']) expect([kind, answers(kind) > COMPARED_DAYS]).toStrictEqual([kind, true]);
  });
});
