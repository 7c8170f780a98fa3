import type { CustomerFactsDoc, VisitChannel, VisitPurpose } from '#customer';

export const TIMELINE_KINDS = [
  'signed',
  'assigned',
  'visit',
  'reminder',
  'renewal',
  'issue_raised',
  'issue_resolved',
  'issue_communicated',
  'complaint_filed',
  'complaint_resolved',
  'follow_up_done',
  'buyer_introduced',
  'churned',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One thing that happened to a customer, told in words for the people who serve it. */
export interface TimelineEntry {
  readonly on: string;
  readonly kind: TimelineKind;
  /** Who did it, where the facts say (a rep id). */
  readonly by: string | null;
  readonly text: string;
}

const CHANNEL: Record<VisitChannel, string> = { phone: 'Call', onsite: 'On-site visit', email: 'Email', sms: 'Text message', chat: 'Chat', meeting: 'Meeting' };
const PURPOSE: Record<VisitPurpose, string> = {
  care: 'care',
  effect_survey: 'effect survey',
  reminder: 'reminder',
  training: 'training',
  renewal: 'renewal',
  order_confirmation: 'order confirmation',
};

/** Fen as CNY with two decimals and thousands separators (12,000.50). */
export const cny = (fen: number): string => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A customer's history from its facts, newest first (within a day, the later step of the work first: a renewal
 * after the reminder, a resolution after the issue). `nameOf` gives a rep's name (or its id when unknown).
 */
export const customerTimeline = (doc: CustomerFactsDoc, nameOf: (repId: string) => string): TimelineEntry[] => {
  const entries: { entry: TimelineEntry; order: number }[] = [];
  const add = (on: string, kind: TimelineKind, by: string | null, text: string) => entries.push({ entry: { on, kind, by, text }, order: entries.length });
  const first = doc.terms[0];
  add(
    doc.signedOn,
    'signed',
    doc.salesRepId,
    `Signed by ${nameOf(doc.salesRepId)} for ${doc.product}${first ? `, term ${first.start} to ${first.end}` : ''}, ${cny(doc.contractAmountFen)} CNY; served by ${nameOf(doc.assignments[0]?.repId ?? doc.serviceRepId)}`,
  );
  for (const assignment of doc.assignments.slice(1)) add(assignment.from, 'assigned', null, `Now served by ${nameOf(assignment.repId)}`);
  for (const visit of doc.visits) {
    const who = visit.contactRole === 'decision_maker' ? ' the decision maker' : visit.contactRole === 'operator' ? ' the operator' : '';
    const parts = [
      `${visit.level === 2 ? 'Level-2 ' : ''}${CHANNEL[visit.channel]} by ${nameOf(visit.repId)} (${PURPOSE[visit.purpose]}): ${visit.reached ? `reached${who}` : 'not reached'}`,
      ...(visit.satisfaction !== undefined ? [`satisfaction ${visit.satisfaction}/5`] : []),
      ...(visit.effect ? [`reported ${visit.effect.calls} calls, ${visit.effect.inquiries} inquiries, ${visit.effect.deals} deals`] : []),
    ];
    add(visit.on, 'visit', visit.repId, `${parts.join(', ')}${visit.feedback ? `. Said: “${visit.feedback}”` : ''}`);
  }
  for (const reminder of doc.reminders) {
    add(reminder.on, 'reminder', reminder.by, `Renewal reminder by ${nameOf(reminder.by)} (${reminder.channel}), ${reminder.daysBeforeTermEnd} days before the term ends on ${reminder.termEnd}`);
  }
  for (const renewal of doc.renewals) {
    const late = renewal.winBack ? ', won back' : renewal.daysAfterTermEnd > 0 ? `, ${renewal.daysAfterTermEnd} days after the term ended` : '';
    add(renewal.on, 'renewal', renewal.collectedBy, `Renewal of ${cny(renewal.amountFen)} CNY collected by ${nameOf(renewal.collectedBy)}: new term ${renewal.newTerm.start} to ${renewal.newTerm.end}${late}`);
  }
  for (const issue of doc.issues) {
    add(issue.raisedOn, 'issue_raised', issue.raisedBy, `Issue raised by ${nameOf(issue.raisedBy)} (${issue.category}): ${issue.description}`);
    if (issue.resolvedOn !== undefined) {
      add(issue.resolvedOn, 'issue_resolved', issue.resolvedBy ?? null, `Issue of ${issue.raisedOn} (${issue.category}) resolved${issue.resolvedBy ? ` by ${nameOf(issue.resolvedBy)}` : ''}`);
    }
    if (issue.communicatedOn !== undefined) {
      add(issue.communicatedOn, 'issue_communicated', issue.communicatedBy ?? null, `Resolution of the issue of ${issue.raisedOn} told to the customer${issue.communicatedBy ? ` by ${nameOf(issue.communicatedBy)}` : ''}`);
    }
  }
  for (const complaint of doc.complaints) {
    add(complaint.filedOn, 'complaint_filed', null, `Complaint filed (${complaint.category})${complaint.againstRepId ? ` about ${nameOf(complaint.againstRepId)}` : ''}`);
    if (complaint.resolvedOn !== undefined) add(complaint.resolvedOn, 'complaint_resolved', null, `Complaint of ${complaint.filedOn} (${complaint.category}) resolved`);
  }
  for (const followUp of doc.followUps) {
    if (followUp.completedOn !== undefined) add(followUp.completedOn, 'follow_up_done', followUp.repId, `Follow-up due ${followUp.dueOn} done by ${nameOf(followUp.repId)}`);
  }
  for (const introduction of doc.buyerIntroductions) add(introduction.on, 'buyer_introduced', introduction.by, `Buyer introduced by ${nameOf(introduction.by)}`);
  for (const churn of doc.churns) add(churn.on, 'churned', null, `Churned (${churn.kind === 'lapsed' ? 'did not renew' : 'cancelled'}) after the term ending ${churn.termEnd}`);
  const rank = (kind: TimelineKind) => TIMELINE_KINDS.indexOf(kind);
  entries.sort((a, b) => (a.entry.on !== b.entry.on ? (a.entry.on < b.entry.on ? 1 : -1) : rank(b.entry.kind) - rank(a.entry.kind) || b.order - a.order));
  return entries.map(({ entry }) => entry);
};
