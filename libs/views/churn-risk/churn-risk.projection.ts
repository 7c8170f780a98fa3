import { BUSINESS_DAY_STARTED, type BusinessDayEvent } from '../../calendar/src/domain/business-day';
import { churnRisk } from '../../customer/src/read-models/churn-risk';
import { isChurnedAsOf, repAssignedAt } from '../../customer/src/read-models/customer-timeline';
import type { RecordedEvent } from '../../event-store/src/event-store.port';
import type { DocRef, DocSelection, Projection, ProjectionContext } from '../../read-store/src/projection';
import type { Doc } from '../../read-store/src/read-store.port';
import type { ServiceRules } from '../../shared-kernel/src/service-rules';
import type { TelemetryEvent } from '../../telemetry/src/domain/telemetry';
import { spendSeries, usageSeries } from '../../telemetry/src/read-models/daily-series';
import { telemetryDailyProjection } from '../../telemetry/src/read-models/telemetry-daily.projection';
import { monthDocId, SPEND_MONTHS_COLLECTION, USAGE_MONTHS_COLLECTION, type SpendMonthDoc, type UsageMonthDoc } from '../../telemetry/src/read-models/telemetry-months.doc';
import { CHURN_CUSTOMER_EVENT_TYPES, churnLookBackStart, evolveInputs, isChurnCustomerEvent, pruneInputs } from './churn-inputs';
import {
  CALENDAR_DOC_ID,
  CHURN_ASSIGNMENTS_COLLECTION,
  CHURN_CALENDAR_COLLECTION,
  CHURN_INPUTS_COLLECTION,
  CHURN_RISK_PROJECTION,
  CHURN_RISK_PUBLISHED_NAME,
  CHURN_RISKS_COLLECTION,
  type AssignmentDoc,
  type CalendarDoc,
  type ChurnInputsDoc,
  type ChurnRiskDoc,
} from './churn-risk.doc';

const TELEMETRY_TYPES = ['DailyUsageReported', 'DailyUsageCorrected', 'DailySpendReported', 'DailySpendCorrected'] as const satisfies readonly TelemetryEvent['type'][];
const isTelemetry = (event: { readonly type: string }): boolean => (TELEMETRY_TYPES as readonly string[]).includes(event.type);
const isUsage = (type: string): boolean => type === 'DailyUsageReported' || type === 'DailyUsageCorrected';

type ChurnDocs = ChurnRiskDoc | ChurnInputsDoc | CalendarDoc | AssignmentDoc;

const CALENDAR_REF: DocRef = { collection: CHURN_CALENDAR_COLLECTION, id: CALENDAR_DOC_ID };
const EVERY_RISK: DocSelection = { collection: CHURN_RISKS_COLLECTION, where: {} };
const EVERY_INPUT: DocSelection = { collection: CHURN_INPUTS_COLLECTION, where: {} };
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
});

/** A telemetry report replaces its day in the customer's month document, kept with the inputs. */
const withTelemetry = (doc: ChurnInputsDoc, event: RecordedEvent, rules: ServiceRules): ChurnInputsDoc => {
  const reported = event.data.day;
  if (typeof reported !== 'string') throw new Error(`${event.type} at position ${event.position}: day is not an ISO day`);
  // A day the look-back can no longer reach changes no score, today or later.
  if (doc.day !== null && reported < churnLookBackStart(doc.day, rules)) return doc;
  const usage = isUsage(event.type);
  const collection = usage ? USAGE_MONTHS_COLLECTION : SPEND_MONTHS_COLLECTION;
  const months = (usage ? doc.usage : doc.spend) as readonly (UsageMonthDoc | SpendMonthDoc)[];
  const id = monthDocId(doc.id, reported.slice(0, 7));
  const current = months.find((month) => month.id === id) ?? null;
  const next = telemetryDailyProjection.evolve(current, event, { collection, id }, NO_CONTEXT);
  const updated = [...months.filter((month) => month.id !== id), next].sort((a, b) => (a.month < b.month ? -1 : 1));
  return usage ? { ...doc, usage: updated as UsageMonthDoc[] } : { ...doc, spend: updated as SpendMonthDoc[] };
};

/** The inputs pruned to what their day and every later day can still read. */
const settleInputs = (doc: ChurnInputsDoc, rules: ServiceRules): ChurnInputsDoc => {
  if (doc.day === null) return doc;
  const from = churnLookBackStart(doc.day, rules).slice(0, 7);
  return {
    ...doc,
    facts: doc.facts === null ? null : pruneInputs(doc.facts, doc.day, rules),
    usage: doc.usage.filter((month) => month.month >= from),
    spend: doc.spend.filter((month) => month.month >= from),
  };
};

