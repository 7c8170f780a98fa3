import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { liveTarget } from '../../../read-store/src/live-target';
import { READ_STORE, type ReadStore } from '../../../read-store/src/read-store.port';
import { BadRequest, Forbidden, NotFound } from '../../../shared-kernel/src/errors';
import type { Actor } from '../../../shared-kernel/src/metadata';
import { monthsCovering, spendSeries, usageSeries } from '../../../telemetry/src/read-models/daily-series';
import type { SpendMonthDoc, UsageMonthDoc } from '../../../telemetry/src/read-models/telemetry-months.doc';
import { monthDocId, SPEND_MONTHS_COLLECTION, TELEMETRY_PROJECTION, USAGE_MONTHS_COLLECTION } from '../../../telemetry/src/read-models/telemetry-months.doc';
import { effectReport, type EffectReport } from '../reports/effect-report';
import type { TermSelector } from '../reports/effect-report-terms';
import { selectTerm } from '../reports/effect-report-terms';
import { FactReads } from '../../../views/shared/fact-reads';
import { inScope, viewerScope } from '../viewer-scope';

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
    const { usage, spend } = await this.telemetryOf(customerId, from, selection.term.counted.to);
    const repNames = new Map([...reps.values()].map((rep) => [rep.id, rep.name]));
    return effectReport({ doc, selection, usage, spend, asOf, repNames });
  }

  /**
   * The customer's own month documents only: two terms span some 25 months, and mirroring whole month partitions
   * of every customer (as the cross-customer views do for their few recent months) would be wasted on one customer.
   */
  private async telemetryOf(customerId: string, from: string, to: string) {
    const target = await liveTarget(this.store, TELEMETRY_PROJECTION);
    const ids = monthsCovering(from, to).map((month) => monthDocId(customerId, month));
    const [usage, spend] = await Promise.all([
      this.store.load(target, USAGE_MONTHS_COLLECTION, ids),
      this.store.load(target, SPEND_MONTHS_COLLECTION, ids),
    ]);
    return {
      usage: usageSeries([...usage.values()].map((stored) => stored.doc as unknown as UsageMonthDoc)),
      spend: spendSeries([...spend.values()].map((stored) => stored.doc as unknown as SpendMonthDoc)),
    };
  }
}
