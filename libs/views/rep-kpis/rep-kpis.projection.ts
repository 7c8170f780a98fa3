import { BUSINESS_DAY_STARTED, type BusinessDayEvent, CALENDAR_EVENT_SHAPES } from '#calendar';
import { CUSTOMER_EVENT_SHAPES, type CustomerEvent, type CustomerEventType, type CustomerFactsDoc, evolveCustomerFacts } from '#customer';
import { slimVisit } from '../shared/slim-visit';
import { type DerivedDoc, type Doc, type DocRef, type Projection, typedProjection } from '#read-store';
import { addDays, isoWeekday, monthStart, type Period, periodBounds, type ServiceRules, weekStart } from '#shared-kernel';
import { customerFigures } from './rep-kpis';
import {
  CONTRIBUTIONS_BY_PERIOD_REP,
  CONTRIBUTIONS_COVERAGE,
  CONTRIBUTIONS_EXPIRING,
  COVERAGE_TOTALS,
  KPI_CALENDAR_COLLECTION,
  KPI_CALENDAR_DOC_ID,
  KPI_CONTRIBUTIONS_COLLECTION,
  KPI_CUSTOMERS_COLLECTION,
  kpiContributionId,
  KPI_SUMMED,
  LISTED_TOTALS,
  REP_KPIS_PROJECTION,
  REP_KPIS_READ_MODEL,
  REP_KPIS_PUBLISHED_NAME,
  type KeptPeriodKind,
  type KpiCalendarDoc,
  type KpiContribution,
  type KpiCustomerDoc,
} from './rep-kpis.doc';

/** The customer events a rep's customer figures depend on: assignment, terms, contacts, renewals and churns. */
export const KPI_CUSTOMER_EVENT_TYPES = ['CustomerSigned', 'ServiceRepAssigned', 'VisitRecorded', 'RenewalCollected', 'CustomerChurned'] as const satisfies readonly CustomerEventType[];

type KpiEvent = Extract<CustomerEvent, { readonly type: (typeof KPI_CUSTOMER_EVENT_TYPES)[number] }> | BusinessDayEvent;
const SHAPES = { ...CUSTOMER_EVENT_SHAPES, ...CALENDAR_EVENT_SHAPES };
const CALENDAR_REF: DocRef = { collection: KPI_CALENDAR_COLLECTION, id: KPI_CALENDAR_DOC_ID };

type KpiDocs = KpiCustomerDoc | KpiContribution | KpiCalendarDoc;

/** A new week or month begins: every customer moves into it. */
const opensPeriod = (day: string): boolean => isoWeekday(day) === 1 || day.endsWith('-01');

/**
 * The last day's answer of a function of the day: a projection asks for the same day's periods for every customer
 * (a rebuild, tens of thousands of times a day), and the days come in order.
 */
const lastDay = <T>(of: (day: string) => T): ((day: string) => T) => {
  let cachedDay: string | undefined;
  let cached: T;
  return (day) => {
    if (day !== cachedDay) {
      cached = of(day);
      cachedDay = day;
    }
    return cached;
  };
};

/** The periods kept on a business day: this and last ISO week, this and last calendar month. */
export const keptPeriods: (day: string) => readonly Period[] = lastDay((day) => {
  const week = weekStart(day);
  const month = monthStart(day);
  return Object.freeze([
    periodBounds({ kind: 'week', of: week }),
    periodBounds({ kind: 'week', of: addDays(week, -7) }),
    periodBounds({ kind: 'month', of: month }),
    periodBounds({ kind: 'month', of: addDays(month, -1) }),
  ]);
});

/** The periods that were kept until the day's week or month began, and are no longer. */
const retiredPeriods: (day: string) => readonly Period[] = lastDay((day) =>
  Object.freeze([
    periodBounds({ kind: 'week', of: addDays(weekStart(day), -14) }),
    periodBounds({ kind: 'month', of: addDays(monthStart(addDays(monthStart(day), -1)), -1) }),
  ]),
);

/**
 * The facts the kept periods of `day` and of every later day can read: contacts from the contact window before the
 * earliest kept period on. Terms, assignments, renewals and churns are few and kept whole.
 */
