import { daysBetween, type DomainError, isIsoDate } from '#shared-kernel';
import type { CustomerCommand } from './customer.commands';
import { CustomerErrors as E } from './customer.errors';
import type { Contact, CustomerEvent, ReportedEffect, Term } from './customer.events';
import type { CustomerState, KnownCustomer } from './customer.state';
import { isRecord, isText, isWholeEffect } from './shapes';
import { paymentReferenceKey } from './payment-reference';

export type Decision = readonly CustomerEvent[] | DomainError;

type Cmd<T extends CustomerCommand['type']> = Extract<CustomerCommand, { type: T }>['data'];

/*
 * Shapes the events carry. The edge validates them first; the decider checks again, because an event is forever
 * and a projection that meets an empty term or effect stops at it: no command path may store one.
 */

const TERM_SHAPE = 'an object with start and end as calendar dates (YYYY-MM-DD)';
const termError = (field: string, term: Term): DomainError | undefined => {
  const value: unknown = term;
  if (!isRecord(value) || !isIsoDate(value.start) || !isIsoDate(value.end)) return E.malformed(field, TERM_SHAPE);
  return term.end <= term.start ? E.invalidTerm(term) : undefined;
};

const contactError = (contact: Contact): DomainError | undefined => {
  const value: unknown = contact;
  const complete = isRecord(value) && isText(value.name) && isText(value.phone) && (value.email === undefined || isText(value.email));
  return complete ? undefined : E.malformed('contact', 'an object with a name and a phone (and optionally an email)');
};

const effectError = (effect: ReportedEffect | undefined): DomainError | undefined => {
  const value: unknown = effect;
  if (value === undefined) return undefined;
  return isWholeEffect(value) ? undefined : E.malformed('effect', 'an object with calls, inquiries and deals as whole numbers of 0 or more');
};

const signCustomer = (c: Cmd<'SignCustomer'>, state: CustomerState): Decision => {
  if (state.status !== 'unknown') return E.alreadySigned(c.customerId);
  if (c.contractAmountFen <= 0) return E.amountNotPositive('contractAmount');
  const bad = contactError(c.contact) ?? termError('term', c.term);
  if (bad) return bad;
  return [
    {
      type: 'CustomerSigned',
      data: {
        customerId: c.customerId,
        companyName: c.companyName,
        contact: c.contact,
        industry: c.industry,
        product: c.product,
        contractAmountFen: c.contractAmountFen,
        term: c.term,
        salesRepId: c.salesRepId,
        serviceRepId: c.serviceRepId,
        grade: c.grade,
        keyAccount: c.keyAccount,
        signedOn: c.on,
      },
    },
  ];
};

const assignServiceRep = (c: Cmd<'AssignServiceRep'>, s: KnownCustomer): Decision => {
  if (s.serviceRepId === c.serviceRepId) return E.alreadyAssigned(c.serviceRepId);
  return [
    {
      type: 'ServiceRepAssigned',
      data: {
        customerId: c.customerId,
        serviceRepId: c.serviceRepId,
        previousServiceRepId: s.serviceRepId,
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
        assignedOn: c.on,
      },
    },
  ];
};

const recordVisit = (c: Cmd<'RecordVisit'>, s: KnownCustomer): Decision => {
  if (s.visitIds.has(c.visitId)) return E.duplicate('visit', c.visitId);
  const malformed = effectError(c.effect);
  if (malformed) return malformed;
  if (c.satisfaction !== undefined && !c.reached) return E.satisfactionWithoutContact();
  if (c.nextFollowUpOn !== undefined && c.nextFollowUpOn <= c.on) return E.dateNotAfter('nextFollowUpOn', c.nextFollowUpOn, c.on);
  const followUpId = c.followUpId ?? `${c.visitId}-follow-up`;
  if (c.nextFollowUpOn !== undefined && s.followUpIds.has(followUpId)) return E.duplicate('follow_up', followUpId);
  const events: CustomerEvent[] = [
    {
      type: 'VisitRecorded',
      data: {
        customerId: c.customerId,
        visitId: c.visitId,
        repId: c.actorId,
        level: c.level,
        channel: c.channel,
        purpose: c.purpose,
        reached: c.reached,
        ...(c.contactRole !== undefined ? { contactRole: c.contactRole } : {}),
        summary: c.summary,
        ...(c.feedback !== undefined ? { feedback: c.feedback } : {}),
        ...(c.effect !== undefined ? { effect: c.effect } : {}),
        ...(c.satisfaction !== undefined ? { satisfaction: c.satisfaction } : {}),
        ...(c.nextFollowUpOn !== undefined ? { nextFollowUpOn: c.nextFollowUpOn } : {}),
        visitedOn: c.on,
        serviceRepId: s.serviceRepId,
      },
    },
  ];
  // A visit that reached the customer settles the follow-ups that were due by then.
  if (c.reached) {
    for (const [id, dueOn] of [...s.openFollowUps].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (dueOn <= c.on) {
        events.push({ type: 'FollowUpCompleted', data: { customerId: c.customerId, followUpId: id, visitId: c.visitId, completedOn: c.on } });
      }
    }
  }
  if (c.nextFollowUpOn !== undefined) {
    events.push({
      type: 'FollowUpScheduled',
      data: { customerId: c.customerId, followUpId, dueOn: c.nextFollowUpOn, repId: c.actorId, visitId: c.visitId },
    });
  }
  return events;
};

