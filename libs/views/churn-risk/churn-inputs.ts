import type { CustomerEvent } from '#customer';
import { addDays, type ServiceRules } from '#shared-kernel';
import type { ChurnInputs } from './churn-risk.doc';

/** The customer events a churn score or a worklist entry depends on. */
export const CHURN_CUSTOMER_EVENT_TYPES = [
  'CustomerSigned',
  'ServiceRepAssigned',
  'KeyAccountFlagChanged',
  'VisitRecorded',
  'IssueRaised',
  'IssueResolved',
  'IssueResolutionCommunicated',
  'ComplaintFiled',
  'ComplaintResolved',
  'RenewalReminderSent',
  'RenewalCollected',
  'CustomerChurned',
  'FollowUpScheduled',
  'FollowUpCompleted',
] as const satisfies readonly CustomerEvent['type'][];
export type ChurnCustomerEvent = Extract<CustomerEvent, { type: (typeof CHURN_CUSTOMER_EVENT_TYPES)[number] }>;

export const isChurnCustomerEvent = (event: { readonly type: string }): event is ChurnCustomerEvent =>
  (CHURN_CUSTOMER_EVENT_TYPES as readonly string[]).includes(event.type);

/** The inputs after one customer event; `where` names the event in an error (the log and this view disagree). */
export const evolveInputs = (inputs: ChurnInputs | null, event: ChurnCustomerEvent, where: string): ChurnInputs => {
  if (event.type === 'CustomerSigned') {
    if (inputs !== null) throw new Error(`${where}: customer ${event.data.customerId} is already signed`);
    const d = event.data;
    return {
      id: d.customerId,
      companyName: d.companyName,
      product: d.product,
      keyAccount: d.keyAccount,
      signedOn: d.signedOn,
      assignments: [{ repId: d.serviceRepId, from: d.signedOn }],
      terms: [{ start: d.term.start, end: d.term.end }],
      churns: [],
      renewals: [],
      visits: [],
      reminders: [],
      issues: [],
      complaints: [],
      followUps: [],
    };
  }
  if (inputs === null) throw new Error(`${where}: customer ${event.data.customerId} is not signed`);
  switch (event.type) {
    case 'ServiceRepAssigned':
      return { ...inputs, assignments: [...inputs.assignments, { repId: event.data.serviceRepId, from: event.data.assignedOn }] };
    case 'KeyAccountFlagChanged':
      return { ...inputs, keyAccount: event.data.keyAccount };
    case 'VisitRecorded': {
      const d = event.data;
      const visit = { on: d.visitedOn, reached: d.reached, repId: d.repId, serviceRepId: d.serviceRepId, ...(d.satisfaction !== undefined ? { satisfaction: d.satisfaction } : {}) };
      return { ...inputs, visits: [...inputs.visits, visit] };
    }
    case 'IssueRaised':
      return { ...inputs, issues: [...inputs.issues, { issueId: event.data.issueId, category: event.data.category, raisedOn: event.data.raisedOn }] };
    case 'IssueResolved': {
      const { issueId, resolvedOn } = event.data;
      return { ...inputs, issues: inputs.issues.map((issue) => (issue.issueId === issueId ? { ...issue, resolvedOn } : issue)) };
    }
    case 'IssueResolutionCommunicated': {
      const { issueId, communicatedOn } = event.data;
      return { ...inputs, issues: inputs.issues.map((issue) => (issue.issueId === issueId ? { ...issue, communicatedOn } : issue)) };
    }
    case 'ComplaintFiled':
      return { ...inputs, complaints: [...inputs.complaints, { complaintId: event.data.complaintId, filedOn: event.data.filedOn }] };
    case 'ComplaintResolved': {
      const { complaintId, resolvedOn } = event.data;
      return { ...inputs, complaints: inputs.complaints.map((c) => (c.complaintId === complaintId ? { ...c, resolvedOn } : c)) };
    }
    case 'RenewalReminderSent':
      return { ...inputs, reminders: [...inputs.reminders, { on: event.data.sentOn, termEnd: event.data.termEnd }] };
    case 'RenewalCollected': {
      const { previousTerm, newTerm, collectedOn } = event.data;
      const last = inputs.terms[inputs.terms.length - 1];
      // The decider renews the current (last) term; any other means the log and this view disagree.
      if (!last || last.start !== previousTerm.start || last.end !== previousTerm.end) throw new Error(`${where}: previousTerm is not the current term`);
      const terms = [...inputs.terms.slice(0, -1), { ...last, renewedOn: collectedOn }, { start: newTerm.start, end: newTerm.end }];
      return { ...inputs, terms, renewals: [...inputs.renewals, { on: collectedOn }] };
    }
    case 'CustomerChurned':
      return { ...inputs, churns: [...inputs.churns, { on: event.data.churnedOn, kind: event.data.kind, termEnd: event.data.termEnd }] };
    case 'FollowUpScheduled': {
      const { followUpId, dueOn, repId } = event.data;
      return { ...inputs, followUps: [...inputs.followUps, { followUpId, dueOn, repId }] };
    }
    case 'FollowUpCompleted': {
      const { followUpId, completedOn } = event.data;
      return { ...inputs, followUps: inputs.followUps.map((f) => (f.followUpId === followUpId ? { ...f, completedOn } : f)) };
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/** The last item (in list order) with the latest day on or before `day`, among those `which` accepts. */
const lastOnOrBefore = <T extends { readonly on: string }>(items: readonly T[], day: string, which: (item: T) => boolean): T | undefined => {
  let best: T | undefined;
  for (const item of items) if (which(item) && item.on <= day && (best === undefined || item.on >= best.on)) best = item;
  return best;
};

/**
 * Drops what cannot change a score or a worklist entry on `day` or any later day: contacts older than the contact
 * windows (but the latest contact, the latest service-rep contact and the latest satisfaction score), reminders of
 * terms past the renewal grace, issues communicated, complaints resolved and follow-ups completed by `day`.
 * Filters only, so order is kept and pruning again later, or once instead of twice, leaves the same list.
 */
export const pruneInputs = (inputs: ChurnInputs, day: string, rules: ServiceRules): ChurnInputs => {
  const windowDays = Math.max(rules.churn.expiringUnderContacted.windowDays, rules.expiring.windowDays);
  const windowFrom = addDays(day, -(windowDays - 1));
  const lastContact = lastOnOrBefore(inputs.visits, day, (v) => v.reached);
  const lastServiceContact = lastOnOrBefore(inputs.visits, day, (v) => v.reached && v.repId === v.serviceRepId);
  const lastScored = lastOnOrBefore(inputs.visits, day, (v) => v.satisfaction !== undefined);
  const oldestTermEnd = addDays(day, -rules.renewalGraceDays);
  const done = (on: string | undefined): boolean => on !== undefined && on <= day;
  return {
    ...inputs,
    visits: inputs.visits.filter((v) => v.on > day || (v.reached && v.on >= windowFrom) || v === lastContact || v === lastServiceContact || v === lastScored),
    reminders: inputs.reminders.filter((r) => r.termEnd >= oldestTermEnd),
    issues: inputs.issues.filter((i) => !(done(i.communicatedOn) && done(i.resolvedOn))),
    complaints: inputs.complaints.filter((c) => !done(c.resolvedOn)),
    followUps: inputs.followUps.filter((f) => !done(f.completedOn)),
  };
};
