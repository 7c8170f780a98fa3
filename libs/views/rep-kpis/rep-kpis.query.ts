import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CUSTOMER_FACTS_READ_MODEL, type CustomerFactsDoc } from '#customer';
import { assertCanSeeRep, groupOfRepAt, inScope } from '../shared/viewer-scope';
import { type Actor, monthStart, NotFound, type Period, periodBounds, type PeriodKind, type ServiceRules } from '#shared-kernel';
import { REP_ACTIVITY_READ_MODEL, type RepDayDoc, type RepDoc, STAFF_READ_MODEL } from '#staff';
import { activityOfDays, customerFigures, repKpisFrom, type CustomerFigures, type RepActivity, type RepKpis } from './rep-kpis';
import { CHURN_RISK_READ_MODEL } from '../churn-risk/churn-risk.doc';
import { type Filter, liveTarget } from '#read-store';
import { FactReads } from '../shared/fact-reads';
import { CONTRIBUTIONS_BY_PERIOD_REP, CONTRIBUTIONS_COVERAGE, CONTRIBUTIONS_EXPIRING, KPI_CALENDAR_COLLECTION, KPI_CALENDAR_DOC_ID, KPI_CONTRIBUTIONS_COLLECTION, KPI_SUMMED, REP_KPIS_READ_MODEL, type KpiCalendarDoc } from './rep-kpis.doc';
import { keptPeriods } from './rep-kpis.projection';

export interface RepKpisRow extends RepKpis {
  readonly repName: string;
  readonly role: RepDoc['role'];
  readonly groupId: string | null;
}

export class GetRepKpis extends Query<RepKpisRow> {
  constructor(
    readonly actor: Actor,
    readonly repId: string,
    readonly period: PeriodKind,
    readonly of: string,
  ) {
    super();
  }
}

export interface TeamKpis {
  readonly period: PeriodKind;
  readonly from: string;
  readonly to: string;
  readonly reps: readonly RepKpisRow[];
}

export class GetTeamKpis extends Query<TeamKpis> {
  constructor(
    readonly actor: Actor,
    readonly period: PeriodKind,
    readonly of: string,
    readonly groupId?: string,
  ) {
    super();
  }
}

/** Indexes the customer documents by the reps they name once per query. */
const customersByRep = (customers: Iterable<CustomerFactsDoc>) => {
  const customerIndex = new Map<string, CustomerFactsDoc[]>();
  for (const customer of customers) {
    const reps = new Set([customer.salesRepId, ...customer.assignments.map((a) => a.repId)]);
    for (const repId of reps) (customerIndex.get(repId) ?? customerIndex.set(repId, []).get(repId)!).push(customer);
  }
  return (repId: string) => customerIndex.get(repId) ?? [];
};

const NO_ACTIVITY: RepActivity = activityOfDays([], '', { kind: 'day', from: '', to: '' });

/**
 * The activity of the reps in a period, by rep: a week or month is one document per rep (read by the period index),
 * a day is the reps' day documents.
 */
const activities = async (facts: FactReads, period: Period, reps: ReadonlySet<string> | undefined): Promise<(repId: string) => RepActivity> => {
  if (period.kind === 'day') {
    const days = await facts.repDays(period.from, period.to, reps);
    const byRep = new Map<string, RepDayDoc[]>();
    for (const day of days) (byRep.get(day.repId) ?? byRep.set(day.repId, []).get(day.repId)!).push(day);
    return (repId) => activityOfDays(byRep.get(repId) ?? [], repId, period);
  }
  const docs = new Map((await facts.repPeriods(period.kind, period.from, reps)).map((doc) => [doc.repId, doc]));
  return (repId) => docs.get(repId) ?? NO_ACTIVITY;
};

/** The read models a KPI answer computed from facts comes from (the churn-risk one holds the assignment index). */
const SOURCES = [STAFF_READ_MODEL, REP_ACTIVITY_READ_MODEL, CUSTOMER_FACTS_READ_MODEL, CHURN_RISK_READ_MODEL];
/** The read models a KPI answer for a kept period comes from. */
const KEPT_SOURCES = [STAFF_READ_MODEL, REP_ACTIVITY_READ_MODEL, REP_KPIS_READ_MODEL];

