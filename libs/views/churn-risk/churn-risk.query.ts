import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { isChurnedAsOf, type Product, repAssignedAt } from '#customer';
import { churnLookBackStart, churnRisk, compareRisk, type ChurnRisk, type ChurnRiskLevel } from './churn-risk';
import { type Filter, READ_STORE, type ReadStore, type Target } from '#read-store';
import { pageOf, type Page, type Paging } from '../shared/paging';
import { SERVICE_RULES } from '../shared/tokens';
import { groupOfRepAt } from '../shared/viewer-scope';
import type { Actor, ServiceRules } from '#shared-kernel';
import { STAFF_READ_MODEL } from '#staff';
import { AnswerCache } from '../shared/answer-cache';
import { customersEverAssigned, telemetryOf } from '../shared/scoped-customers';
import { StaffLookup } from '../shared/staff-lookup';
import { CALENDAR_DOC_ID, CHURN_CALENDAR_COLLECTION, CHURN_RISK_READ_MODEL, CHURN_RISKS_COLLECTION, RISKS_BY_REP_SCORE, type CalendarDoc, type ChurnRiskDoc } from './churn-risk.doc';

export interface ChurnRiskFilter {
  readonly asOf: string;
  readonly repId?: string;
  readonly groupId?: string;
  readonly level?: ChurnRiskLevel;
  readonly product?: Product;
}

export interface ChurnRiskRow extends ChurnRisk {
  readonly companyName: string;
  readonly product: Product;
  readonly keyAccount: boolean;
  readonly serviceRepId: string;
  readonly groupId: string | null;
}

export type ChurnRiskPage = Page<ChurnRiskRow> & { readonly asOf: string };

export class GetChurnRisk extends Query<ChurnRiskPage> {
  constructor(
    readonly actor: Actor,
    readonly filter: ChurnRiskFilter,
    readonly paging: Paging,
  ) {
    super();
  }
}

/**
 * Customers by churn risk on `asOf`, riskiest first. For the business day the churn-risk read model has reached,
 * a page is one indexed read (and a count) in the caller's scope. Any other day is computed from the customers'
 * dated facts and telemetry, read by id or index for the customers in the caller's scope only.
 */
@QueryHandler(GetChurnRisk)
export class GetChurnRiskHandler implements IQueryHandler<GetChurnRisk, ChurnRiskPage> {
  private readonly cache: AnswerCache<ChurnRiskPage>;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SERVICE_RULES) private readonly rules: ServiceRules,
  ) {
    this.cache = new AnswerCache(store);
  }

  async execute({ actor, filter, paging }: GetChurnRisk): Promise<ChurnRiskPage> {
    const {
      targets: [staffTarget, target],
      version,
    } = await this.cache.live([STAFF_READ_MODEL, CHURN_RISK_READ_MODEL]);
    // Everyone who sees every customer shares answers; a rep's or a supervisor's are their own.
    const key = JSON.stringify([['manager', 'admin', 'analyst'].includes(actor.role) ? '*' : `${actor.role}:${actor.id}`, filter, paging]);
    const cached = this.cache.get(key, version);
    if (cached) return cached;
    const staff = new StaffLookup(this.store, staffTarget);
    const scope = await staff.scopeOf(actor);
    const reps = await staff.repsFor(scope, filter.asOf, filter.repId, filter.groupId);
    const calendar = (await this.store.load(target, CHURN_CALENDAR_COLLECTION, [CALENDAR_DOC_ID])).get(CALENDAR_DOC_ID)?.doc as CalendarDoc | undefined;
    const indexed = calendar?.day === filter.asOf;
    const page = indexed ? await this.fromReadModel(target, filter, reps, paging) : await this.computed(filter, reps, paging);
    const groups = await staff.reps(page.items.map((row) => row.serviceRepId));
    const answer = { asOf: filter.asOf, ...page, items: page.items.map((row) => ({ ...row, groupId: groupOfRepAt(groups.get(row.serviceRepId), filter.asOf) ?? null })) };
    // A past day also reads customer facts and telemetry, which move apart from these two read models.
    if (indexed) this.cache.set(key, version, answer);
    return answer;
  }

  /** The read model's day: one page by the score index, and the count of the same filter. */
  private async fromReadModel(target: Target, filter: ChurnRiskFilter, reps: ReadonlySet<string> | undefined, paging: Paging): Promise<Page<ChurnRiskRow>> {
    const where: Record<string, Filter[string]> = { listed: true };
    if (reps) where.serviceRepId = reps.size === 1 ? [...reps][0]! : { $in: [...reps] };
    if (filter.level) where.level = filter.level;
    if (filter.product) where.product = filter.product;
    // A list of reps narrows by the rep index; everyone's list reads the score index in order.
    const hint = reps && reps.size > 1 ? RISKS_BY_REP_SCORE : undefined;
    const [docs, total] = await Promise.all([
      this.store.find<ChurnRiskDoc>(target, CHURN_RISKS_COLLECTION, where, { sort: [['score', -1], ['id', 1]], skip: paging.offset, limit: paging.limit, ...(hint ? { hint } : {}) }),
      this.store.count(target, CHURN_RISKS_COLLECTION, where, hint),
    ]);
    const items = docs.map((doc) => ({
      customerId: doc.id,
      score: doc.score,
      level: doc.level,
      reasons: doc.reasons,
      companyName: doc.companyName!,
      product: doc.product!,
      keyAccount: doc.keyAccount,
      serviceRepId: doc.serviceRepId!,
      groupId: null,
    }));
    return { total, offset: paging.offset, limit: paging.limit, items };
  }

  /** Any other day: the customers in scope by index, their facts and telemetry by id, scored for that day. */
  private async computed(filter: ChurnRiskFilter, reps: ReadonlySet<string> | undefined, paging: Paging): Promise<Page<ChurnRiskRow>> {
    const { asOf } = filter;
    const customers = await customersEverAssigned(this.store, reps, !reps && filter.product ? { product: filter.product } : {});
    const telemetry = await telemetryOf(this.store, customers.map((doc) => doc.id), churnLookBackStart(asOf, this.rules), asOf);
    const rows: ChurnRiskRow[] = [];
    for (const doc of customers) {
      if (doc.signedOn > asOf || (filter.product && doc.product !== filter.product)) continue;
      const repId = repAssignedAt(doc, asOf);
      if (!repId || (reps && !reps.has(repId)) || isChurnedAsOf(doc, asOf)) continue;
      const { usage, spend } = telemetry.of(doc.id);
      const risk = churnRisk(doc, usage, spend, this.rules, asOf);
      if (filter.level && risk.level !== filter.level) continue;
      rows.push({ ...risk, companyName: doc.companyName, product: doc.product, keyAccount: doc.keyAccount, serviceRepId: repId, groupId: null });
    }
    rows.sort(compareRisk);
    return pageOf(rows, paging);
  }
}
