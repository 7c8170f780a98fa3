import { BUSINESS_DAY_STARTED, type BusinessDayEvent, CALENDAR_EVENT_SHAPES } from '#calendar';
import { CUSTOMER_EVENT_SHAPES, type CustomerEvent, type CustomerEventType, type CustomerFactsDoc, evolveCustomerFacts, type VisitFact, windowStart } from '#customer';
import { renewalPipelineEntries } from './renewal-pipeline';
import { slimVisit } from '../shared/slim-visit';
import { type DerivedDoc, type Doc, type DocRef, type Projection, typedProjection } from '#read-store';
import { addDays, type ServiceRules } from '#shared-kernel';
import {
  AT_FIRST_DAY,
  ENTRIES_BY_REP_TERM_END,
  ENTRIES_BY_REP_WINDOW_STATUS,
  ENTRIES_BY_WINDOW_STATUS,
  entryId,
  NEVER,
  PIPELINE_CALENDAR_COLLECTION,
  PIPELINE_CALENDAR_DOC_ID,
  PIPELINE_CUSTOMERS_COLLECTION,
  PIPELINE_ENTRIES_COLLECTION,
  RENEWAL_PIPELINE_PROJECTION,
  RENEWAL_PIPELINE_READ_MODEL,
  RENEWAL_PIPELINE_PUBLISHED_NAME,
  type PipelineCalendarDoc,
  type PipelineCustomerDoc,
  type PipelineEntryDoc,
} from './renewal-pipeline.doc';

/** The customer events a pipeline entry depends on: the assignment, terms, contacts, reminders, renewals and churns. */
export const PIPELINE_CUSTOMER_EVENT_TYPES = [
  'CustomerSigned',
  'ServiceRepAssigned',
  'VisitRecorded',
  'RenewalReminderSent',
  'RenewalCollected',
  'CustomerChurned',
] as const satisfies readonly CustomerEventType[];

type PipelineEvent = Extract<CustomerEvent, { readonly type: (typeof PIPELINE_CUSTOMER_EVENT_TYPES)[number] }> | BusinessDayEvent;
const SHAPES = { ...CUSTOMER_EVENT_SHAPES, ...CALENDAR_EVENT_SHAPES };

type PipelineDocs = PipelineCustomerDoc | PipelineEntryDoc | PipelineCalendarDoc;

const CALENDAR_REF: DocRef = { collection: PIPELINE_CALENDAR_COLLECTION, id: PIPELINE_CALENDAR_DOC_ID };

/** The last day of the pipeline's horizon ahead of `day` (its largest window). */
const horizon = (rules: ServiceRules): number => Math.max(0, ...rules.pipelineWindows);

/**
 * The facts that `day` and every later day can still read: contacts inside the contact window (and the latest one
 * before it, the last contact), reminders of terms not yet past the grace. Terms, assignments, renewals and churns
 * are few and kept whole (which terms are known on a day depends on the first one).
 */
export const prunePipelineFacts = (facts: CustomerFactsDoc, day: string, rules: ServiceRules): CustomerFactsDoc => {
  const from = windowStart(day, rules.expiring.windowDays);
  const contacts = facts.visits.filter((visit) => visit.reached);
  const before = contacts.filter((visit) => visit.on < from).reduce<VisitFact | undefined>((last, visit) => (last === undefined || visit.on > last.on ? visit : last), undefined);
  const visits = [...(before ? [before] : []), ...contacts.filter((visit) => visit.on >= from)].map(slimVisit);
  const oldestTermEnd = addDays(day, -rules.renewalGraceDays);
  return {
    ...facts,
    visits,
    reminders: facts.reminders.filter((reminder) => reminder.termEnd >= oldestTermEnd),
    issues: [],
    complaints: [],
    followUps: [],
    buyerIntroductions: [],
  };
};

/**
 * The first business day after `day` on which an entry can change with no new event of the customer: tomorrow
 * while a term is listed (its days to end move daily); otherwise the earliest day a term comes within the horizon,
 * the customer is assigned, or a renewal or churn takes effect.
 */
export const nextChangeOn = (facts: CustomerFactsDoc, day: string, listed: boolean, rules: ServiceRules): string => {
  if (listed) return addDays(day, 1);
  const ahead = horizon(rules);
  const candidates = [
    ...facts.terms.map((term) => addDays(term.end, -ahead)),
    ...facts.terms.flatMap((term) => (term.renewedOn !== undefined ? [term.renewedOn] : [])),
    ...facts.assignments.map((assignment) => assignment.from),
    ...facts.churns.map((churn) => churn.on),
  ].filter((candidate) => candidate > day);
  return candidates.reduce((first, candidate) => (candidate < first ? candidate : first), NEVER);
};

const settleCustomer = (doc: PipelineCustomerDoc, rules: ServiceRules): PipelineCustomerDoc => {
  if (doc.day === null) return { ...doc, nextChangeOn: AT_FIRST_DAY };
  const facts = prunePipelineFacts(doc.internal.facts, doc.day, rules);
  const listed = renewalPipelineEntries(facts, rules, doc.day).length > 0;
  return { ...doc, nextChangeOn: nextChangeOn(facts, doc.day, listed, rules), internal: { facts } };
};