/** Whether the rep-KPI read model keeps a period: this or last week or month, from the first one it saw begin. */
export const keepsPeriod = (calendar: KpiCalendarDoc | undefined, period: Period): boolean => {
  if (!calendar || period.kind === 'day') return false;
  const first = period.kind === 'week' ? calendar.firstMonday : calendar.firstMonthStart;
  return first !== null && period.from >= first && keptPeriods(calendar.day).some((kept) => kept.kind === period.kind && kept.from === period.from);
};

/**
 * The customer figures of the reps' period from the read model's contributions (zero for a rep with none): coverage
 * counted over the customers assigned at the period's end and the renewal figures summed over the few rows that add
 * any, each answered from the period's rep totals where the store keeps them (rollups) and through an index that
 * covers it where not, and the expiring customers listed per rep through an index of their own.
 */
const keptFigures = async (facts: FactReads, period: Period, reps: ReadonlySet<string> | undefined): Promise<(repId: string) => CustomerFigures> => {
  const target = await liveTarget(facts.store, REP_KPIS_READ_MODEL);
  const scoped = (where: Record<string, Filter[string]>) => (reps ? { ...where, repId: reps.size === 1 ? [...reps][0]! : { $in: [...reps] } } : where);
  const bounds = { kind: period.kind, from: period.from };
  const [coverage, sums, expiring] = await Promise.all([
    facts.store.aggregate(target, KPI_CONTRIBUTIONS_COLLECTION, scoped({ ...bounds, assigned: 1 }), { groupBy: ['repId'], sum: ['covered'], hint: CONTRIBUTIONS_COVERAGE }),
    facts.store.aggregate(target, KPI_CONTRIBUTIONS_COLLECTION, scoped({ ...bounds, listed: true }), { groupBy: ['repId'], sum: KPI_SUMMED, hint: CONTRIBUTIONS_BY_PERIOD_REP }),
    facts.store.aggregate(target, KPI_CONTRIBUTIONS_COLLECTION, scoped({ ...bounds, expiring: true }), { groupBy: ['repId'], sum: [], collect: 'customerId', hint: CONTRIBUTIONS_EXPIRING }),
  ]);
  const coverageByRep = new Map(coverage.map((row) => [row.key.repId as string, { assigned: row.count, covered: row.sums.covered ?? 0 }]));
  const byRep = new Map(sums.map((row) => [row.key.repId as string, row.sums]));
  const expiringByRep = new Map(expiring.map((row) => [row.key.repId as string, ([...(row.values ?? [])] as string[]).sort()]));
  return (repId) => {
    const sum = byRep.get(repId) ?? {};
    const n = (field: (typeof KPI_SUMMED)[number]) => sum[field] ?? 0;
    const { assigned, covered } = coverageByRep.get(repId) ?? { assigned: 0, covered: 0 };
    return {
      monthlyCoverage: { month: { from: monthStart(period.to), to: period.to }, covered, assigned, rate: assigned === 0 ? null : covered / assigned },
      expiring: expiringByRep.get(repId) ?? [],
      renewals: { count: n('renewals'), amountFen: n('renewalFen') },
      salesRenewals: { count: n('salesRenewals'), amountFen: n('salesRenewalFen') },
      renewalRate: { due: n('due'), renewed: n('renewed'), rate: n('due') === 0 ? null : n('renewed') / n('due'), awaitingGrace: n('awaiting') },
    };
  };
};

const kpiCalendar = async (facts: FactReads): Promise<KpiCalendarDoc | undefined> => {
  const target = await liveTarget(facts.store, REP_KPIS_READ_MODEL);
  return (await facts.store.load(target, KPI_CALENDAR_COLLECTION, [KPI_CALENDAR_DOC_ID])).get(KPI_CALENDAR_DOC_ID)?.doc as KpiCalendarDoc | undefined;
};

/** A rep's row: the KPIs with who the rep is (added to the fresh KPI object, rather than copied with it: a team's answer builds dozens). */
const rowOf = (rep: RepDoc, period: Period, activity: RepActivity, figures: CustomerFigures, rules: ServiceRules): RepKpisRow =>
  Object.assign(repKpisFrom({ rep, period, activity, figures, rules }), { repName: rep.name, role: rep.role, groupId: groupOfRepAt(rep, period.to) ?? null });