/** What the risk document shows on its day, from the customer's inputs as the batch left them. */
const settleRisk = (doc: ChurnRiskDoc, inputs: ChurnInputsDoc | null, rules: ServiceRules): ChurnRiskDoc => {
  const { day } = doc;
  const facts = inputs?.facts ?? null;
  if (day === null || facts === null) return doc;
  const repId = repAssignedAt(facts, day);
  const listed = facts.signedOn <= day && repId !== undefined && !isChurnedAsOf(facts, day);
  const risk = listed ? churnRisk(facts, usageSeries(inputs!.usage), spendSeries(inputs!.spend), rules, day) : { score: 0, level: 'low' as const, reasons: [] };
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
  };
};

const advanced = <D extends { readonly day: string | null }>(doc: D, day: string): D => (doc.day !== null && doc.day > day ? doc : { ...doc, day });

/**
 * The churn-risk read model: one small document per customer with its score, level and reasons for the current
 * business day, indexed by rep, level and score, so a page of the list is one indexed read; and, apart, the facts
 * and telemetry each score is computed from. Facts and telemetry arrive as events; a `BusinessDayStarted` moves
 * every customer to the new day. Scores are those of the query-time computation (`churnRisk`) on the same day.
 */
export const churnRiskProjection = (rules: ServiceRules): Projection<ChurnDocs> => ({
  name: CHURN_RISK_PROJECTION,
  version: 1,
  description: 'Churn score, level and reasons per customer for the current business day, by rep, level and score',
  eventTypes: [...CHURN_CUSTOMER_EVENT_TYPES, ...TELEMETRY_TYPES, BUSINESS_DAY_STARTED],
  collections: [
    {
      name: CHURN_RISKS_COLLECTION,
      publishedAs: CHURN_RISK_PUBLISHED_NAME,
      indexes: [
        { name: 'by_score', fields: [['listed', 1], ['score', -1], ['id', 1]] },
        { name: 'by_rep_score', fields: [['serviceRepId', 1], ['listed', 1], ['score', -1], ['id', 1]] },
        { name: 'by_level_score', fields: [['level', 1], ['listed', 1], ['score', -1], ['id', 1]] },
      ],
    },
    { name: CHURN_INPUTS_COLLECTION, indexes: [] },
    { name: CHURN_ASSIGNMENTS_COLLECTION, indexes: [{ name: 'by_rep', fields: [['repId', 1], ['customerId', 1]] }] },
    { name: CHURN_CALENDAR_COLLECTION, indexes: [] },
  ],
  touches: (event) => {
    if (event.type === BUSINESS_DAY_STARTED) return [CALENDAR_REF, EVERY_INPUT, EVERY_RISK];
    if (!isChurnCustomerEvent(event) && !isTelemetry(event)) return [];
    const id = customerIdOf(event);
    const refs: DocRef[] = [
      { collection: CHURN_INPUTS_COLLECTION, id },
      { collection: CHURN_RISKS_COLLECTION, id },
    ];
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
      return advanced(current as ChurnRiskDoc | ChurnInputsDoc, day);
    }
    if (ref.collection === CHURN_ASSIGNMENTS_COLLECTION) {
      const customerId = customerIdOf(event);
      return { id: ref.id, customerId, repId: ref.id.slice(customerId.length + 1) };
    }
    const today = context.get<CalendarDoc & Doc>(CHURN_CALENDAR_COLLECTION, CALENDAR_DOC_ID)?.day ?? null;
    // The risk document is recomputed from the inputs when the batch settles.
    if (ref.collection === CHURN_RISKS_COLLECTION) return (current as ChurnRiskDoc | null) ?? emptyRisk(ref.id, today);
    const inputs = (current as ChurnInputsDoc | null) ?? { id: ref.id, day: today, facts: null, usage: [], spend: [] };
    if (isTelemetry(event)) return withTelemetry(inputs, event, rules);
    if (!isChurnCustomerEvent(event)) throw new Error(`${where} is not an event the churn-risk view handles`);
    return { ...inputs, facts: evolveInputs(inputs.facts, { type: event.type, data: event.data } as never, where) };
  },
  settle: (doc, collection, context) => {
    if (collection === CHURN_INPUTS_COLLECTION) return settleInputs(doc as ChurnInputsDoc, rules);
    if (collection === CHURN_RISKS_COLLECTION) return settleRisk(doc as ChurnRiskDoc, context.get<ChurnInputsDoc>(CHURN_INPUTS_COLLECTION, doc.id), rules);
    return doc;
  },
});
