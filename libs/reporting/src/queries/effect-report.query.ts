import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '#read-store';
import { type Actor, BadRequest, Forbidden, NotFound } from '#shared-kernel';
import { effectReport, type EffectReport } from '../reports/effect-report';
import type { TermSelector } from '../reports/effect-report-terms';
import { selectTerm } from '../reports/effect-report-terms';
import { FactReads, inScope, telemetryOf, viewerScope } from '#views';

export class GetEffectReport extends Query<EffectReport> {
  constructor(
    readonly actor: Actor,
    readonly customerId: string,
    readonly term: TermSelector,
    /** The business day the report is made for; the edge supplies today's when the caller gives none. */
    readonly asOf: string,
  ) {
    super();
  }
}

/**
 * One customer's effect report for one term. The customer's current service rep, the supervisors of that rep's
 * group and managers, admins and analysts may read it.
 */
@QueryHandler(GetEffectReport)
export class GetEffectReportHandler implements IQueryHandler<GetEffectReport, EffectReport> {
  constructor(
    private readonly facts: FactReads,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async execute({ actor, customerId, term, asOf }: GetEffectReport): Promise<EffectReport> {
    const [doc, reps] = await Promise.all([this.facts.customer(customerId), this.facts.staff().then((staff) => staff.allReps())]);
    const scope = viewerScope(actor, { docs: reps });
    if (!doc) throw new NotFound(`Customer ${customerId} does not exist`);
    if (!inScope(scope, doc.serviceRepId)) throw new Forbidden(`You may not see customer ${customerId}'s effect report`);
    const selection = selectTerm(doc, term, asOf);
    if (!selection.ok) {
      if (selection.reason === 'no_such_term') throw new NotFound(selection.message);
      throw new BadRequest('TERM_NOT_STARTED', selection.message, { field: 'term' });
    }
    const from = selection.previous?.start ?? selection.term.start;
    // The customer's own month documents, by id: two terms span some 25 months.
    const { usage, spend } = (await telemetryOf(this.store, [customerId], from, selection.term.counted.to)).of(customerId);
    const repNames = new Map([...reps.values()].map((rep) => [rep.id, rep.name]));
    return effectReport({ doc, selection, usage, spend, asOf, repNames });
  }
}
