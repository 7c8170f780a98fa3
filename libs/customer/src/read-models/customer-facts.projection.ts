import { failOn, type Projection, type Recorded, typedProjection } from '#read-store';
import { CUSTOMER_EVENT_SHAPES } from '../domain/customer.event-shapes';
import type { CustomerEvent, CustomerEventType } from '../domain/customer.events';
import {
  CUSTOMER_DIRECTORY_COLLECTION,
  CUSTOMER_DIRECTORY_PUBLISHED_NAME,
  CUSTOMER_FACTS_PROJECTION,
  CUSTOMER_FACTS_READ_MODEL,
  CUSTOMERS_COLLECTION,
  type CustomerDirectoryDoc,
  type CustomerFactsDoc,
  DIRECTORY_BY_NAME,
  DIRECTORY_BY_SALES_REP,
  DIRECTORY_BY_SERVICE_REP,
  DIRECTORY_BY_TERM_END,
  NAME_KEY_SEPARATOR,
  nameSearchKey,
  openWorkOf,
  type TermFact,
  type VisitFact,
} from './customer-facts.doc';

const EVENT_TYPES = [
  ...['CustomerSigned', 'ServiceRepAssigned', 'CustomerGraded', 'KeyAccountFlagChanged', 'VisitRecorded', 'FollowUpScheduled'] as const,
  ...['FollowUpCompleted', 'IssueRaised', 'IssueResolved', 'IssueResolutionCommunicated', 'ComplaintFiled', 'ComplaintResolved'] as const,
  ...['BuyerIntroduced', 'RenewalReminderSent', 'RenewalCollected', 'CustomerChurned'] as const,
] as const satisfies readonly CustomerEventType[];
type HandledType = (typeof EVENT_TYPES)[number];

/** A customer event this view reads, its data checked against the domain's type. */
export type CustomerFactsEvent = Recorded<Extract<CustomerEvent, { readonly type: HandledType }>>;
type CustomerFactsDomainEvent = Extract<CustomerEvent, { readonly type: HandledType }>;

/** Replaces the one list item whose key matches; an unknown key means the stream and this view disagree. */
const updateItem = <T>(event: CustomerFactsEvent, items: readonly T[], matches: (item: T) => boolean, what: string, change: (item: T) => T): T[] => {
  const index = items.findIndex(matches);
  if (index < 0) failOn(event, what, 'known to this customer');
  return items.map((item, i) => (i === index ? change(item) : item));
};

const signed = ({ data: d }: Extract<CustomerFactsEvent, { type: 'CustomerSigned' }>): CustomerFactsDoc => ({
  id: d.customerId,
  companyName: d.companyName,
  industry: d.industry,
  product: d.product,
  grade: d.grade,
  keyAccount: d.keyAccount,
  contractAmountFen: d.contractAmountFen,
  signedOn: d.signedOn,
  salesRepId: d.salesRepId,
  serviceRepId: d.serviceRepId,
  assignments: [{ repId: d.serviceRepId, from: d.signedOn }],
  terms: [{ start: d.term.start, end: d.term.end }],
  status: 'active',
  churns: [],
  visits: [],
  reminders: [],
  renewals: [],
  issues: [],
  complaints: [],
  followUps: [],
  buyerIntroductions: [],
});

const visit = ({ data: d }: Extract<CustomerFactsEvent, { type: 'VisitRecorded' }>): VisitFact => ({
  visitId: d.visitId,
  on: d.visitedOn,
  repId: d.repId,
  serviceRepId: d.serviceRepId,
  level: d.level,
  channel: d.channel,
  purpose: d.purpose,
  reached: d.reached,
  ...(d.contactRole !== undefined ? { contactRole: d.contactRole } : {}),
  ...(d.satisfaction !== undefined ? { satisfaction: d.satisfaction } : {}),
  ...(d.effect !== undefined ? { effect: { calls: d.effect.calls, inquiries: d.effect.inquiries, deals: d.effect.deals } } : {}),
  ...(d.feedback !== undefined ? { feedback: d.feedback } : {}),
});

