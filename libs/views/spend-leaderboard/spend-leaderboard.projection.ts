import { BUSINESS_DAY_STARTED, type BusinessDayEvent, CALENDAR_EVENT_SHAPES } from '#calendar';
import { CUSTOMER_EVENT_SHAPES, type CustomerEvent } from '#customer';
import { type DerivedDoc, type Doc, type DocRef, type Projection, type Recorded, typedProjection } from '#read-store';
import { addDays, isoWeekday, type ServiceRules, weekStart } from '#shared-kernel';
import { evolveTelemetryMonth, monthDocId, type SpendMonthDoc, spendSeries, TELEMETRY_EVENT_SHAPES, type TelemetryEvent } from '#telemetry';
import { customerWeek, type LeaderboardFacts } from './spend-leaderboard';
import {
  CONTRIBUTIONS_BY_WEEK,
  CONTRIBUTIONS_COLLECTION,
  contributionId,
  KEPT_WEEKS,
  LEADERBOARD_CALENDAR_COLLECTION,
  LEADERBOARD_CALENDAR_DOC_ID,
  LEADERBOARD_CUSTOMERS_COLLECTION,
  SPEND_LEADERBOARD_PROJECTION,
  SPEND_LEADERBOARD_READ_MODEL,
  SPEND_LEADERBOARD_PUBLISHED_NAME,
  type ContributionDoc,
  type LeaderboardCalendarDoc,
  type LeaderboardCustomerDoc,
} from './spend-leaderboard.doc';

/** The customer events a week on the boards depends on: the rep, signing, churns and renewals. */
export const LEADERBOARD_CUSTOMER_EVENT_TYPES = ['CustomerSigned', 'ServiceRepAssigned', 'CustomerChurned', 'RenewalCollected'] as const satisfies readonly CustomerEvent['type'][];
export const LEADERBOARD_SPEND_EVENT_TYPES = ['DailySpendReported', 'DailySpendCorrected'] as const satisfies readonly TelemetryEvent['type'][];

type LeaderboardCustomerEvent = Extract<CustomerEvent, { type: (typeof LEADERBOARD_CUSTOMER_EVENT_TYPES)[number] }>;
type SpendEvent = Extract<TelemetryEvent, { type: (typeof LEADERBOARD_SPEND_EVENT_TYPES)[number] }>;
type LeaderboardEvent = LeaderboardCustomerEvent | SpendEvent | BusinessDayEvent;
type LeaderboardDocs = LeaderboardCustomerDoc | ContributionDoc | LeaderboardCalendarDoc;

const SHAPES = { ...CUSTOMER_EVENT_SHAPES, ...TELEMETRY_EVENT_SHAPES, ...CALENDAR_EVENT_SHAPES };
const isSpendEvent = (event: Recorded<LeaderboardEvent>): event is Recorded<SpendEvent> => (LEADERBOARD_SPEND_EVENT_TYPES as readonly string[]).includes(event.type);

const CALENDAR_REF: DocRef = { collection: LEADERBOARD_CALENDAR_COLLECTION, id: LEADERBOARD_CALENDAR_DOC_ID };