export const pruneKpiFacts = (facts: CustomerFactsDoc, day: string, rules: ServiceRules): CustomerFactsDoc => {
  const earliest = keptPeriods(day).reduce((first, period) => (period.from < first ? period.from : first), day);
  const from = addDays(earliest, -rules.expiring.windowDays);
  return { ...facts, visits: facts.visits.filter((visit) => visit.reached && visit.on >= from).map(slimVisit) };
};

const contributionOf = (facts: CustomerFactsDoc, period: Period, repId: string, rules: ServiceRules): KpiContribution => {
  const figures = customerFigures([facts], repId, period, rules);
  const values = {
    assigned: figures.monthlyCoverage.assigned,
    covered: figures.monthlyCoverage.covered,
    expiring: figures.expiring.length > 0,
    renewals: figures.renewals.count,
    renewalFen: figures.renewals.amountFen,
    salesRenewals: figures.salesRenewals.count,
    salesRenewalFen: figures.salesRenewals.amountFen,
    due: figures.renewalRate.due,
    renewed: figures.renewalRate.renewed,
    awaiting: figures.renewalRate.awaitingGrace,
  };
  // Coverage is counted apart (by `assigned`), so a row most customers have only for coverage stays out of the sums.
  const listed = values.renewals + values.salesRenewals + values.due > 0 || values.expiring;
  return { id: kpiContributionId(period.kind as KeptPeriodKind, period.from, repId, facts.id), kind: period.kind as KeptPeriodKind, from: period.from, repId, customerId: facts.id, listed, ...values };
};

/** A period no longer kept: nothing listed (its figures are computed from the facts when asked for). */
const notKept = (period: Period, repId: string, customerId: string): KpiContribution => ({
  id: kpiContributionId(period.kind as KeptPeriodKind, period.from, repId, customerId),
  kind: period.kind as KeptPeriodKind,
  from: period.from,
  repId,
  customerId,
  listed: false,
  assigned: 0,
  covered: 0,
  expiring: false,
  renewals: 0,
  renewalFen: 0,
  salesRenewals: 0,
  salesRenewalFen: 0,
  due: 0,
  renewed: 0,
  awaiting: 0,
});

/** The customer's contribution to each kept period of each rep it names, and the periods just retired as not kept. */
const contributionsOf = (doc: KpiCustomerDoc, rules: ServiceRules): DerivedDoc<KpiDocs>[] => {
  const { facts } = doc.internal;
  if (doc.day === null || facts === null) return [];
  const reps = [...new Set([facts.salesRepId, ...facts.assignments.map((assignment) => assignment.repId)])];
  const out: DerivedDoc<KpiDocs>[] = [];
  for (const repId of reps) {
    for (const period of keptPeriods(doc.day)) out.push({ collection: KPI_CONTRIBUTIONS_COLLECTION, doc: contributionOf(facts, period, repId, rules) });
    for (const period of retiredPeriods(doc.day)) out.push({ collection: KPI_CONTRIBUTIONS_COLLECTION, doc: notKept(period, repId, facts.id) });
  }
  return out;
};

/**
 * The rep-KPI read model: per period (this and last ISO week, this and last month), rep and customer, what the
 * customer adds to the rep's figures (monthly coverage, expiring under-contacted, renewals and commissions' bases,
 * the renewal rate), so a team's figures for a period are one grouped sum over one index. Every event of a customer
 * recomputes its contributions; the first day of a week or month moves every customer into it. The rep's own
 * activity (calls, visits, workload, daily targets) is read from `rep_activity` by rep and day.
 */
