import type { RecordedEvent } from '#event-store';
import { type DocRef, ISO_DAY, type Projection } from '#read-store';
import {
  CHURN_KINDS,
  COMPLAINT_CATEGORIES,
  CONTACT_ROLES,
  GRADES,
  ISSUE_CATEGORIES,
  PRODUCTS,
  VISIT_CHANNELS,
  VISIT_LEVELS,
  VISIT_PURPOSES,
  type CustomerEventType,
} from '../domain/customer.events';
import { CUSTOMER_FACTS_PROJECTION, CUSTOMERS_COLLECTION, type CustomerFactsDoc, type TermFact, type VisitFact } from './customer-facts.doc';

const EVENT_TYPES = [
  ...['CustomerSigned', 'ServiceRepAssigned', 'CustomerGraded', 'KeyAccountFlagChanged', 'VisitRecorded', 'FollowUpScheduled'] as const,
  ...['FollowUpCompleted', 'IssueRaised', 'IssueResolved', 'IssueResolutionCommunicated', 'ComplaintFiled', 'ComplaintResolved'] as const,
  ...['BuyerIntroduced', 'RenewalReminderSent', 'RenewalCollected', 'CustomerChurned'] as const,
] as const satisfies readonly CustomerEventType[];
type HandledType = (typeof EVENT_TYPES)[number];
const isHandled = (type: string): type is HandledType => (EVENT_TYPES as readonly string[]).includes(type);

type Data = Readonly<Record<string, unknown>>;

/** Typed reads of event data that fail loudly, naming the event and its position. */
const reader = (event: RecordedEvent) => {
  const fail = (path: string, expected: string): never => {
    throw new Error(`${event.type} at position ${event.position}: ${path} is not ${expected}`);
  };
  const at = (data: Data, path: string) => {
    const field = path.slice(path.lastIndexOf('.') + 1);
    return {
      str: (): string => (typeof data[field] === 'string' && data[field] !== '' ? (data[field] as string) : fail(path, 'a non-empty string')),
      day: (): string => (typeof data[field] === 'string' && ISO_DAY.test(data[field] as string) ? (data[field] as string) : fail(path, 'an ISO day')),
      num: (): number => (typeof data[field] === 'number' && Number.isFinite(data[field]) ? (data[field] as number) : fail(path, 'a number')),
      bool: (): boolean => (typeof data[field] === 'boolean' ? (data[field] as boolean) : fail(path, 'a boolean')),
      oneOf: <T>(values: readonly T[]): T => (values.includes(data[field] as T) ? (data[field] as T) : fail(path, `one of ${values.join(', ')}`)),
      obj: (): Data => (data[field] !== null && typeof data[field] === 'object' ? (data[field] as Data) : fail(path, 'an object')),
      present: (): boolean => data[field] !== undefined,
    };
  };
  const field = (path: string) => {
    const parts = path.split('.');
    let data: Data = event.data;
    for (let i = 0; i < parts.length - 1; i += 1) data = at(data, parts.slice(0, i + 1).join('.')).obj();
    return at(data, path);
  };
  return { field, fail };
};
type Reader = ReturnType<typeof reader>;

const term = (r: Reader, path: string): { start: string; end: string } => ({
  start: r.field(`${path}.start`).day(),
  end: r.field(`${path}.end`).day(),
});

/** Replaces the one list item whose key matches; an unknown key means the stream and this view disagree. */
const updateItem = <T>(r: Reader, items: readonly T[], matches: (item: T) => boolean, what: string, change: (item: T) => T): T[] => {
  const index = items.findIndex(matches);
  if (index < 0) r.fail(what, 'known to this customer');
  return items.map((item, i) => (i === index ? change(item) : item));
};