/** The facts after one customer event; `where` names the event when the log and this view disagree. */
export const evolveLeaderboardFacts = (facts: LeaderboardFacts | null, event: LeaderboardCustomerEvent, where: string): LeaderboardFacts => {
  if (event.type === 'CustomerSigned') {
    if (facts !== null) throw new Error(`${where}: customer ${event.data.customerId} is already signed`);
    const d = event.data;
    return { id: d.customerId, product: d.product, signedOn: d.signedOn, assignments: [{ repId: d.serviceRepId, from: d.signedOn }], churns: [], renewals: [] };
  }
  if (facts === null) throw new Error(`${where}: customer ${event.data.customerId} is not signed`);
  switch (event.type) {
    case 'ServiceRepAssigned':
      return { ...facts, assignments: [...facts.assignments, { repId: event.data.serviceRepId, from: event.data.assignedOn }] };
    case 'CustomerChurned':
      return { ...facts, churns: [...facts.churns, { on: event.data.churnedOn, kind: event.data.kind }] };
    case 'RenewalCollected':
      return { ...facts, renewals: [...facts.renewals, { on: event.data.collectedOn }] };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/** A spend report replaces its day in the customer's month. */
const withSpend = (spend: readonly SpendMonthDoc[], customerId: string, event: Recorded<SpendEvent>): SpendMonthDoc[] => {
  const id = monthDocId(customerId, event.data.day.slice(0, 7));
  const current = spend.find((month) => month.id === id) ?? null;
  const next = evolveTelemetryMonth(current, event, id) as SpendMonthDoc;
  return [...spend.filter((month) => month.id !== id), next].sort((a, b) => (a.month < b.month ? -1 : 1));
};

/** The Mondays of the weeks kept for a business day, the current week first. */
export const keptWeeks = (day: string): string[] => Array.from({ length: KEPT_WEEKS }, (_, k) => addDays(weekStart(day), -7 * k));

/**
 * The customer's contribution to each kept week, computed from its facts and spend, and the week just out of the
 * kept range marked as no longer kept (so the published contributions are the kept weeks').
 */
const contributionsOf = (doc: LeaderboardCustomerDoc, rules: ServiceRules): DerivedDoc<LeaderboardDocs>[] => {
  const { facts, spend } = doc.internal;
  if (doc.day === null || facts === null || !doc.bidding) return [];
  const series = spend.length > 0 ? spendSeries(spend) : undefined;
  const weeks = keptWeeks(doc.day);
  const contribution = (week: string): ContributionDoc => {
    const id = contributionId(week, doc.id);
    const counted = week >= weekStart(facts.signedOn) ? customerWeek(facts, series, week, rules) : undefined;
    return counted ? { id, week, customerId: doc.id, listed: true, repId: counted.repId, keyAccount: counted.keyAccount, spendFen: counted.spendFen, previousSpendFen: counted.previousSpendFen, deaths: counted.deaths, revivals: counted.revivals } : { id, week, customerId: doc.id, listed: false };
  };
  const retired = addDays(weeks[weeks.length - 1]!, -7);
  return [
    ...weeks.map((week) => ({ collection: CONTRIBUTIONS_COLLECTION, doc: contribution(week) })),
    { collection: CONTRIBUTIONS_COLLECTION, doc: { id: contributionId(retired, doc.id), week: retired, customerId: doc.id, listed: false } },
  ];
};

/**
 * The spend-increase leaderboard read model: per week and customer, what the customer adds to that week's boards
 * (rep at the week's end, key account or not, spend this week and last, deaths and revivals), so a week's boards
 * are sums over one index, and a spend correction or a reassignment rewrites exactly the contributions it changes.
 * The last eight weeks are kept: every event of a customer recomputes its contributions to them, and each Monday
 * moves every bidding customer into the new week.
 */
export const spendLeaderboardProjection = (rules: ServiceRules): Projection<LeaderboardDocs> => typedProjection<LeaderboardDocs, LeaderboardEvent>(SHAPES, {
  name: SPEND_LEADERBOARD_PROJECTION,
  version: SPEND_LEADERBOARD_READ_MODEL.version,
  description: 'Each bidding customer’s contribution to the spend-increase boards of the last eight weeks, by week and rep',
  eventTypes: [...LEADERBOARD_CUSTOMER_EVENT_TYPES, ...LEADERBOARD_SPEND_EVENT_TYPES, BUSINESS_DAY_STARTED],
  collections: [
    { name: LEADERBOARD_CUSTOMERS_COLLECTION, indexes: [{ name: 'by_bidding', fields: [['bidding', 1]] }] },
    {
      name: CONTRIBUTIONS_COLLECTION,
      derived: true,
      publishedAs: SPEND_LEADERBOARD_PUBLISHED_NAME,
      // Listed or not, every contribution names its week and customer: filters on them read the values unchecked.
      fieldTypes: { week: 'string', listed: 'boolean', customerId: 'string' },
      indexes: [
        {
          name: CONTRIBUTIONS_BY_WEEK,
          fields: [['week', 1], ['listed', 1], ['repId', 1], ['keyAccount', 1], ['spendFen', 1], ['previousSpendFen', 1], ['deaths', 1], ['revivals', 1]],
        },
        { name: 'by_customer', fields: [['customerId', 1], ['week', 1]] },
      ],
    },
    { name: LEADERBOARD_CALENDAR_COLLECTION, indexes: [] },
  ],
  touches: (event) => {
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      // A Monday opens a week for every bidding customer, spending or not.
      return isoWeekday(day) === 1 ? [CALENDAR_REF, { collection: LEADERBOARD_CUSTOMERS_COLLECTION, where: { bidding: true } }] : [CALENDAR_REF];
    }
    return [{ collection: LEADERBOARD_CUSTOMERS_COLLECTION, id: event.data.customerId }];
  },
  reads: (event) => (event.type === BUSINESS_DAY_STARTED ? [] : [CALENDAR_REF]),
  evolve: (current, event, ref, context) => {
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      if (ref.collection === LEADERBOARD_CALENDAR_COLLECTION) {
        const calendar = current as LeaderboardCalendarDoc | null;
        const firstMonday = calendar?.firstMonday ?? (isoWeekday(day) === 1 ? day : null);
        return { id: LEADERBOARD_CALENDAR_DOC_ID, day: calendar !== null && calendar.day > day ? calendar.day : day, firstMonday };
      }
      const doc = current as LeaderboardCustomerDoc;
      return doc.day !== null && doc.day > day ? doc : { ...doc, day };
    }
    const where = `${event.type} at position ${event.position}`;
    const today = context.get<LeaderboardCalendarDoc & Doc>(LEADERBOARD_CALENDAR_COLLECTION, LEADERBOARD_CALENDAR_DOC_ID)?.day ?? null;
    const doc: LeaderboardCustomerDoc = (current as LeaderboardCustomerDoc | null) ?? { id: ref.id, day: today, bidding: false, internal: { facts: null, spend: [] } };
    const day = doc.day !== null && (today === null || doc.day > today) ? doc.day : today;
    if (isSpendEvent(event)) return { ...doc, day, internal: { ...doc.internal, spend: withSpend(doc.internal.spend, doc.id, event) } };
    const facts = evolveLeaderboardFacts(doc.internal.facts, event, where);
    return { ...doc, day, bidding: facts.product === 'bidding', internal: { ...doc.internal, facts } };
  },
  derive: (doc, collection) => (collection === LEADERBOARD_CUSTOMERS_COLLECTION ? contributionsOf(doc as LeaderboardCustomerDoc, rules) : []),
});
