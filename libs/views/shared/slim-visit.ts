import type { VisitFact } from '#customer';

/** A visit as a view's inputs keep it: when, by whom, how, and whether it reached the customer (the notes stay in customer_facts). */
export const slimVisit = (visit: VisitFact): VisitFact => ({
  visitId: visit.visitId,
  on: visit.on,
  repId: visit.repId,
  serviceRepId: visit.serviceRepId,
  level: visit.level,
  channel: visit.channel,
  purpose: visit.purpose,
  reached: visit.reached,
});