/**
 * One rep's KPIs. A week or month the rep-KPI read model keeps (this and last) is the rep's days by the (rep, day)
 * index and one grouped sum of the rep's contributions; any other period is computed from the rep's days and the
 * customers that name the rep, each read by index.
 */
@QueryHandler(GetRepKpis)
export class GetRepKpisHandler implements IQueryHandler<GetRepKpis, RepKpisRow> {
  private readonly computed;
  private readonly kept;

  constructor(private readonly facts: FactReads) {
    this.computed = facts.answers<RepKpisRow>(...SOURCES);
    this.kept = facts.answers<RepKpisRow>(...KEPT_SOURCES);
  }

  async execute({ actor, repId, period, of }: GetRepKpis): Promise<RepKpisRow> {
    const staff = await this.facts.staff();
    assertCanSeeRep(await staff.scopeOf(actor), repId);
    const rep = (await staff.reps([repId])).get(repId);
    if (!rep) throw new NotFound(`Rep ${repId} does not exist`);
    const bounds = periodBounds({ kind: period, of });
    const reps = new Set([repId]);
    if (keepsPeriod(await kpiCalendar(this.facts), bounds)) {
      const cached = await this.kept.get(JSON.stringify([repId, bounds]));
      if (cached.value) return cached.value;
      const [activity, figures] = await Promise.all([activities(this.facts, bounds, reps), keptFigures(this.facts, bounds, reps)]);
      return cached.keep(rowOf(rep, bounds, activity(repId), figures(repId), this.facts.rules));
    }
    const cached = await this.computed.get(JSON.stringify([repId, bounds]));
    if (cached.value) return cached.value;
    const [activity, customers] = await Promise.all([activities(this.facts, bounds, reps), this.facts.customersNaming(reps)]);
    return cached.keep(rowOf(rep, bounds, activity(repId), customerFigures(customers, repId, bounds, this.facts.rules), this.facts.rules));
  }
}

/**
 * The KPIs of every rep in the caller's scope (and group). A kept week or month is the reps' days by the day index
 * and one grouped sum of their contributions; any other period is computed from their days and the customers that
 * name them (every customer for a manager).
 */
@QueryHandler(GetTeamKpis)
export class GetTeamKpisHandler implements IQueryHandler<GetTeamKpis, TeamKpis> {
  private readonly computed;
  private readonly kept;

  constructor(private readonly facts: FactReads) {
    this.computed = facts.answers<TeamKpis>(...SOURCES);
    this.kept = facts.answers<TeamKpis>(...KEPT_SOURCES);
  }

  async execute({ actor, period, of, groupId }: GetTeamKpis): Promise<TeamKpis> {
    const staff = await this.facts.staff();
    const scope = await staff.scopeOf(actor);
    const bounds = periodBounds({ kind: period, of });
    const key = JSON.stringify([scope.all ? '*' : [...scope.repIds].sort(), bounds, groupId ?? null]);
    const keeps = keepsPeriod(await kpiCalendar(this.facts), bounds);
    const cached = await (keeps ? this.kept : this.computed).get(key);
    if (cached.value) return cached.value;
    const rowReps = [...(await staff.allReps()).values()]
      .filter((rep) => inScope(scope, rep.id) && (!groupId || groupOfRepAt(rep, bounds.to) === groupId))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const everyone = scope.all && !groupId;
    const reps = everyone ? undefined : new Set(rowReps.map((rep) => rep.id));
    if (keeps) {
      const [activity, figures] = await Promise.all([activities(this.facts, bounds, reps), keptFigures(this.facts, bounds, reps)]);
      return cached.keep({ period, from: bounds.from, to: bounds.to, reps: rowReps.map((rep) => rowOf(rep, bounds, activity(rep.id), figures(rep.id), this.facts.rules)) });
    }
    const [activity, customers] = await Promise.all([activities(this.facts, bounds, reps), this.facts.customersNaming(reps)]);
    const customersOf = customersByRep(customers);
    return cached.keep({
      period,
      from: bounds.from,
      to: bounds.to,
      reps: rowReps.map((rep) => rowOf(rep, bounds, activity(rep.id), customerFigures(customersOf(rep.id), rep.id, bounds, this.facts.rules), this.facts.rules)),
    });
  }
}