const scheduleFollowUp = (c: Cmd<'ScheduleFollowUp'>, s: KnownCustomer): Decision => {
  if (s.followUpIds.has(c.followUpId)) return E.duplicate('follow_up', c.followUpId);
  if (c.dueOn < c.on) return E.dateNotAfter('dueOn', c.dueOn, c.on);
  return [
    {
      type: 'FollowUpScheduled',
      data: { customerId: c.customerId, followUpId: c.followUpId, dueOn: c.dueOn, repId: c.actorId, ...(c.note !== undefined ? { note: c.note } : {}) },
    },
  ];
};

const raiseIssue = (c: Cmd<'RaiseIssue'>, s: KnownCustomer): Decision => {
  if (s.issues.has(c.issueId)) return E.duplicate('issue', c.issueId);
  if (c.visitId !== undefined && !s.visitIds.has(c.visitId)) return E.unknown('visit', c.visitId);
  return [
    {
      type: 'IssueRaised',
      data: {
        customerId: c.customerId,
        issueId: c.issueId,
        category: c.category,
        description: c.description,
        raisedBy: c.actorId,
        ...(c.visitId !== undefined ? { visitId: c.visitId } : {}),
        raisedOn: c.on,
      },
    },
  ];
};

const resolveIssue = (c: Cmd<'ResolveIssue'>, s: KnownCustomer): Decision => {
  const status = s.issues.get(c.issueId);
  if (status === undefined) return E.unknown('issue', c.issueId);
  if (status !== 'open') return E.issueAlreadyResolved(c.issueId);
  return [
    { type: 'IssueResolved', data: { customerId: c.customerId, issueId: c.issueId, resolution: c.resolution, resolvedBy: c.actorId, resolvedOn: c.on } },
  ];
};

const communicateIssueResolution = (c: Cmd<'CommunicateIssueResolution'>, s: KnownCustomer): Decision => {
  const status = s.issues.get(c.issueId);
  if (status === undefined) return E.unknown('issue', c.issueId);
  if (status === 'open') return E.issueNotResolved(c.issueId);
  if (status === 'closed') return E.issueClosed(c.issueId);
  return [
    {
      type: 'IssueResolutionCommunicated',
      data: {
        customerId: c.customerId,
        issueId: c.issueId,
        channel: c.channel,
        ...(c.note !== undefined ? { note: c.note } : {}),
        communicatedBy: c.actorId,
        communicatedOn: c.on,
      },
    },
  ];
};

const fileComplaint = (c: Cmd<'FileComplaint'>, s: KnownCustomer): Decision => {
  if (s.complaints.has(c.complaintId)) return E.duplicate('complaint', c.complaintId);
  return [
    {
      type: 'ComplaintFiled',
      data: {
        customerId: c.customerId,
        complaintId: c.complaintId,
        category: c.category,
        description: c.description,
        ...(c.againstRepId !== undefined ? { againstRepId: c.againstRepId } : {}),
        filedBy: c.actorId,
        filedOn: c.on,
      },
    },
  ];
};

const resolveComplaint = (c: Cmd<'ResolveComplaint'>, s: KnownCustomer): Decision => {
  const status = s.complaints.get(c.complaintId);
  if (status === undefined) return E.unknown('complaint', c.complaintId);
  if (status === 'resolved') return E.complaintAlreadyResolved(c.complaintId);
  return [
    {
      type: 'ComplaintResolved',
      data: { customerId: c.customerId, complaintId: c.complaintId, resolution: c.resolution, resolvedBy: c.actorId, resolvedOn: c.on },
    },
  ];
};

