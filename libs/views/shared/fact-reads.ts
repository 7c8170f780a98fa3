import { Inject, Injectable } from '@nestjs/common';
import { CUSTOMER_FACTS_READ_MODEL, type CustomerFactsDoc, CUSTOMERS_COLLECTION } from '#customer';
import { type Filter, liveTarget, READ_STORE, type ReadModelRef, type ReadStore } from '#read-store';
import { SERVICE_RULES } from './tokens';
import type { ServiceRules } from '#shared-kernel';
import { type GroupDoc, GROUPS_COLLECTION, REP_ACTIVITY_READ_MODEL, REP_DAYS_COLLECTION, REP_PERIODS_BY_PERIOD, REP_PERIODS_COLLECTION, type RepDayDoc, type RepPeriodDoc, type RepPeriodKind, STAFF_READ_MODEL } from '#staff';
import { monthDocId, monthsCovering, SPEND_MONTHS_COLLECTION, type SpendMonthDoc, spendSeries, type SpendSeries, TELEMETRY_READ_MODEL } from '#telemetry';
import { AnswerCache } from './answer-cache';
import { customersEverAssigned } from './scoped-customers';
import { StaffLookup } from './staff-lookup';

/**
 * Reads of the fact read models for what no view read model keeps (past days, periods no longer kept, the
 * reports), each by id or index and each for one request: nothing is kept between queries, so the API's memory
 * does not grow with customers. What a whole-team answer costs is the read of the customers in scope; answers are
 * kept (see `answers`) while the read models they come from stand still.
 */
@Injectable()
export class FactReads {
  constructor(
    @Inject(READ_STORE) readonly store: ReadStore,
    @Inject(SERVICE_RULES) readonly rules: ServiceRules,
  ) {}

  staff(): Promise<StaffLookup> {
    return StaffLookup.open(this.store);
  }

  async groups(): Promise<Map<string, GroupDoc>> {
    const docs = await this.store.find<GroupDoc>(await liveTarget(this.store, STAFF_READ_MODEL), GROUPS_COLLECTION);
    return new Map(docs.map((group) => [group.id, group]));
  }

  async customer(id: string): Promise<CustomerFactsDoc | undefined> {
    const loaded = await this.store.load(await liveTarget(this.store, CUSTOMER_FACTS_READ_MODEL), CUSTOMERS_COLLECTION, [id]);
    return loaded.get(id)?.doc as CustomerFactsDoc | undefined;
  }

  /** Every customer matching an indexed filter (all of them without one). */
  async customers(filter: Filter = {}): Promise<CustomerFactsDoc[]> {
    return this.store.find<CustomerFactsDoc>(await liveTarget(this.store, CUSTOMER_FACTS_READ_MODEL), CUSTOMERS_COLLECTION, filter);
  }

  /**
   * The customers whose facts name one of the reps (ever assigned, or as sales rep), every customer when `reps` is
   * undefined.
   */
  async customersNaming(reps: ReadonlySet<string> | undefined): Promise<CustomerFactsDoc[]> {
    if (!reps) return this.customers();
    if (reps.size === 0) return [];
    const [assigned, sold] = await Promise.all([customersEverAssigned(this.store, reps), this.customers({ salesRepId: { $in: [...reps] } })]);
    const byId = new Map(assigned.map((doc) => [doc.id, doc]));
    for (const doc of sold) byId.set(doc.id, doc);
    return [...byId.values()];
  }

  /** Rep-day documents of a range of days, for some reps or everyone. */
  async repDays(from: string, to: string, reps?: ReadonlySet<string>): Promise<RepDayDoc[]> {
    const target = await liveTarget(this.store, REP_ACTIVITY_READ_MODEL);
    const where: Record<string, Filter[string]> = { day: { $gte: from, $lte: to } };
    if (reps) where.repId = reps.size === 1 ? [...reps][0]! : { $in: [...reps] };
    return this.store.find<RepDayDoc>(target, REP_DAYS_COLLECTION, where);
  }

  /** Rep week or month documents of one period (those of reps with any activity in it), for some reps or everyone. */
  async repPeriods(kind: RepPeriodKind, from: string, reps?: ReadonlySet<string>): Promise<RepPeriodDoc[]> {
    const target = await liveTarget(this.store, REP_ACTIVITY_READ_MODEL);
    const where: Record<string, Filter[string]> = { kind, from };
    if (reps) where.repId = reps.size === 1 ? [...reps][0]! : { $in: [...reps] };
    return this.store.find<RepPeriodDoc>(target, REP_PERIODS_COLLECTION, where, { hint: REP_PERIODS_BY_PERIOD });
  }

  /** Daily spend of some customers over a range of days, read by id (one document per customer per month). */
  async spend(customerIds: readonly string[], from: string, to: string): Promise<Map<string, SpendSeries>> {
    const target = await liveTarget(this.store, TELEMETRY_READ_MODEL);
    const months = monthsCovering(from, to);
    const loaded = await this.store.load(
      target,
      SPEND_MONTHS_COLLECTION,
      customerIds.flatMap((id) => months.map((month) => monthDocId(id, month))),
    );
    const byCustomer = new Map<string, SpendMonthDoc[]>();
    for (const { doc } of loaded.values()) {
      const month = doc as unknown as SpendMonthDoc;
      (byCustomer.get(month.customerId) ?? byCustomer.set(month.customerId, []).get(month.customerId)!).push(month);
    }
    return new Map([...byCustomer].map(([id, docs]) => [id, spendSeries(docs.sort((a, b) => (a.month < b.month ? -1 : 1)))]));
  }

  /** A cache of answers valid while the named read models stand still (any commit, rebuild or swap moves them on). */
  answers<T>(...readModels: ReadModelRef[]): { get(key: string): Promise<{ value?: T; keep(value: T): T }> } {
    const cache = new AnswerCache<T>(this.store);
    return {
      get: async (key) => {
        const { version } = await cache.live(readModels);
        const value = cache.get(key, version);
        return { ...(value !== undefined ? { value } : {}), keep: (fresh: T) => (cache.set(key, version, fresh), fresh) };
      },
    };
  }
}
