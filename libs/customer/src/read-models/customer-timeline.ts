import { addDays, daysBetween } from '#shared-kernel';
import type { CustomerFactsDoc, ReminderFact, TermFact, VisitFact } from './customer-facts.doc';

/** The parts of a visit the timeline readings look at (a read model may keep only these). */
export type VisitLike = Pick<VisitFact, 'on' | 'reached' | 'repId' | 'serviceRepId'>;
type WithVisits<V extends VisitLike> = { readonly visits: readonly V[] };

/** Shared readings of a customer's facts on an `asOf` day; facts dated later are ignored so past days answer as they did then. */

/** The first day of the `days`-long window that ends on `asOf` (inclusive on both sides). */
export const windowStart = (asOf: string, days: number): string => addDays(asOf, -(days - 1));

/** A contact: a visit that reached the customer, whoever made it and at whatever level. */
export const isContact = (visit: VisitLike): boolean => visit.reached;

/** A contact made by the rep who was responsible for the customer at the time of the visit. */
export const isServiceRepContact = (visit: VisitLike): boolean => visit.reached && visit.repId === visit.serviceRepId;

/** Contacts dated on or before `asOf`. */
export const contactsAsOf = <V extends VisitLike>(doc: WithVisits<V>, asOf: string, which: (visit: V) => boolean = isContact): V[] =>
  doc.visits.filter((visit) => visit.on <= asOf && which(visit));

/** The latest contact day on or before `asOf`; max over dates because late-recorded visits break event order. */
export const lastContactOn = <V extends VisitLike>(doc: WithVisits<V>, asOf: string, which: (visit: V) => boolean = isContact): string | undefined =>
  contactsAsOf(doc, asOf, which).reduce<string | undefined>((last, visit) => (last === undefined || visit.on > last ? visit.on : last), undefined);

/** Contacts in the `days` days that end on `asOf`. */
export const contactsInWindow = (doc: WithVisits<VisitLike>, asOf: string, days: number): number => {
  const from = windowStart(asOf, days);
  return contactsAsOf(doc, asOf).filter((visit) => visit.on >= from).length;
};

/** The rep assigned on `day`: the last assignment that started on or before it; undefined before signing. */
export const repAssignedAt = (doc: Pick<CustomerFactsDoc, 'assignments'>, day: string): string | undefined => {
  let repId: string | undefined;
  for (const assignment of doc.assignments) if (assignment.from <= day) repId = assignment.repId;
  return repId;
};

/** Terms known on `asOf`: the first one, and each later one whose renewal had been collected by then. */
export const termsKnownAsOf = (doc: Pick<CustomerFactsDoc, 'terms'>, asOf: string): TermFact[] =>
  doc.terms.filter((_, index) => index === 0 || isRenewedAsOf(doc.terms[index - 1]!, asOf));

/** The term in force on `asOf`: the latest known one that has started, or the first one before any started. */
export const termAt = (doc: Pick<CustomerFactsDoc, 'terms'>, asOf: string): TermFact | undefined => {
  const started = termsKnownAsOf(doc, asOf).filter((term) => term.start <= asOf);
  return started.length > 0 ? started[started.length - 1] : doc.terms[0];
};

/** Whether the renewal that followed the term had been collected by `asOf`. */
export const isRenewedAsOf = (term: TermFact, asOf: string): boolean => term.renewedOn !== undefined && term.renewedOn <= asOf;

/** Churned on `asOf`: the last churn by then is later than every renewal by then (a later renewal is a win-back). */
export const isChurnedAsOf = (doc: { readonly churns: readonly { readonly on: string }[]; readonly renewals: readonly { readonly on: string }[] }, asOf: string): boolean => {
  const lastChurn = latest(doc.churns.filter((churn) => churn.on <= asOf).map((churn) => churn.on));
  if (lastChurn === undefined) return false;
  return doc.renewals.every((renewal) => renewal.on > asOf || renewal.on < lastChurn);
};

/** Reminders sent for the term that ends on `termEnd`, on or before `asOf`. */
export const remindersFor = <R extends Pick<ReminderFact, 'on' | 'termEnd'>>(doc: { readonly reminders: readonly R[] }, termEnd: string, asOf: string): R[] =>
  doc.reminders.filter((reminder) => reminder.termEnd === termEnd && reminder.on <= asOf);

/** The latest of some ISO days, or undefined for none. */
export const latest = (days: readonly string[]): string | undefined =>
  days.reduce<string | undefined>((last, day) => (last === undefined || day > last ? day : last), undefined);

/** How long something has not happened: since its last day, since signing when it never did, or beyond the look-back. */
export interface Quiet {
  readonly days: number;
  readonly since: 'last' | 'signed' | 'beyond';
  readonly last?: string;
}

/** Days since a last day, or since signing when there was none. */
export const quietSince = (doc: Pick<CustomerFactsDoc, 'signedOn'>, last: string | undefined, asOf: string): Quiet =>
  last !== undefined ? { days: daysBetween(last, asOf), since: 'last', last } : { days: daysBetween(doc.signedOn, asOf), since: 'signed' };

/** A readable "for N days" that says what the count is measured from. */
export const describeQuiet = (quiet: Quiet): string => {
  switch (quiet.since) {
    case 'last':
      return `for ${quiet.days} days (last ${quiet.last})`;
    case 'signed':
      return `for ${quiet.days} days (none since signing)`;
    case 'beyond':
      return `for more than ${quiet.days - 1} days`;
  }
};

/** The tier with the most days among those reached (`strict`: days must exceed the tier's days). */
export const highestTier = <T extends { readonly days: number }>(tiers: readonly T[], days: number, strict: boolean): T | undefined =>
  tiers
    .filter((tier) => (strict ? days > tier.days : days >= tier.days))
    .reduce<T | undefined>((best, tier) => (best === undefined || tier.days > best.days ? tier : best), undefined);
