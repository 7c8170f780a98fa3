import { BUSINESS_DAY_STARTED, type BusinessDayEvent } from '#calendar';
import { churnLookBackStart, churnRisk } from './churn-risk';
import { isChurnedAsOf, repAssignedAt } from '#customer';
import { worklistItems } from '../worklist/worklist';
import type { RecordedEvent } from '#event-store';
import type { Doc, DocRef, DocSelection, Projection, ProjectionContext } from '#read-store';
import type { ServiceRules } from '#shared-kernel';
import { monthDocId, SPEND_MONTHS_COLLECTION, type SpendMonthDoc, spendSeries, TELEMETRY_EVENT_TYPES, telemetryDailyProjection, USAGE_MONTHS_COLLECTION, type UsageMonthDoc, usageSeries } from '#telemetry';
import { CHURN_CUSTOMER_EVENT_TYPES, evolveInputs, isChurnCustomerEvent, pruneInputs } from './churn-inputs';
import {
  CALENDAR_DOC_ID,
  CHURN_ASSIGNMENTS_COLLECTION,
  CHURN_CALENDAR_COLLECTION,
  CHURN_RISK_PROJECTION,
  CHURN_RISK_PUBLISHED_NAME,
  CHURN_RISKS_COLLECTION,
  RISKS_BY_REP_SCORE,
  RISKS_BY_REP_WORKLIST,
  type AssignmentDoc,
  type CalendarDoc,
  type ChurnInternal,
  type ChurnRiskDoc,
} from './churn-risk.doc';

const TELEMETRY_TYPES = TELEMETRY_EVENT_TYPES;
const isTelemetry = (event: { readonly type: string }): boolean => (TELEMETRY_TYPES as readonly string[]).includes(event.type);
const isUsage = (type: string): boolean => type === 'DailyUsageReported' || type === 'DailyUsageCorrected';

type ChurnDocs = ChurnRiskDoc | CalendarDoc | AssignmentDoc;

const CALENDAR_REF: DocRef = { collection: CHURN_CALENDAR_COLLECTION, id: CALENDAR_DOC_ID };
const EVERY_RISK: DocSelection = { collection: CHURN_RISKS_COLLECTION, where: {} };
const NO_CONTEXT: ProjectionContext = { get: () => null };

const customerIdOf = (event: RecordedEvent): string => {
  const id = event.data.customerId;
  if (typeof id !== 'string' || id === '') throw new Error(`${event.type} at position ${event.position}: customerId is not a non-empty string`);
  return id;
};

const emptyRisk = (id: string, day: string | null): ChurnRiskDoc => ({
  id,
  day,
  listed: false,
  serviceRepId: null,
  companyName: null,
  product: null,
  keyAccount: false,
  score: 0,
  level: 'low',
  reasons: [],
  onWorklist: false,
  worklist: [],
  internal: { facts: null, usage: [], spend: [] },
});

/** A telemetry report replaces its day in the customer's month document, kept with the inputs. */
const withTelemetry = (doc: ChurnInternal, id: string, day: string | null, event: RecordedEvent, rules: ServiceRules): ChurnInternal => {
  const reported = event.data.day;
  if (typeof reported !== 'string') throw new Error(`${event.type} at position ${event.position}: day is not an ISO day`);
  // A day the look-back can no longer reach changes no score, today or later.
  if (day !== null && reported < churnLookBackStart(day, rules)) return doc;
  const usage = isUsage(event.type);
  const collection = usage ? USAGE_MONTHS_COLLECTION : SPEND_MONTHS_COLLECTION;
  const months = (usage ? doc.usage : doc.spend) as readonly (UsageMonthDoc | SpendMonthDoc)[];
  const monthId = monthDocId(id, reported.slice(0, 7));
  const current = months.find((month) => month.id === monthId) ?? null;
  const next = telemetryDailyProjection.evolve(current, event, { collection, id: monthId }, NO_CONTEXT);
  const updated = [...months.filter((month) => month.id !== monthId), next].sort((a, b) => (a.month < b.month ? -1 : 1));
  return usage ? { ...doc, usage: updated as UsageMonthDoc[] } : { ...doc, spend: updated as SpendMonthDoc[] };
};

/**
 * What the document shows on its day, computed once per commit from its inputs, and the inputs pruned to what that
 * day and every later day can still read.
 */
const settleRisk = (doc: ChurnRiskDoc, rules: ServiceRules): ChurnRiskDoc => {
  const { day, internal } = doc;
  const facts = internal.facts;
  if (day === null || facts === null) return doc;
  const repId = repAssignedAt(facts, day);
  const listed = facts.signedOn <= day && repId !== undefined && !isChurnedAsOf(facts, day);
  const usage = usageSeries(internal.usage);
  const risk = listed ? churnRisk(facts, usage, spendSeries(internal.spend), rules, day) : { score: 0, level: 'low' as const, reasons: [] };
  const worklist = listed ? worklistItems(facts, usage, rules, repId!, day) : [];
  const from = churnLookBackStart(day, rules).slice(0, 7);
  return {
    ...doc,
    listed,
    serviceRepId: repId ?? null,
    companyName: facts.companyName,
    product: facts.product,
    keyAccount: facts.keyAccount,
    score: risk.score,
    level: risk.level,
    reasons: risk.reasons,
    onWorklist: worklist.length > 0,
    worklist,
    internal: {
      facts: pruneInputs(facts, day, rules),
      usage: internal.usage.filter((month) => month.month >= from),
      spend: internal.spend.filter((month) => month.month >= from),
    },
  };
};