const introduceBuyer = (c: Cmd<'IntroduceBuyer'>, s: KnownCustomer): Decision => {
  if (s.introductionIds.has(c.introductionId)) return E.duplicate('introduction', c.introductionId);
  return [
    {
      type: 'BuyerIntroduced',
      data: {
        customerId: c.customerId,
        introductionId: c.introductionId,
        buyerName: c.buyerName,
        ...(c.note !== undefined ? { note: c.note } : {}),
        introducedBy: c.actorId,
        introducedOn: c.on,
      },
    },
  ];
};

const sendRenewalReminder = (c: Cmd<'SendRenewalReminder'>, s: KnownCustomer): Decision => {
  if (s.status === 'churned') return E.notActive(c.customerId);
  if (s.reminderIds.has(c.reminderId)) return E.duplicate('reminder', c.reminderId);
  return [
    {
      type: 'RenewalReminderSent',
      data: {
        customerId: c.customerId,
        reminderId: c.reminderId,
        channel: c.channel,
        termEnd: s.term.end,
        daysBeforeTermEnd: daysBetween(c.on, s.term.end),
        sentBy: c.actorId,
        sentOn: c.on,
      },
    },
  ];
};

const collectRenewal = (c: Cmd<'CollectRenewal'>, s: KnownCustomer): Decision => {
  if (c.amountFen <= 0) return E.amountNotPositive('amount');
  const bad = termError('newTerm', c.newTerm);
  if (bad) return bad;
  const key = paymentReferenceKey(c.paymentReference);
  if (key === '') return E.malformed('paymentReference', 'a payment reference with visible characters');
  if (s.paymentReferences.has(key)) return E.paymentReferenceUsed(c.paymentReference);
  if (c.newTerm.start <= s.term.start || c.newTerm.end <= s.term.end) return E.renewalTermNotAfterCurrent(s.term, c.newTerm);
  return [
    {
      type: 'RenewalCollected',
      data: {
        customerId: c.customerId,
        amountFen: c.amountFen,
        paymentReference: c.paymentReference,
        previousTerm: s.term,
        newTerm: c.newTerm,
        collectedBy: c.actorId,
        serviceRepId: s.serviceRepId,
        salesRepId: s.salesRepId,
        collectedOn: c.on,
        daysAfterTermEnd: daysBetween(s.term.end, c.on),
        winBack: s.status === 'churned',
      },
    },
  ];
};

const recordChurn = (c: Cmd<'RecordChurn'>, s: KnownCustomer): Decision => {
  if (s.status === 'churned') return E.alreadyChurned(c.customerId);
  if (c.kind === 'lapsed' && c.on <= s.term.end) return E.termNotEnded(s.term.end, c.on);
  return [
    {
      type: 'CustomerChurned',
      data: {
        customerId: c.customerId,
        kind: c.kind,
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
        termEnd: s.term.end,
        churnedOn: c.on,
      },
    },
  ];
};

/** Decides a command against the customer's current state: the events to append, or the rule it breaks. */
export const decideCustomer = (command: CustomerCommand, state: CustomerState): Decision => {
  if (command.type === 'SignCustomer') return signCustomer(command.data, state);
  if (state.status === 'unknown') return E.notFound(command.data.customerId);
  switch (command.type) {
    case 'AssignServiceRep':
      return assignServiceRep(command.data, state);
    case 'GradeCustomer':
      return state.grade === command.data.grade
        ? []
        : [{ type: 'CustomerGraded', data: { customerId: command.data.customerId, grade: command.data.grade, previousGrade: state.grade } }];
    case 'SetKeyAccount':
      return state.keyAccount === command.data.keyAccount
        ? []
        : [{ type: 'KeyAccountFlagChanged', data: { customerId: command.data.customerId, keyAccount: command.data.keyAccount } }];
    case 'RecordVisit':
      return recordVisit(command.data, state);
    case 'ScheduleFollowUp':
      return scheduleFollowUp(command.data, state);
    case 'RaiseIssue':
      return raiseIssue(command.data, state);
    case 'ResolveIssue':
      return resolveIssue(command.data, state);
    case 'CommunicateIssueResolution':
      return communicateIssueResolution(command.data, state);
    case 'FileComplaint':
      return fileComplaint(command.data, state);
    case 'ResolveComplaint':
      return resolveComplaint(command.data, state);
    case 'IntroduceBuyer':
      return introduceBuyer(command.data, state);
    case 'SendRenewalReminder':
      return sendRenewalReminder(command.data, state);
    case 'CollectRenewal':
      return collectRenewal(command.data, state);
    case 'RecordChurn':
      return recordChurn(command.data, state);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
};