const signed = (r: Reader): CustomerFactsDoc => {
  const f = r.field;
  const signedOn = f('signedOn').day();
  const serviceRepId = f('serviceRepId').str();
  return {
    id: f('customerId').str(),
    companyName: f('companyName').str(),
    industry: f('industry').str(),
    product: f('product').oneOf(PRODUCTS),
    grade: f('grade').oneOf(GRADES),
    keyAccount: f('keyAccount').bool(),
    contractAmountFen: f('contractAmountFen').num(),
    signedOn,
    salesRepId: f('salesRepId').str(),
    serviceRepId,
    assignments: [{ repId: serviceRepId, from: signedOn }],
    terms: [term(r, 'term')],
    status: 'active',
    churns: [],
    visits: [],
    reminders: [],
    renewals: [],
    issues: [],
    complaints: [],
    followUps: [],
    buyerIntroductions: [],
  };
};

const visit = (r: Reader): VisitFact => {
  const f = r.field;
  const reached = f('reached').bool();
  return {
    visitId: f('visitId').str(),
    on: f('visitedOn').day(),
    repId: f('repId').str(),
    serviceRepId: f('serviceRepId').str(),
    level: f('level').oneOf(VISIT_LEVELS),
    channel: f('channel').oneOf(VISIT_CHANNELS),
    purpose: f('purpose').oneOf(VISIT_PURPOSES),
    reached,
    ...(f('contactRole').present() ? { contactRole: f('contactRole').oneOf(CONTACT_ROLES) } : {}),
    ...(f('satisfaction').present() ? { satisfaction: f('satisfaction').num() } : {}),
    ...(f('effect').present()
      ? { effect: { calls: f('effect.calls').num(), inquiries: f('effect.inquiries').num(), deals: f('effect.deals').num() } }
      : {}),
    ...(f('feedback').present() ? { feedback: f('feedback').str() } : {}),
  };
};