export const repKpisProjection = (rules: ServiceRules): Projection<KpiDocs> => typedProjection<KpiDocs, KpiEvent>(SHAPES, {
  name: REP_KPIS_PROJECTION,
  version: REP_KPIS_READ_MODEL.version,
  description: 'Each customer’s contribution to its reps’ KPIs for this and last week and month, by period and rep',
  eventTypes: [...KPI_CUSTOMER_EVENT_TYPES, BUSINESS_DAY_STARTED],
  collections: [
    { name: KPI_CUSTOMERS_COLLECTION, indexes: [] },
    {
      name: KPI_CONTRIBUTIONS_COLLECTION,
      derived: true,
      publishedAs: REP_KPIS_PUBLISHED_NAME,
      // Every contribution holds every field (a period no longer kept, zeros): filters and sums read values unchecked.
      fieldTypes: {
        kind: 'string',
        from: 'string',
        repId: 'string',
        customerId: 'string',
        listed: 'boolean',
        assigned: 'number',
        covered: 'number',
        expiring: 'boolean',
        renewals: 'number',
        renewalFen: 'number',
        salesRenewals: 'number',
        salesRenewalFen: 'number',
        due: 'number',
        renewed: 'number',
        awaiting: 'number',
      },
      // A team's figures for a period, per rep, kept with every write where the store can: a few rows per period.
      rollups: [
        { name: COVERAGE_TOTALS, where: { assigned: 1 }, groupBy: ['kind', 'from', 'repId'], sum: ['covered'] },
        { name: LISTED_TOTALS, where: { listed: true }, groupBy: ['kind', 'from', 'repId'], sum: [...KPI_SUMMED] },
      ],
      indexes: [
        {
          name: CONTRIBUTIONS_BY_PERIOD_REP,
          fields: [['kind', 1], ['from', 1], ['listed', 1], ['repId', 1], ['renewals', 1], ['renewalFen', 1], ['salesRenewals', 1], ['salesRenewalFen', 1], ['due', 1], ['renewed', 1], ['awaiting', 1]],
        },
        { name: CONTRIBUTIONS_COVERAGE, fields: [['kind', 1], ['from', 1], ['assigned', 1], ['repId', 1], ['covered', 1]] },
        { name: CONTRIBUTIONS_EXPIRING, fields: [['kind', 1], ['from', 1], ['expiring', 1], ['repId', 1], ['customerId', 1]] },
      ],
    },
    { name: KPI_CALENDAR_COLLECTION, indexes: [] },
  ],
  touches: (event) => {
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      return opensPeriod(day) ? [CALENDAR_REF, { collection: KPI_CUSTOMERS_COLLECTION, where: {} }] : [CALENDAR_REF];
    }
    return [{ collection: KPI_CUSTOMERS_COLLECTION, id: event.data.customerId }];
  },
  reads: (event) => (event.type === BUSINESS_DAY_STARTED ? [] : [CALENDAR_REF]),
  evolve: (current, event, ref, context) => {
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      if (ref.collection === KPI_CALENDAR_COLLECTION) {
        const calendar = current as KpiCalendarDoc | null;
        return {
          id: KPI_CALENDAR_DOC_ID,
          day: calendar !== null && calendar.day > day ? calendar.day : day,
          firstMonday: calendar?.firstMonday ?? (isoWeekday(day) === 1 ? day : null),
          firstMonthStart: calendar?.firstMonthStart ?? (day.endsWith('-01') ? day : null),
        };
      }
      const doc = current as KpiCustomerDoc;
      return doc.day !== null && doc.day > day ? doc : { ...doc, day };
    }
    const today = context.get<KpiCalendarDoc & Doc>(KPI_CALENDAR_COLLECTION, KPI_CALENDAR_DOC_ID)?.day ?? null;
    const doc = current as KpiCustomerDoc | null;
    const facts = evolveCustomerFacts(doc?.internal.facts ?? null, event);
    const day = doc?.day !== null && doc?.day !== undefined && (today === null || doc.day > today) ? doc.day : today;
    return { id: ref.id, day, internal: { facts } };
  },
  settle: (doc, collection) => {
    if (collection !== KPI_CUSTOMERS_COLLECTION) return doc;
    const customer = doc as KpiCustomerDoc;
    if (customer.day === null || customer.internal.facts === null) return doc;
    return { ...customer, internal: { facts: pruneKpiFacts(customer.internal.facts, customer.day, rules) } };
  },
  derive: (doc, collection) => (collection === KPI_CUSTOMERS_COLLECTION ? contributionsOf(doc as KpiCustomerDoc, rules) : []),
});
