import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { churnLookBackStart } from '../churn-risk/churn-risk';
import { repAssignedAt } from '#customer';
import { compareWorklist, worklistEntry, type WorklistEntry } from './worklist';
import { READ_STORE, type ReadStore, type Target } from '#read-store';
import { SERVICE_RULES } from '../shared/tokens';
import { assertCanSeeRep } from '../shared/viewer-scope';
import { type Actor, NotFound, type ServiceRules } from '#shared-kernel';
import { activeAt } from '../rep-kpis/rep-kpis-customers';
import { STAFF_READ_MODEL } from '#staff';
import { CALENDAR_DOC_ID, CHURN_CALENDAR_COLLECTION, CHURN_RISK_READ_MODEL, CHURN_RISKS_COLLECTION, RISKS_BY_REP_SCORE, RISKS_BY_REP_WORKLIST, type CalendarDoc, type ChurnRiskDoc } from '../churn-risk/churn-risk.doc';
import { AnswerCache } from '../shared/answer-cache';
import { customersEverAssigned, telemetryOf } from '../shared/scoped-customers';
import { StaffLookup } from '../shared/staff-lookup';

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

/**
 * A rep's day: every assigned customer with something due, riskiest first. For the business day the churn-risk
 * read model has reached (which keeps each customer's worklist items beside its score), it is one read of the
 * rep's worklist index and one count. Any other day is computed from the dated facts and telemetry of the
 * customers ever assigned to the rep, read by index and id.
 */
@QueryHandler(GetWorklist)
export class GetWorklistHandler implements IQueryHandler<GetWorklist, Worklist> {
  private readonly cache: AnswerCache<Worklist>;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SERVICE_RULES) private readonly rules: ServiceRules,
  ) {
    this.cache = new AnswerCache(store);
  }

  async execute({ actor, repId, asOf }: GetWorklist): Promise<Worklist> {
    const {
      targets: [staffTarget, target],
      version,
    } = await this.cache.live([STAFF_READ_MODEL, CHURN_RISK_READ_MODEL]);
    const staff = new StaffLookup(this.store, staffTarget);
    assertCanSeeRep(await staff.scopeOf(actor), repId);
    if (!(await staff.reps([repId])).has(repId)) throw new NotFound(`Rep ${repId} does not exist`);
    const key = JSON.stringify([repId, asOf]);
    const cached = this.cache.get(key, version);
    if (cached) return cached;
    const calendar = (await this.store.load(target, CHURN_CALENDAR_COLLECTION, [CALENDAR_DOC_ID])).get(CALENDAR_DOC_ID)?.doc as CalendarDoc | undefined;
    if (calendar?.day !== asOf) return this.computed(repId, asOf);
    const answer = await this.fromReadModel(target, repId, asOf);
    this.cache.set(key, version, answer);
    return answer;
  }

  private async fromReadModel(target: Target, repId: string, asOf: string): Promise<Worklist> {
    const [docs, customersAssigned] = await Promise.all([
      this.store.find<ChurnRiskDoc>(target, CHURN_RISKS_COLLECTION, { serviceRepId: repId, onWorklist: true }, { sort: [['score', -1], ['id', 1]], hint: RISKS_BY_REP_WORKLIST }),
      this.store.count(target, CHURN_RISKS_COLLECTION, { serviceRepId: repId, listed: true }, RISKS_BY_REP_SCORE),
    ]);
    const entries = docs.map((doc) => ({ customerId: doc.id, companyName: doc.companyName!, repId, risk: { score: doc.score, level: doc.level }, items: doc.worklist }));
    return { repId, asOf, customersAssigned, entries };
  }

  private async computed(repId: string, asOf: string): Promise<Worklist> {
    const customers = await customersEverAssigned(this.store, new Set([repId]));
    const telemetry = await telemetryOf(this.store, customers.map((doc) => doc.id), churnLookBackStart(asOf, this.rules), asOf);
    const entries: WorklistEntry[] = [];
    let customersAssigned = 0;
    for (const doc of customers) {
      if (repAssignedAt(doc, asOf) !== repId) continue;
      if (activeAt(doc, asOf)) customersAssigned += 1;
      const { usage, spend } = telemetry.of(doc.id);
      const entry = worklistEntry(doc, usage, spend, this.rules, repId, asOf);
      if (entry) entries.push(entry);
    }
    return { repId, asOf, customersAssigned, entries: entries.sort(compareWorklist) };
  }
}
