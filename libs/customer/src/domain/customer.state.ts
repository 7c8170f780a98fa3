import type { CustomerEvent, Grade, Product, Term } from './customer.events';
import { paymentReferenceKey } from './payment-reference';

export type IssueStatus = 'open' | 'resolved' | 'closed';

export interface KnownCustomer {
  readonly status: 'active' | 'churned';
  readonly customerId: string;
  readonly product: Product;
  readonly term: Term;
  readonly salesRepId: string;
  readonly serviceRepId: string;
  readonly grade: Grade;
  readonly keyAccount: boolean;
  readonly visitIds: ReadonlySet<string>;
  /** Open follow-ups by id, with their due date. */
  readonly openFollowUps: ReadonlyMap<string, string>;
  readonly followUpIds: ReadonlySet<string>;
  readonly issues: ReadonlyMap<string, IssueStatus>;
  readonly complaints: ReadonlyMap<string, 'open' | 'resolved'>;
  readonly introductionIds: ReadonlySet<string>;
  readonly reminderIds: ReadonlySet<string>;
  /** The keys (`paymentReferenceKey`) of the payment references recorded for this customer. */
  readonly paymentReferences: ReadonlySet<string>;
}

export type CustomerState = { readonly status: 'unknown' } | KnownCustomer;

export const initialCustomerState: CustomerState = { status: 'unknown' };

const withAdded = <T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> => new Set(set).add(value);
const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => new Map(map).set(key, value);
const without = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  const next = new Map(map);
  next.delete(key);
  return next;
};

export const evolveCustomer = (state: CustomerState, event: CustomerEvent): CustomerState => {
  if (event.type === 'CustomerSigned') {
    const d = event.data;
    return {
      status: 'active',
      customerId: d.customerId,
      product: d.product,
      term: d.term,
      salesRepId: d.salesRepId,
      serviceRepId: d.serviceRepId,
      grade: d.grade,
      keyAccount: d.keyAccount,
      visitIds: new Set(),
      openFollowUps: new Map(),
      followUpIds: new Set(),
      issues: new Map(),
      complaints: new Map(),
      introductionIds: new Set(),
      reminderIds: new Set(),
      paymentReferences: new Set(),
    };
  }
  if (state.status === 'unknown') return state;
  switch (event.type) {
    case 'ServiceRepAssigned':
      return { ...state, serviceRepId: event.data.serviceRepId };
    case 'CustomerGraded':
      return { ...state, grade: event.data.grade };
    case 'KeyAccountFlagChanged':
      return { ...state, keyAccount: event.data.keyAccount };
    case 'VisitRecorded':
      return { ...state, visitIds: withAdded(state.visitIds, event.data.visitId) };
    case 'FollowUpScheduled':
      return {
        ...state,
        followUpIds: withAdded(state.followUpIds, event.data.followUpId),
        openFollowUps: withEntry(state.openFollowUps, event.data.followUpId, event.data.dueOn),
      };
    case 'FollowUpCompleted':
      return { ...state, openFollowUps: without(state.openFollowUps, event.data.followUpId) };
    case 'IssueRaised':
      return { ...state, issues: withEntry(state.issues, event.data.issueId, 'open') };
    case 'IssueResolved':
      return { ...state, issues: withEntry(state.issues, event.data.issueId, 'resolved') };
    case 'IssueResolutionCommunicated':
      return { ...state, issues: withEntry(state.issues, event.data.issueId, 'closed') };
    case 'ComplaintFiled':
      return { ...state, complaints: withEntry(state.complaints, event.data.complaintId, 'open') };
    case 'ComplaintResolved':
      return { ...state, complaints: withEntry(state.complaints, event.data.complaintId, 'resolved') };
    case 'BuyerIntroduced':
      return { ...state, introductionIds: withAdded(state.introductionIds, event.data.introductionId) };
    case 'RenewalReminderSent':
      return { ...state, reminderIds: withAdded(state.reminderIds, event.data.reminderId) };
    case 'RenewalCollected':
      return {
        ...state,
        status: 'active',
        term: event.data.newTerm,
        paymentReferences: withAdded(state.paymentReferences, paymentReferenceKey(event.data.paymentReference)),
      };
    case 'CustomerChurned':
      return { ...state, status: 'churned' };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

export const foldCustomer = (events: readonly CustomerEvent[]): CustomerState => events.reduce(evolveCustomer, initialCustomerState);
