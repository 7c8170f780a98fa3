import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CustomerFactsDoc } from '../../../customer/src/read-models/customer-facts.doc';
import { NotFound } from '../../../shared-kernel/src/errors';
import type { Actor } from '../../../shared-kernel/src/metadata';
import { periodBounds, type PeriodKind } from '../../../shared-kernel/src/periods';
import { repKpis, type RepKpis } from '../../../staff/src/read-models/rep-kpis';
import type { RepDayDoc } from '../../../staff/src/read-models/rep-activity.doc';
import type { RepDoc } from '../../../staff/src/read-models/staff.doc';
import { ReadSideData } from '../read-side-data';
import { assertCanSeeRep, groupOfRepAt, inScope, viewerScope } from '../viewer-scope';

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

export class GetTeamKpis extends Query<{ readonly period: PeriodKind; readonly from: string; readonly to: string; readonly reps: readonly RepKpisRow[] }> {
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

@QueryHandler(GetRepKpis)
export class GetRepKpisHandler implements IQueryHandler<GetRepKpis, RepKpisRow> {
  constructor(private readonly data: ReadSideData) {}

  async execute({ actor, repId, period, of }: GetRepKpis): Promise<RepKpisRow> {
    const [reps, days, customers] = await Promise.all([this.data.reps(), this.data.repDays(), this.data.customers()]);
    assertCanSeeRep(viewerScope(actor, reps), repId);
    const rep = reps.docs.get(repId);
    if (!rep) throw new NotFound(`Rep ${repId} does not exist`);
    const bounds = periodBounds({ kind: period, of });
    const index = byRep(days.docs.values(), customers.docs.values());
    return kpisRow(rep, bounds, index, this.data);
  }
}

@QueryHandler(GetTeamKpis)
export class GetTeamKpisHandler implements IQueryHandler<GetTeamKpis> {
  constructor(private readonly data: ReadSideData) {}

  async execute({ actor, period, of, groupId }: GetTeamKpis) {
    const [reps, days, customers] = await Promise.all([this.data.reps(), this.data.repDays(), this.data.customers()]);
    const scope = viewerScope(actor, reps);
    const bounds = periodBounds({ kind: period, of });
    const index = byRep(days.docs.values(), customers.docs.values());
    const rows = [...reps.docs.values()]
      .filter((rep) => inScope(scope, rep.id) && (!groupId || groupOfRepAt(rep, bounds.to) === groupId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((rep) => kpisRow(rep, bounds, index, this.data));
    return { period, from: bounds.from, to: bounds.to, reps: rows };
  }
}

const kpisRow = (rep: RepDoc, period: ReturnType<typeof periodBounds>, index: ReturnType<typeof byRep>, data: ReadSideData): RepKpisRow => ({
  ...repKpis({ rep, period, days: index.days(rep.id), customers: index.customers(rep.id), rules: data.rules }),
  repName: rep.name,
  role: rep.role,
  groupId: groupOfRepAt(rep, period.to) ?? null,
});
