import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CustomerFactsDoc } from '../../customer/src/read-models/customer-facts.doc';
import { CUSTOMER_FACTS_PROJECTION } from '../../customer/src/read-models/customer-facts.doc';
import { assertCanSeeRep, groupOfRepAt, inScope } from '../../reporting/src/viewer-scope';
import { NotFound } from '../../shared-kernel/src/errors';
import type { Actor } from '../../shared-kernel/src/metadata';
import { periodBounds, type PeriodKind } from '../../shared-kernel/src/periods';
import type { ServiceRules } from '../../shared-kernel/src/service-rules';
import { REP_ACTIVITY_PROJECTION, type RepDayDoc } from '../../staff/src/read-models/rep-activity.doc';
import { repKpis, type RepKpis } from '../../staff/src/read-models/rep-kpis';
import { STAFF_PROJECTION, type RepDoc } from '../../staff/src/read-models/staff.doc';
import { CHURN_RISK_PROJECTION } from '../churn-risk/churn-risk.doc';
import { FactReads } from '../shared/fact-reads';

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

/** Indexes the rep-day and customer documents by rep once per query. */
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

const kpisRow = (rep: RepDoc, period: ReturnType<typeof periodBounds>, index: ReturnType<typeof byRep>, rules: ServiceRules): RepKpisRow => ({
  ...repKpis({ rep, period, days: index.days(rep.id), customers: index.customers(rep.id), rules }),
  repName: rep.name,
  role: rep.role,
  groupId: groupOfRepAt(rep, period.to) ?? null,
});

/** The read models a KPI answer comes from (the churn-risk one holds the customer-by-rep assignment index). */
const SOURCES = [STAFF_PROJECTION, REP_ACTIVITY_PROJECTION, CUSTOMER_FACTS_PROJECTION, CHURN_RISK_PROJECTION];

/** One rep's KPIs: the rep's days of the period and the customers that name the rep, each read by index. */
@QueryHandler(GetRepKpis)
export class GetRepKpisHandler implements IQueryHandler<GetRepKpis, RepKpisRow> {
  private readonly answers;

  constructor(private readonly facts: FactReads) {
    this.answers = facts.answers<RepKpisRow>(...SOURCES);
  }

  async execute({ actor, repId, period, of }: GetRepKpis): Promise<RepKpisRow> {
    const staff = await this.facts.staff();
    assertCanSeeRep(await staff.scopeOf(actor), repId);
    const rep = (await staff.reps([repId])).get(repId);
    if (!rep) throw new NotFound(`Rep ${repId} does not exist`);
    const bounds = periodBounds({ kind: period, of });
    const cached = await this.answers.get(JSON.stringify([repId, bounds]));
    if (cached.value) return cached.value;
    const reps = new Set([repId]);
    const [days, customers] = await Promise.all([this.facts.repDays(bounds.from, bounds.to, reps), this.facts.customersNaming(reps)]);
    return cached.keep(kpisRow(rep, bounds, byRep(days, customers), this.facts.rules));
  }
}

/**
 * The KPIs of every rep in the caller's scope (and group): their days of the period by the day index, and the
 * customers that name them (every customer for a manager).
 */
@QueryHandler(GetTeamKpis)
export class GetTeamKpisHandler implements IQueryHandler<GetTeamKpis, TeamKpis> {
  private readonly answers;

  constructor(private readonly facts: FactReads) {
    this.answers = facts.answers<TeamKpis>(...SOURCES);
  }

  async execute({ actor, period, of, groupId }: GetTeamKpis): Promise<TeamKpis> {
    const staff = await this.facts.staff();
    const scope = await staff.scopeOf(actor);
    const bounds = periodBounds({ kind: period, of });
    const cached = await this.answers.get(JSON.stringify([scope.all ? '*' : [...scope.repIds].sort(), bounds, groupId ?? null]));
    if (cached.value) return cached.value;
    const rowReps = [...(await staff.allReps()).values()]
      .filter((rep) => inScope(scope, rep.id) && (!groupId || groupOfRepAt(rep, bounds.to) === groupId))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const everyone = scope.all && !groupId;
    const reps = everyone ? undefined : new Set(rowReps.map((rep) => rep.id));
    const [days, customers] = await Promise.all([this.facts.repDays(bounds.from, bounds.to, reps), this.facts.customersNaming(reps)]);
    const index = byRep(days, customers);
    return cached.keep({ period, from: bounds.from, to: bounds.to, reps: rowReps.map((rep) => kpisRow(rep, bounds, index, this.facts.rules)) });
  }
}
