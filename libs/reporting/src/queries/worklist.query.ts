import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { compareWorklist, worklistEntry, type WorklistEntry } from '../../../customer/src/read-models/worklist';
import { repAssignedAt } from '../../../customer/src/read-models/customer-timeline';
import { NotFound } from '../../../shared-kernel/src/errors';
import { activeAt } from '../../../staff/src/read-models/rep-kpis-customers';
import type { Actor } from '../../../shared-kernel/src/metadata';
import { ReadSideData } from '../read-side-data';
import { assertCanSeeRep, viewerScope } from '../viewer-scope';

export interface Worklist {
  readonly repId: string;
  readonly asOf: string;
  /** Active customers assigned to the rep on `asOf`: the same customers capacity and the KPIs count. */
  readonly customersAssigned: number;
  readonly entries: readonly WorklistEntry[];
}

export class GetWorklist extends Query<Worklist> {
  constructor(
    readonly actor: Actor,
    readonly repId: string,
    readonly asOf: string,
  ) {
    super();
  }
}

/** A rep's day: every assigned customer with something due, riskiest first. */
@QueryHandler(GetWorklist)
export class GetWorklistHandler implements IQueryHandler<GetWorklist, Worklist> {
  constructor(private readonly data: ReadSideData) {}

  async execute({ actor, repId, asOf }: GetWorklist): Promise<Worklist> {
    const [customers, reps] = await Promise.all([this.data.customers(), this.data.reps()]);
    assertCanSeeRep(viewerScope(actor, reps), repId);
    if (!reps.docs.has(repId)) throw new NotFound(`Rep ${repId} does not exist`);
    const telemetry = await this.data.churnTelemetry(asOf);
    const entries: WorklistEntry[] = [];
    let customersAssigned = 0;
    for (const doc of customers.docs.values()) {
      if (repAssignedAt(doc, asOf) !== repId) continue;
      if (activeAt(doc, asOf)) customersAssigned += 1;
      const { usage, spend } = telemetry.of(doc.id);
      const entry = worklistEntry(doc, usage, spend, this.data.rules, repId, asOf);
      if (entry) entries.push(entry);
    }
    return { repId, asOf, customersAssigned, entries: entries.sort(compareWorklist) };
  }
}