/** The customer after one of its events (every event but the signing needs the signed customer). */
const evolveFacts = (doc: CustomerFactsDoc, event: Exclude<CustomerFactsEvent, { type: 'CustomerSigned' }>): CustomerFactsDoc => {
  switch (event.type) {
    case 'ServiceRepAssigned': {
      const repId = event.data.serviceRepId;
      return { ...doc, serviceRepId: repId, assignments: [...doc.assignments, { repId, from: event.data.assignedOn }] };
    }
    case 'CustomerGraded':
      return { ...doc, grade: event.data.grade };
    case 'KeyAccountFlagChanged':
      return { ...doc, keyAccount: event.data.keyAccount };
    case 'VisitRecorded':
      return { ...doc, visits: [...doc.visits, visit(event)] };
    case 'FollowUpScheduled': {
      const { followUpId, dueOn, repId } = event.data;
      return { ...doc, followUps: [...doc.followUps, { followUpId, dueOn, repId }] };
    }
    case 'FollowUpCompleted': {
      const { followUpId, completedOn } = event.data;
      return { ...doc, followUps: updateItem(event, doc.followUps, (x) => x.followUpId === followUpId, 'followUpId', (x) => ({ ...x, completedOn })) };
    }
    case 'IssueRaised': {
      const d = event.data;
      const issue = { issueId: d.issueId, category: d.category, description: d.description, ...(d.visitId !== undefined ? { visitId: d.visitId } : {}), raisedOn: d.raisedOn, raisedBy: d.raisedBy };
      return { ...doc, issues: [...doc.issues, issue] };
    }
    case 'IssueResolved': {
      const { issueId, resolvedOn, resolvedBy } = event.data;
      return { ...doc, issues: updateItem(event, doc.issues, (x) => x.issueId === issueId, 'issueId', (x) => ({ ...x, resolvedOn, resolvedBy })) };
    }
    case 'IssueResolutionCommunicated': {
      const { issueId, communicatedOn, communicatedBy } = event.data;
      return { ...doc, issues: updateItem(event, doc.issues, (x) => x.issueId === issueId, 'issueId', (x) => ({ ...x, communicatedOn, communicatedBy })) };
    }
    case 'ComplaintFiled': {
      const d = event.data;
      const complaint = { complaintId: d.complaintId, category: d.category, filedOn: d.filedOn, ...(d.againstRepId !== undefined ? { againstRepId: d.againstRepId } : {}) };
      return { ...doc, complaints: [...doc.complaints, complaint] };
    }
    case 'ComplaintResolved': {
      const { complaintId, resolvedOn } = event.data;
      return { ...doc, complaints: updateItem(event, doc.complaints, (x) => x.complaintId === complaintId, 'complaintId', (x) => ({ ...x, resolvedOn })) };
    }
    case 'BuyerIntroduced':
      return { ...doc, buyerIntroductions: [...doc.buyerIntroductions, { on: event.data.introducedOn, by: event.data.introducedBy }] };
    case 'RenewalReminderSent': {
      const d = event.data;
      const reminder = { reminderId: d.reminderId, on: d.sentOn, termEnd: d.termEnd, daysBeforeTermEnd: d.daysBeforeTermEnd, by: d.sentBy, channel: d.channel };
      return { ...doc, reminders: [...doc.reminders, reminder] };
    }
    case 'RenewalCollected': {
      const d = event.data;
      const previousTerm = { start: d.previousTerm.start, end: d.previousTerm.end };
      const newTerm = { start: d.newTerm.start, end: d.newTerm.end };
      const renewal = {
        on: d.collectedOn,
        amountFen: d.amountFen,
        paymentReference: d.paymentReference,
        previousTerm,
        newTerm,
        collectedBy: d.collectedBy,
        serviceRepId: d.serviceRepId,
        salesRepId: d.salesRepId,
        daysAfterTermEnd: d.daysAfterTermEnd,
        winBack: d.winBack,
      };
      // The decider renews the current (last) term; any other previous term means this view and the stream disagree.
      const last = doc.terms[doc.terms.length - 1];
      if (!last || last.start !== previousTerm.start || last.end !== previousTerm.end) return failOn(event, 'previousTerm', 'the current term');
      const terms: TermFact[] = [...doc.terms.slice(0, -1), { ...last, renewedOn: d.collectedOn }, newTerm];
      return { ...doc, terms, status: 'active', renewals: [...doc.renewals, renewal] };
    }
    case 'CustomerChurned':
      return { ...doc, status: 'churned', churns: [...doc.churns, { on: event.data.churnedOn, kind: event.data.kind, termEnd: event.data.termEnd }] };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/** The customer's facts after one of its events: what `customer_facts` keeps, and other views keep beside their own figures. */
export const evolveCustomerFacts = (current: CustomerFactsDoc | null, event: CustomerFactsEvent): CustomerFactsDoc => {
  if (event.type === 'CustomerSigned') {
    if (current !== null) failOn(event, 'customerId', 'a customer not yet signed');
    return signed(event);
  }
  if (current === null) return failOn(event, 'customerId', 'a signed customer');
  return evolveFacts(current, event);
};

/** A customer's row in the directory: what a list shows and is filtered and searched by, from the customer's facts. */
export const directoryRowOf = (doc: CustomerFactsDoc): CustomerDirectoryDoc => {
  const term = doc.terms[doc.terms.length - 1]!;
  const open = openWorkOf(doc);
  return {
    id: doc.id,
    companyName: doc.companyName,
    nameKey: `${nameSearchKey(doc.companyName)}${NAME_KEY_SEPARATOR}${doc.id}`,
    industry: doc.industry,
    product: doc.product,
    grade: doc.grade,
    keyAccount: doc.keyAccount,
    status: doc.status,
    serviceRepId: doc.serviceRepId,
    salesRepId: doc.salesRepId,
    termStart: term.start,
    termEnd: term.end,
    openIssues: open.issues.length,
    openComplaints: open.complaints.length,
    nextFollowUpOn: open.nextFollowUp?.dueOn ?? null,
  };
};

type CustomerFactsDocs = CustomerFactsDoc | CustomerDirectoryDoc;

export const customerFactsProjection: Projection<CustomerFactsDocs> = typedProjection<CustomerFactsDocs, CustomerFactsDomainEvent>(CUSTOMER_EVENT_SHAPES, {
  name: CUSTOMER_FACTS_PROJECTION,
  version: CUSTOMER_FACTS_READ_MODEL.version,
  description: 'Dated facts per customer: assignment, terms, visits with feedback, reminders, renewals, issues, complaints, follow-ups; and the customer directory',
  eventTypes: EVENT_TYPES,
  collections: [
    {
      name: CUSTOMERS_COLLECTION,
      indexes: [
        { name: 'by_service_rep', fields: [['serviceRepId', 1]] },
        { name: 'by_sales_rep', fields: [['salesRepId', 1]] },
        { name: 'by_product', fields: [['product', 1]] },
        { name: 'by_status', fields: [['status', 1]] },
      ],
    },
    {
      name: CUSTOMER_DIRECTORY_COLLECTION,
      publishedAs: CUSTOMER_DIRECTORY_PUBLISHED_NAME,
      derived: true,
      fieldTypes: { nameKey: 'string', serviceRepId: 'string', salesRepId: 'string', termEnd: 'string', grade: 'string', product: 'string', status: 'string', keyAccount: 'boolean' },
      indexes: [
        { name: DIRECTORY_BY_NAME, fields: [['nameKey', 1]] },
        { name: DIRECTORY_BY_SERVICE_REP, fields: [['serviceRepId', 1], ['nameKey', 1]] },
        { name: DIRECTORY_BY_SALES_REP, fields: [['salesRepId', 1], ['nameKey', 1]] },
        { name: DIRECTORY_BY_TERM_END, fields: [['termEnd', 1], ['nameKey', 1]] },
      ],
    },
  ],
  touches: (event) => [{ collection: CUSTOMERS_COLLECTION, id: event.data.customerId }],
  evolve: (current, event) => evolveCustomerFacts(current as CustomerFactsDoc | null, event),
  derive: (doc, collection) => (collection === CUSTOMERS_COLLECTION ? [{ collection: CUSTOMER_DIRECTORY_COLLECTION, doc: directoryRowOf(doc as CustomerFactsDoc) }] : []),
});