/** The customer after one of its events (every event but the signing needs the signed customer). */
const evolveFacts = (doc: CustomerFactsDoc, type: Exclude<HandledType, 'CustomerSigned'>, r: Reader): CustomerFactsDoc => {
  const f = r.field;
  switch (type) {
    case 'ServiceRepAssigned': {
      const repId = f('serviceRepId').str();
      return { ...doc, serviceRepId: repId, assignments: [...doc.assignments, { repId, from: f('assignedOn').day() }] };
    }
    case 'CustomerGraded':
      return { ...doc, grade: f('grade').oneOf(GRADES) };
    case 'KeyAccountFlagChanged':
      return { ...doc, keyAccount: f('keyAccount').bool() };
    case 'VisitRecorded':
      return { ...doc, visits: [...doc.visits, visit(r)] };
    case 'FollowUpScheduled':
      return { ...doc, followUps: [...doc.followUps, { followUpId: f('followUpId').str(), dueOn: f('dueOn').day(), repId: f('repId').str() }] };
    case 'FollowUpCompleted': {
      const id = f('followUpId').str();
      const completedOn = f('completedOn').day();
      return { ...doc, followUps: updateItem(r, doc.followUps, (x) => x.followUpId === id, 'followUpId', (x) => ({ ...x, completedOn })) };
    }
    case 'IssueRaised': {
      const issue = {
        issueId: f('issueId').str(),
        category: f('category').oneOf(ISSUE_CATEGORIES),
        description: f('description').str(),
        ...(f('visitId').present() ? { visitId: f('visitId').str() } : {}),
        raisedOn: f('raisedOn').day(),
        raisedBy: f('raisedBy').str(),
      };
      return { ...doc, issues: [...doc.issues, issue] };
    }
    case 'IssueResolved': {
      const id = f('issueId').str();
      const resolved = { resolvedOn: f('resolvedOn').day(), resolvedBy: f('resolvedBy').str() };
      return { ...doc, issues: updateItem(r, doc.issues, (x) => x.issueId === id, 'issueId', (x) => ({ ...x, ...resolved })) };
    }
    case 'IssueResolutionCommunicated': {
      const id = f('issueId').str();
      const told = { communicatedOn: f('communicatedOn').day(), communicatedBy: f('communicatedBy').str() };
      return { ...doc, issues: updateItem(r, doc.issues, (x) => x.issueId === id, 'issueId', (x) => ({ ...x, ...told })) };
    }
    case 'ComplaintFiled': {
      const complaint = {
        complaintId: f('complaintId').str(),
        category: f('category').oneOf(COMPLAINT_CATEGORIES),
        filedOn: f('filedOn').day(),
        ...(f('againstRepId').present() ? { againstRepId: f('againstRepId').str() } : {}),
      };
      return { ...doc, complaints: [...doc.complaints, complaint] };
    }
    case 'ComplaintResolved': {
      const id = f('complaintId').str();
      const resolvedOn = f('resolvedOn').day();
      return { ...doc, complaints: updateItem(r, doc.complaints, (x) => x.complaintId === id, 'complaintId', (x) => ({ ...x, resolvedOn })) };
    }
    case 'BuyerIntroduced':
      return { ...doc, buyerIntroductions: [...doc.buyerIntroductions, { on: f('introducedOn').day(), by: f('introducedBy').str() }] };
    case 'RenewalReminderSent': {
      const reminder = {
        reminderId: f('reminderId').str(),
        on: f('sentOn').day(),
        termEnd: f('termEnd').day(),
        daysBeforeTermEnd: f('daysBeforeTermEnd').num(),
        by: f('sentBy').str(),
        channel: f('channel').oneOf(VISIT_CHANNELS),
      };
      return { ...doc, reminders: [...doc.reminders, reminder] };
    }
    case 'RenewalCollected': {
      const previousTerm = term(r, 'previousTerm');
      const newTerm = term(r, 'newTerm');
      const on = f('collectedOn').day();
      const renewal = {
        on,
        amountFen: f('amountFen').num(),
        paymentReference: f('paymentReference').str(),
        previousTerm,
        newTerm,
        collectedBy: f('collectedBy').str(),
        serviceRepId: f('serviceRepId').str(),
        salesRepId: f('salesRepId').str(),
        daysAfterTermEnd: f('daysAfterTermEnd').num(),
        winBack: f('winBack').bool(),
      };
      // The decider renews the current (last) term; any other previous term means this view and the stream disagree.
      const last = doc.terms[doc.terms.length - 1];
      if (!last || last.start !== previousTerm.start || last.end !== previousTerm.end) return r.fail('previousTerm', 'the current term');
      const terms: TermFact[] = [...doc.terms.slice(0, -1), { ...last, renewedOn: on }, newTerm];
      return { ...doc, terms, status: 'active', renewals: [...doc.renewals, renewal] };
    }
    case 'CustomerChurned':
      return {
        ...doc,
        status: 'churned',
        churns: [...doc.churns, { on: f('churnedOn').day(), kind: f('kind').oneOf(CHURN_KINDS), termEnd: f('termEnd').day() }],
      };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
};

export const customerFactsProjection: Projection<CustomerFactsDoc> = {
  name: CUSTOMER_FACTS_PROJECTION,
  // 2: visits keep the customer's feedback text, issues their description and visit (the weekly feedback report).
  version: 2,
  description: 'Dated facts per customer: assignment, terms, visits with feedback, reminders, renewals, issues, complaints, follow-ups',
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
  ],
  touches: (event: RecordedEvent): readonly DocRef[] =>
    isHandled(event.type) ? [{ collection: CUSTOMERS_COLLECTION, id: reader(event).field('customerId').str() }] : [],
  evolve: (current, event) => {
    const type = event.type;
    if (!isHandled(type)) throw new Error(`${type} at position ${event.position} is not a customer event`);
    const r = reader(event);
    if (type === 'CustomerSigned') {
      if (current !== null) r.fail('customerId', 'a customer not yet signed');
      return signed(r);
    }
    if (current === null) return r.fail('customerId', 'a signed customer');
    return evolveFacts(current, type, r);
  },
};
