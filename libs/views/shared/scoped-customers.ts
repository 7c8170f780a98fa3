import { CUSTOMER_FACTS_PROJECTION, CUSTOMERS_COLLECTION, type CustomerFactsDoc } from '../../customer/src/read-models/customer-facts.doc';
import { liveTarget } from '../../read-store/src/read-model-reader';
import type { Filter, ReadStore } from '../../read-store/src/read-store.port';
import { CHURN_ASSIGNMENTS_COLLECTION, CHURN_RISK_PROJECTION, type AssignmentDoc } from '../churn-risk/churn-risk.doc';

/**
 * The customers whose facts a past day's view needs, read by index for the caller's scope: every customer for
 * everyone (optionally narrowed by an indexed field of the facts), otherwise the customers ever assigned to the
 * reps in question, found through the churn-risk read model's (customer, rep) assignment index. Nothing is kept
 * between queries.
 */
export const customersEverAssigned = async (store: ReadStore, reps: ReadonlySet<string> | undefined, narrow: Filter = {}): Promise<CustomerFactsDoc[]> => {
  const factsTarget = await liveTarget(store, CUSTOMER_FACTS_PROJECTION);
  if (!reps) return store.find<CustomerFactsDoc>(factsTarget, CUSTOMERS_COLLECTION, narrow);
  if (reps.size === 0) return [];
  const assignments = await store.find<AssignmentDoc>(await liveTarget(store, CHURN_RISK_PROJECTION), CHURN_ASSIGNMENTS_COLLECTION, { repId: reps.size === 1 ? [...reps][0]! : { $in: [...reps] } });
  const loaded = await store.load(factsTarget, CUSTOMERS_COLLECTION, [...new Set(assignments.map((a) => a.customerId))]);
  return [...loaded.values()].map((stored) => stored.doc as CustomerFactsDoc);
};
