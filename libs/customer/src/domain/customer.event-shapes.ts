import { anyText, bool, type EventShapes, isoDay, num, object, oneOf, optional, text } from '#shared-kernel';
import { CHURN_KINDS, COMPLAINT_CATEGORIES, CONTACT_ROLES, type CustomerEvent, GRADES, ISSUE_CATEGORIES, PRODUCTS, VISIT_CHANNELS, VISIT_LEVELS, VISIT_PURPOSES } from './customer.events';

const term = object({ start: isoDay, end: isoDay });

/**
 * What each customer event carries, checked when a projection reads it (after upcasting and repairs): ids and names
 * are non-empty, days are ISO days, enumerations are one of their values; free text a person typed may be empty.
 */
export const CUSTOMER_EVENT_SHAPES = {
  CustomerSigned: object({
    customerId: text,
    companyName: text,
    contact: object({ name: text, phone: text, email: optional(text) }),
    industry: text,
    product: oneOf(PRODUCTS),
    contractAmountFen: num,
    term,
    salesRepId: text,
    serviceRepId: text,
    grade: oneOf(GRADES),
    keyAccount: bool,
    signedOn: isoDay,
  }),
  ServiceRepAssigned: object({ customerId: text, serviceRepId: text, previousServiceRepId: text, reason: optional(anyText), assignedOn: isoDay }),
  CustomerGraded: object({ customerId: text, grade: oneOf(GRADES), previousGrade: oneOf(GRADES) }),
  KeyAccountFlagChanged: object({ customerId: text, keyAccount: bool }),
  VisitRecorded: object({
    customerId: text,
    visitId: text,
    repId: text,
    level: oneOf(VISIT_LEVELS),
    channel: oneOf(VISIT_CHANNELS),
    purpose: oneOf(VISIT_PURPOSES),
    reached: bool,
    contactRole: optional(oneOf(CONTACT_ROLES)),
    summary: anyText,
    feedback: optional(anyText),
    effect: optional(object({ calls: num, inquiries: num, deals: num })),
    satisfaction: optional(num),
    nextFollowUpOn: optional(isoDay),
    visitedOn: isoDay,
    serviceRepId: text,
  }),
  FollowUpScheduled: object({ customerId: text, followUpId: text, dueOn: isoDay, repId: text, note: optional(anyText), visitId: optional(text) }),
  FollowUpCompleted: object({ customerId: text, followUpId: text, visitId: text, completedOn: isoDay }),
  IssueRaised: object({ customerId: text, issueId: text, category: oneOf(ISSUE_CATEGORIES), description: anyText, raisedBy: text, visitId: optional(text), raisedOn: isoDay }),
  IssueResolved: object({ customerId: text, issueId: text, resolution: anyText, resolvedBy: text, resolvedOn: isoDay }),
  IssueResolutionCommunicated: object({ customerId: text, issueId: text, channel: oneOf(VISIT_CHANNELS), note: optional(anyText), communicatedBy: text, communicatedOn: isoDay }),
  ComplaintFiled: object({ customerId: text, complaintId: text, category: oneOf(COMPLAINT_CATEGORIES), description: anyText, againstRepId: optional(text), filedBy: text, filedOn: isoDay }),
  ComplaintResolved: object({ customerId: text, complaintId: text, resolution: anyText, resolvedBy: text, resolvedOn: isoDay }),
  BuyerIntroduced: object({ customerId: text, introductionId: text, buyerName: text, note: optional(anyText), introducedBy: text, introducedOn: isoDay }),
  RenewalReminderSent: object({ customerId: text, reminderId: text, channel: oneOf(VISIT_CHANNELS), termEnd: isoDay, daysBeforeTermEnd: num, sentBy: text, sentOn: isoDay }),
  RenewalCollected: object({
    customerId: text,
    amountFen: num,
    paymentReference: text,
    previousTerm: term,
    newTerm: term,
    collectedBy: text,
    serviceRepId: text,
    salesRepId: text,
    collectedOn: isoDay,
    daysAfterTermEnd: num,
    winBack: bool,
  }),
  CustomerChurned: object({ customerId: text, kind: oneOf(CHURN_KINDS), reason: optional(anyText), termEnd: isoDay, churnedOn: isoDay }),
} as const satisfies EventShapes<CustomerEvent>;
