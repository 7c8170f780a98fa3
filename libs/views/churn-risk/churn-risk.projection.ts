import { BUSINESS_DAY_STARTED, type BusinessDayEvent, CALENDAR_EVENT_SHAPES } from '#calendar';
import { churnLookBackStart, churnRisk } from './churn-risk';
import { CUSTOMER_EVENT_SHAPES, isChurnedAsOf, repAssignedAt } from '#customer';
import { worklistItems } from '../worklist/worklist';
import { type Doc, type DocRef, type DocSelection, type Projection, type Recorded, typedProjection } from '#read-store';
import type { ServiceRules } from '#shared-kernel';
import { evolveTelemetryMonth, monthDocId, type SpendMonthDoc, spendSeries, TELEMETRY_EVENT_SHAPES, TELEMETRY_EVENT_TYPES, type TelemetryEvent, type TelemetryRecorded, type UsageMonthDoc, usageSeries } from '#telemetry';
import { CHURN_CUSTOMER_EVENT_TYPES, type ChurnCustomerEvent, evolveInputs, pruneInputs } from './churn-inputs';
import {
  CALENDAR_DOC_ID,
  CHURN_ASSIGNMENTS_COLLECTION,
  CHURN_CALENDAR_COLLECTION,
  CHURN_RISK_PROJECTION,
  CHURN_RISK_READ_MODEL,
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
const isUsage = (type: string): boolean => type === 'DailyUsageReported' || type === 'DailyUsageCorrected';

type ChurnDocs = ChurnRiskDoc | CalendarDoc | AssignmentDoc;
/** The events the churn-risk view reads: a customer's facts, its telemetry, the business day. */
type ChurnEvent = ChurnCustomerEvent | TelemetryEvent | BusinessDayEvent;
const SHAPES = { ...CUSTOMER_EVENT_SHAPES, ...TELEMETRY_EVENT_SHAPES, ...CALENDAR_EVENT_SHAPES };
const isTelemetry = (event: Recorded<ChurnEvent>): event is TelemetryRecorded => (TELEMETRY_TYPES as readonly string[]).includes(event.type);

const CALENDAR_REF: DocRef = { collection: CHURN_CALENDAR_COLLECTION, id: CALENDAR_DOC_ID };
const EVERY_RISK: DocSelection = { collection: CHURN_RISKS_COLLECTION, where: {} };

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
const withTelemetry = (doc: ChurnInternal, id: string, day: string | null, event: TelemetryRecorded, rules: ServiceRules): ChurnInternal => {
  const reported = event.data.day;
  // A day the look-back can no longer reach changes no score, today or later.
  if (day !== null && reported < churnLookBackStart(day, rules)) return doc;
  const usage = isUsage(event.type);
  const months = (usage ? doc.usage : doc.spend) as readonly (UsageMonthDoc | SpendMonthDoc)[];
  const month = reported.slice(0, 7);
  const monthId = monthDocId(id, month);
  // Months are kept in order: the month is replaced where it is, or a new one goes in before the first later one.
  const at = months.findIndex((kept) => kept.month >= month);
  const current = at >= 0 && months[at]!.id === monthId ? months[at]! : null;
  const next = evolveTelemetryMonth(current, event, monthId);
  const updated = at < 0 ? [...months, next] : [...months.slice(0, at), next, ...months.slice(current ? at + 1 : at)];
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
export const churnRiskProjection = (rules: ServiceRules): Projection<ChurnDocs> => typedProjection<ChurnDocs, ChurnEvent>(SHAPES, {
  name: CHURN_RISK_PROJECTION,
  version: CHURN_RISK_READ_MODEL.version,
  description: 'Churn score, level, reasons and worklist items per customer for the current business day, by rep, level and score',
  eventTypes: [...CHURN_CUSTOMER_EVENT_TYPES, ...TELEMETRY_TYPES, BUSINESS_DAY_STARTED],
  collections: [
    {
      name: CHURN_RISKS_COLLECTION,
      publishedAs: CHURN_RISK_PUBLISHED_NAME,
      // Every customer's document holds these from its first event (a rep only once one is assigned): a page and its
      // count read the values unchecked.
      fieldTypes: { listed: 'boolean', score: 'number', level: 'string', onWorklist: 'boolean' },
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
    const id = event.data.customerId;
    const refs: DocRef[] = [{ collection: CHURN_RISKS_COLLECTION, id }];
    if (event.type === 'CustomerSigned' || event.type === 'ServiceRepAssigned') refs.push({ collection: CHURN_ASSIGNMENTS_COLLECTION, id: `${id}:${event.data.serviceRepId}` });
    return refs;
  },
  reads: (event) => (event.type === BUSINESS_DAY_STARTED ? [] : [CALENDAR_REF]),
  evolve: (current, event, ref, context) => {
    const where = `${event.type} at position ${event.position}`;
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      if (ref.collection === CHURN_CALENDAR_COLLECTION) {
        const calendar = current as CalendarDoc | null;
        return { id: CALENDAR_DOC_ID, day: calendar !== null && calendar.day > day ? calendar.day : day };
      }
      const doc = current as ChurnRiskDoc;
      return doc.day !== null && doc.day > day ? doc : { ...doc, day };
    }
    if (ref.collection === CHURN_ASSIGNMENTS_COLLECTION) {
      const customerId = event.data.customerId;
      return { id: ref.id, customerId, repId: ref.id.slice(customerId.length + 1) };
    }
    const today = context.get<CalendarDoc & Doc>(CHURN_CALENDAR_COLLECTION, CALENDAR_DOC_ID)?.day ?? null;
    // What the document shows is recomputed from its inputs when the batch settles.
    const doc = (current as ChurnRiskDoc | null) ?? emptyRisk(ref.id, today);
    if (isTelemetry(event)) return { ...doc, internal: withTelemetry(doc.internal, doc.id, doc.day, event, rules) };
    return { ...doc, internal: { ...doc.internal, facts: evolveInputs(doc.internal.facts, event, where) } };
  },
  settle: (doc, collection) => (collection === CHURN_RISKS_COLLECTION ? settleRisk(doc as ChurnRiskDoc, rules) : doc),
});
