import { CUSTOMER_FACTS_READ_MODEL, type CustomerFactsDoc, CUSTOMERS_COLLECTION } from '#customer';
import { type Filter, liveTarget, type ReadStore } from '#read-store';
import { monthDocId, monthsCovering, SPEND_MONTHS_COLLECTION, type SpendMonthDoc, spendSeries, type SpendSeries, TELEMETRY_READ_MODEL, USAGE_MONTHS_COLLECTION, type UsageMonthDoc, usageSeries, type UsageSeries } from '#telemetry';
import { CHURN_ASSIGNMENTS_COLLECTION, CHURN_RISK_READ_MODEL, type AssignmentDoc } from '../churn-risk/churn-risk.doc';

/**
 * The customers whose facts a past day's view needs, read by index for the caller's scope: every customer for
 * everyone (optionally narrowed by an indexed field of the facts), otherwise the customers ever assigned to the
 * reps in question, found through the churn-risk read model's (customer, rep) assignment index. Nothing is kept
 * between queries.
 */
export const customersEverAssigned = async (store: ReadStore, reps: ReadonlySet<string> | undefined, narrow: Filter = {}): Promise<CustomerFactsDoc[]> => {
  const factsTarget = await liveTarget(store, CUSTOMER_FACTS_READ_MODEL);
  if (!reps) return store.find<CustomerFactsDoc>(factsTarget, CUSTOMERS_COLLECTION, narrow);
  if (reps.size === 0) return [];
  const assignments = await store.find<AssignmentDoc>(await liveTarget(store, CHURN_RISK_READ_MODEL), CHURN_ASSIGNMENTS_COLLECTION, { repId: reps.size === 1 ? [...reps][0]! : { $in: [...reps] } });
  const loaded = await store.load(factsTarget, CUSTOMERS_COLLECTION, [...new Set(assignments.map((a) => a.customerId))]);
  return [...loaded.values()].map((stored) => stored.doc as CustomerFactsDoc);
};

/** Customers' usage and spend over a range of days, read by id (one month document per customer per month). */
export interface TelemetryByCustomer {
  of(customerId: string): { readonly usage: UsageSeries; readonly spend: SpendSeries };
}

export const telemetryOf = async (store: ReadStore, customerIds: readonly string[], from: string, to: string): Promise<TelemetryByCustomer> => {
  const target = await liveTarget(store, TELEMETRY_READ_MODEL);
  const months = monthsCovering(from, to);
  const ids = customerIds.flatMap((id) => months.map((month) => monthDocId(id, month)));
  const [usage, spend] = await Promise.all([store.load(target, USAGE_MONTHS_COLLECTION, ids), store.load(target, SPEND_MONTHS_COLLECTION, ids)]);
  const monthsOf = <D>(loaded: Map<string, { doc: unknown }>, customerId: string): D[] =>
    months.flatMap((month) => {
      const stored = loaded.get(monthDocId(customerId, month));
      return stored ? [stored.doc as D] : [];
    });
  return {
    of: (customerId) => ({ usage: usageSeries(monthsOf<UsageMonthDoc>(usage, customerId)), spend: spendSeries(monthsOf<SpendMonthDoc>(spend, customerId)) }),
  };
};