/** One entry document per term of the customer: what the pipeline shows for it on the day, or that it is not shown. */
const entriesOf = (doc: PipelineCustomerDoc, rules: ServiceRules): DerivedDoc<PipelineDocs>[] => {
  const { facts } = doc.internal;
  const shown = doc.day === null ? [] : renewalPipelineEntries(facts, rules, doc.day);
  const byEnd = new Map(shown.map((entry) => [entry.termEnd, entry]));
  return facts.terms.map((term) => {
    const entry = byEnd.get(term.end);
    const id = entryId(doc.id, term.end);
    const derived: PipelineEntryDoc = entry
      ? { id, day: doc.day!, listed: true, ...entry, reminderDue: entry.flags.includes('reminder_due'), underContacted: entry.flags.includes('under_contacted') }
      : { id, customerId: doc.id, termEnd: term.end, listed: false };
    return { collection: PIPELINE_ENTRIES_COLLECTION, doc: derived };
  });
};

/**
 * The renewal-pipeline read model: per contract term, what the pipeline shows on the current business day (days
 * to end, window, reminders, contacts in the last 30 days, flags, status), indexed by rep, window and term end, so
 * a page and each summary count are index reads. Entries are derived from a per-customer document of pruned facts;
 * a `BusinessDayStarted` moves only the customers whose entries that day can change (those listed the day
 * before, and those whose next change falls on it).
 */
export const renewalPipelineProjection = (rules: ServiceRules): Projection<PipelineDocs> => typedProjection<PipelineDocs, PipelineEvent>(SHAPES, {
  name: RENEWAL_PIPELINE_PROJECTION,
  version: RENEWAL_PIPELINE_READ_MODEL.version,
  description: 'Renewal pipeline entries per contract term for the current business day, by rep, window, status and term end',
  eventTypes: [...PIPELINE_CUSTOMER_EVENT_TYPES, BUSINESS_DAY_STARTED],
  collections: [
    { name: PIPELINE_CUSTOMERS_COLLECTION, indexes: [{ name: 'by_next_change', fields: [['nextChangeOn', 1]] }] },
    {
      name: PIPELINE_ENTRIES_COLLECTION,
      derived: true,
      publishedAs: RENEWAL_PIPELINE_PUBLISHED_NAME,
      // Listed or not, every entry names its customer and term end: filters on them read the values unchecked.
      fieldTypes: { listed: 'boolean', termEnd: 'string', customerId: 'string' },
      indexes: [
        { name: 'by_term_end', fields: [['listed', 1], ['termEnd', 1], ['customerId', 1]] },
        { name: ENTRIES_BY_REP_TERM_END, fields: [['serviceRepId', 1], ['listed', 1], ['termEnd', 1], ['customerId', 1]] },
        { name: ENTRIES_BY_WINDOW_STATUS, fields: [['listed', 1], ['window', 1], ['status', 1], ['reminderDue', 1], ['underContacted', 1]] },
        { name: ENTRIES_BY_REP_WINDOW_STATUS, fields: [['serviceRepId', 1], ['listed', 1], ['window', 1], ['status', 1], ['reminderDue', 1], ['underContacted', 1]] },
      ],
    },
    { name: PIPELINE_CALENDAR_COLLECTION, indexes: [] },
  ],
  touches: (event) => {
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      return [CALENDAR_REF, { collection: PIPELINE_CUSTOMERS_COLLECTION, where: { nextChangeOn: { $lte: day } } }];
    }
    return [{ collection: PIPELINE_CUSTOMERS_COLLECTION, id: event.data.customerId }];
  },
  reads: (event) => (event.type === BUSINESS_DAY_STARTED ? [] : [CALENDAR_REF]),
  evolve: (current, event, ref, context) => {
    if (event.type === BUSINESS_DAY_STARTED) {
      const { day } = event.data;
      if (ref.collection === PIPELINE_CALENDAR_COLLECTION) {
        const calendar = current as PipelineCalendarDoc | null;
        return { id: PIPELINE_CALENDAR_DOC_ID, day: calendar !== null && calendar.day > day ? calendar.day : day };
      }
      const doc = current as PipelineCustomerDoc;
      return doc.day !== null && doc.day > day ? doc : { ...doc, day };
    }
    const today = context.get<PipelineCalendarDoc & Doc>(PIPELINE_CALENDAR_COLLECTION, PIPELINE_CALENDAR_DOC_ID)?.day ?? null;
    const doc = current as PipelineCustomerDoc | null;
    const facts = evolveCustomerFacts(doc?.internal.facts ?? null, event);
    return { id: ref.id, day: today, nextChangeOn: doc?.nextChangeOn ?? AT_FIRST_DAY, internal: { facts } };
  },
  settle: (doc, collection) => (collection === PIPELINE_CUSTOMERS_COLLECTION ? settleCustomer(doc as PipelineCustomerDoc, rules) : doc),
  derive: (doc, collection) => (collection === PIPELINE_CUSTOMERS_COLLECTION ? entriesOf(doc as PipelineCustomerDoc, rules) : []),
});
