import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type CustomerFactsDoc, repAssignedAt, visitQuality, type VisitQuality, weeklyFeedback, type WeeklyFeedback } from '#customer';
import { type Actor, BadRequest, periodBounds, type PeriodKind, weekEnd, weekStart } from '#shared-kernel';
import { capacity, type Capacity, customersEverAssigned, FactReads, groupOfRepAt, inScope, viewerScope, type ViewerScope } from '#views';
import type { RepDoc } from '#staff';

/** Every rep, as the scope rules read them. */
const repsOf = async (facts: FactReads) => ({ docs: await (await facts.staff()).allReps() });

/**
 * The operations reports: weekly feedback, visit quality and capacity. Each is scoped like the other views:
 * a rep sees their own customers, a supervisor their group's, managers, admins and analysts everything.
 */

export interface VisitQualityRow {
  readonly repName: string | null;
  readonly groupId: string | null;
}
export type VisitQualityReport = Omit<VisitQuality, 'reps'> & {
  readonly groupId: string | null;
  readonly reps: readonly (VisitQuality['reps'][number] & VisitQualityRow)[];
};

export class GetWeeklyFeedback extends Query<WeeklyFeedback> {
  constructor(
    readonly actor: Actor,
    /** Any day of the ISO week. */
    readonly week: string,
    /** Count only up to this day when it is earlier than the Sunday (a week still running). */
    readonly asOf?: string,
  ) {
    super();
  }
}

export class GetVisitQuality extends Query<VisitQualityReport> {
  constructor(
    readonly actor: Actor,
    readonly period: PeriodKind,
    readonly of: string,
    readonly groupId?: string,
  ) {
    super();
  }
}

export class GetCapacity extends Query<Capacity> {
  constructor(
    readonly actor: Actor,
    /** Undefined: the assignments now. */
    readonly asOf?: string,
  ) {
    super();
  }
}

const inGroup = (reps: ReadonlyMap<string, RepDoc>, groupId: string | undefined, day: string) => (repId: string) =>
  groupId === undefined || groupOfRepAt(reps.get(repId), day) === groupId;

/** A customer belongs to the rep assigned to it on the last day counted. */
@QueryHandler(GetWeeklyFeedback)
export class GetWeeklyFeedbackHandler implements IQueryHandler<GetWeeklyFeedback, WeeklyFeedback> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor, week, asOf }: GetWeeklyFeedback): Promise<WeeklyFeedback> {
    const scope = viewerScope(actor, await repsOf(this.facts));
    if (asOf !== undefined && asOf < weekStart(week)) {
      const message = `asOf must not be before the week's Monday ${weekStart(week)}`;
      throw new BadRequest('VALIDATION_FAILED', message, { fields: [{ field: 'asOf', problems: [message] }] });
    }
    const through = asOf !== undefined && asOf < weekEnd(week) ? asOf : weekEnd(week);
    const mine = (doc: CustomerFactsDoc) => inScope(scope, repAssignedAt(doc, through));
    // Whoever is assigned on the last day counted was assigned some time: the customers ever assigned to the scope.
    const customers = await customersEverAssigned(this.facts.store, scope.all ? undefined : scope.repIds);
    return weeklyFeedback(customers.filter(mine), week, asOf);
  }
}

/** Rows for the reps in scope (in the group at the end of the period when one is asked for). */
@QueryHandler(GetVisitQuality)
export class GetVisitQualityHandler implements IQueryHandler<GetVisitQuality, VisitQualityReport> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor, period, of, groupId }: GetVisitQuality): Promise<VisitQualityReport> {
    // Every customer: a visit by a rep in scope may be to any customer.
    const [customers, reps] = await Promise.all([this.facts.customers(), repsOf(this.facts)]);
    const scope = viewerScope(actor, reps);
    const bounds = periodBounds({ kind: period, of });
    const grouped = inGroup(reps.docs, groupId, bounds.to);
    const visible = (repId: string) => inScope(scope, repId) && grouped(repId);
    const rowReps = [...reps.docs.values()].filter((rep) => rep.role !== 'sales' && visible(rep.id)).map((rep) => rep.id);
    const report = visitQuality({
      period: bounds,
      customers,
      inScope: visible,
      repIds: rowReps,
      groupOf: (repId, day) => groupOfRepAt(reps.docs.get(repId), day),
      rules: this.facts.rules.visitQuality,
    });
    return {
      ...report,
      groupId: groupId ?? null,
      reps: report.reps.map((row) => ({ ...row, repName: reps.docs.get(row.repId)?.name ?? null, groupId: groupOfRepAt(reps.docs.get(row.repId), bounds.to) ?? null })),
    };
  }
}

@QueryHandler(GetCapacity)
export class GetCapacityHandler implements IQueryHandler<GetCapacity, Capacity> {
  constructor(private readonly facts: FactReads) {}

  async execute({ actor, asOf }: GetCapacity): Promise<Capacity> {
    const [customers, reps, groups] = await Promise.all([this.facts.customers(), repsOf(this.facts), this.facts.groups()]);
    const scope: ViewerScope = viewerScope(actor, reps);
    return capacity({
      asOf,
      customers,
      reps: [...reps.docs.values()].filter((rep) => inScope(scope, rep.id) && (asOf === undefined || rep.registeredOn <= asOf)),
      groups,
      inScope: (repId) => inScope(scope, repId),
      rules: this.facts.rules.capacity,
    });
  }
}