/**
 * The churn-risk read model: one document per customer with its score, level and reasons for the current business
 * day, indexed by rep, level and score, so a page of the list is one indexed read; the facts and telemetry each
 * score is computed from ride along in its internal field, which pages never read. Facts and telemetry arrive as
 * events; a `BusinessDayStarted` moves every customer to the new day. Scores are those of the query-time
 * computation (`churnRisk`) on the same day.
 */
export const churnRiskProjection = (rules: ServiceRules): Projection<ChurnDocs> => ({
  name: CHURN_RISK_PROJECTION,
  // 2: each customer's worklist items for the day ride along (follow-ups, issue categories and churned terms kept).
  version: 2,
  description: 'Churn score, level, reasons and worklist items per customer for the current business day, by rep, level and score',
  eventTypes: [...CHURN_CUSTOMER_EVENT_TYPES, ...TELEMETRY_TYPES, BUSINESS_DAY_STARTED],
  collections: [
    {
      name: CHURN_RISKS_COLLECTION,
      publishedAs: CHURN_RISK_PUBLISHED_NAME,
      indexes: [
        { name: 'by_score', fields: [['listed', 1], ['score', -1], ['id', 1]] },
        { name: RISKS_BY_REP_SCORE, fields: [['serviceRepId', 1], ['listed', 1], ['score', -1], ['id', 1]] },
        { name: 'by_level_score', fields: [['level', 1], ['listed', 1], ['score', -1], ['id', 1]] },
        { name: RISKS_BY_REP_WORKLIST, fields: [['serviceRepId', 1], ['onWorklist', 1], ['score', -1], ['id', 1]] },
      ],
    },
    { name: CHURN_ASSIGNMENTS_COLLECTION, indexes: [{ name: 'by_rep', fields: [['repId', 1], ['customerId', 1]] }] },
    { name: CHURN_CALENDAR_COLLECTION, indexes: [] },
  ],
  touches: (event) => {
    if (event.type === BUSINESS_DAY_STARTED) return [CALENDAR_REF, EVERY_RISK];
    if (!isChurnCustomerEvent(event) && !isTelemetry(event)) return [];
    const id = customerIdOf(event);
    const refs: DocRef[] = [{ collection: CHURN_RISKS_COLLECTION, id }];
    if (event.type === 'CustomerSigned' || event.type === 'ServiceRepAssigned') {
      const repId = event.data.serviceRepId;
      if (typeof repId !== 'string' || repId === '') throw new Error(`${event.type} at position ${event.position}: serviceRepId is not a non-empty string`);
      refs.push({ collection: CHURN_ASSIGNMENTS_COLLECTION, id: `${id}:${repId}` });
    }
    return refs;
  },
  reads: (event) => (isChurnCustomerEvent(event) || isTelemetry(event) ? [CALENDAR_REF] : []),
  evolve: (current, event, ref, context) => {
    const where = `${event.type} at position ${event.position}`;
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = (event as unknown as BusinessDayEvent).data;
      if (ref.collection === CHURN_CALENDAR_COLLECTION) {
        const calendar = current as CalendarDoc | null;
        return { id: CALENDAR_DOC_ID, day: calendar !== null && calendar.day > day ? calendar.day : day };
      }
      const doc = current as ChurnRiskDoc;
      return doc.day !== null && doc.day > day ? doc : { ...doc, day };
    }
    if (ref.collection === CHURN_ASSIGNMENTS_COLLECTION) {
      const customerId = customerIdOf(event);
      return { id: ref.id, customerId, repId: ref.id.slice(customerId.length + 1) };
    }
    const today = context.get<CalendarDoc & Doc>(CHURN_CALENDAR_COLLECTION, CALENDAR_DOC_ID)?.day ?? null;
    // What the document shows is recomputed from its inputs when the batch settles.
    const doc = (current as ChurnRiskDoc | null) ?? emptyRisk(ref.id, today);
    if (isTelemetry(event)) return { ...doc, internal: withTelemetry(doc.internal, doc.id, doc.day, event, rules) };
    if (!isChurnCustomerEvent(event)) throw new Error(`${where} is not an event the churn-risk view handles`);
    return { ...doc, internal: { ...doc.internal, facts: evolveInputs(doc.internal.facts, { type: event.type, data: event.data } as never, where) } };
  },
  settle: (doc, collection) => (collection === CHURN_RISKS_COLLECTION ? settleRisk(doc as ChurnRiskDoc, rules) : doc),
});
