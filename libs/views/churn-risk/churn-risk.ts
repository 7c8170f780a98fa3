import { addDays, daysBetween, type ServiceRules } from '#shared-kernel';
import type { SpendSeries, UsageSeries } from '#telemetry';
import { type ComplaintFact, contactsInWindow, type CustomerFactsDoc, describeQuiet, highestTier, isRenewedAsOf, isServiceRepContact, type IssueFact, lastContactOn, quietSince, type ReminderFact, remindersFor, termAt, type VisitFact, windowStart } from '#customer';
import { daysWithoutLogin, unreadInquiries } from '../shared/customer-usage';

export type ChurnRiskLevel = 'high' | 'medium' | 'low';

export type ChurnReasonCode =
  | 'no_login'
  | 'no_contact'
  | 'expiring_under_contacted'
  | 'expiring_without_reminder'
  | 'no_inquiry'
  | 'unread_inquiries'
  | 'spend_drop'
  | 'dormant'
  | 'issue_open'
  | 'resolved_not_communicated'
  | 'low_satisfaction'
  | 'open_complaint';

export interface ChurnReason {
  readonly code: ChurnReasonCode;
  readonly points: number;
  readonly detail: string;
}

export interface ChurnRisk {
  readonly customerId: string;
  readonly score: number;
  readonly level: ChurnRiskLevel;
  readonly reasons: readonly ChurnReason[];
}

/**
 * The facts a churn score is computed from: a customer's facts document, or the smaller copy the churn-risk read
 * model keeps of it (the same shape, with only what can still change a score).
 */
export interface ChurnFacts extends Pick<CustomerFactsDoc, 'id' | 'product' | 'signedOn' | 'terms'> {
  readonly visits: readonly Pick<VisitFact, 'on' | 'reached' | 'repId' | 'serviceRepId' | 'satisfaction'>[];
  readonly reminders: readonly Pick<ReminderFact, 'on' | 'termEnd'>[];
  readonly issues: readonly Pick<IssueFact, 'raisedOn' | 'resolvedOn' | 'communicatedOn'>[];
  readonly complaints: readonly Pick<ComplaintFact, 'filedOn' | 'resolvedOn'>[];
}

/** The churn-risk score of one customer on `asOf`, with every contributing reason (DOMAIN.md "Churn risk"). */
export const churnRisk = (doc: ChurnFacts, usage: UsageSeries, spend: SpendSeries, rules: ServiceRules, asOf: string): ChurnRisk => {
  const reasons = [
    ...loginReasons(doc, usage, rules, asOf),
    ...contactReasons(doc, rules, asOf),
    ...inquiryReasons(usage, rules, asOf),
    ...(doc.product === 'bidding' ? spendReasons(doc, spend, rules, asOf) : []),
    ...serviceReasons(doc, rules, asOf),
  ];
  const score = Math.min(rules.churn.cap, reasons.reduce((sum, reason) => sum + reason.points, 0));
  return { customerId: doc.id, score, level: churnLevel(score, rules), reasons };
};

/** The first day the churn rules look back to from `day`: what a score on `day` can read of the telemetry. */
export const churnLookBackStart = (day: string, rules: ServiceRules): string => {
  const churn = rules.churn;
  const lookBack = Math.max(
    churn.noLogin[churn.noLogin.length - 1]!.days + 1,
    churn.noInquiry.windowDays,
    churn.spendDrop.recentDays + churn.spendDrop.baselineDays,
    churn.dormant.days,
    rules.expiring.windowDays,
  );
  return addDays(day, -lookBack);
};

export const churnLevel = (score: number, rules: ServiceRules): ChurnRiskLevel => {
  if (score >= rules.churn.levels.high) return 'high';
  if (score >= rules.churn.levels.medium) return 'medium';
  return 'low';
};

/** Highest risk first; ties by customer id so pages are stable. */
export const compareRisk = (a: Pick<ChurnRisk, 'score' | 'customerId'>, b: Pick<ChurnRisk, 'score' | 'customerId'>): number =>
  b.score - a.score || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

const loginReasons = (doc: ChurnFacts, usage: UsageSeries, rules: ServiceRules, asOf: string): ChurnReason[] => {
  const { noLogin } = rules.churn;
  const quiet = daysWithoutLogin(doc, usage, asOf, Math.max(0, ...noLogin.map((tier) => tier.days)));
  const tier = highestTier(noLogin, quiet.days, false);
  return tier ? [{ code: 'no_login', points: tier.points, detail: `no login ${describeQuiet(quiet)}` }] : [];
};

const inquiryReasons = (usage: UsageSeries, rules: ServiceRules, asOf: string): ChurnReason[] => {
  const { noInquiry, unreadInquiries: unread } = rules.churn;
  const reasons: ChurnReason[] = [];
  const received = usage.sum('inquiriesReceived', windowStart(asOf, noInquiry.windowDays), asOf);
  if (received === 0) reasons.push({ code: 'no_inquiry', points: noInquiry.points, detail: `no inquiry received in the last ${noInquiry.windowDays} days` });
  // The no-inquiry window doubles as the look-back for the last usage report.
  const latestUnread = unreadInquiries(usage, asOf, noInquiry.windowDays);
  if (latestUnread.count > unread.moreThan) {
    reasons.push({ code: 'unread_inquiries', points: unread.points, detail: `${latestUnread.count} inquiries unread on ${latestUnread.on}` });
  }
  return reasons;
};

const contactReasons = (doc: ChurnFacts, rules: ServiceRules, asOf: string): ChurnReason[] => {
  const { noContact, expiringUnderContacted: under, expiringWithoutReminder: unreminded } = rules.churn;
  const reasons: ChurnReason[] = [];
  const quiet = quietSince(doc, lastContactOn(doc, asOf, isServiceRepContact), asOf);
  const tier = highestTier(noContact, quiet.days, true);
  if (tier) reasons.push({ code: 'no_contact', points: tier.points, detail: `no contact by the service rep ${describeQuiet(quiet)}` });
  const term = termAt(doc, asOf);
  // A term whose renewal is already collected is not about to end for the customer.
  if (!term || isRenewedAsOf(term, asOf)) return reasons;
  const daysToEnd = daysBetween(asOf, term.end);
  if (daysToEnd < 0) return reasons;
  const contacts = contactsInWindow(doc, asOf, under.windowDays);
  if (daysToEnd <= under.withinDays && contacts < under.minContacts) {
    reasons.push({
      code: 'expiring_under_contacted',
      points: under.points,
      detail: `term ends ${term.end} in ${daysToEnd} days with ${contacts} contacts in the last ${under.windowDays} days`,
    });
  }
  if (daysToEnd <= unreminded.withinDays && remindersFor(doc, term.end, asOf).length === 0) {
    reasons.push({ code: 'expiring_without_reminder', points: unreminded.points, detail: `term ends ${term.end} in ${daysToEnd} days and no renewal reminder sent` });
  }
  return reasons;
};

const spendReasons = (doc: ChurnFacts, spend: SpendSeries, rules: ServiceRules, asOf: string): ChurnReason[] => {
  const { spendDrop: drop, dormant } = rules.churn;
  const reasons: ChurnReason[] = [];
  const recentFrom = windowStart(asOf, drop.recentDays);
  const baselineTo = addDays(recentFrom, -1);
  const recentAverage = spend.sum('spendFen', recentFrom, asOf) / drop.recentDays;
  const baselineAverage = spend.sum('spendFen', windowStart(baselineTo, drop.baselineDays), baselineTo) / drop.baselineDays;
  if (baselineAverage > 0 && recentAverage < drop.belowRatio * baselineAverage) {
    reasons.push({
      code: 'spend_drop',
      points: drop.points,
      detail: `average daily spend ${cny(recentAverage)} CNY in the last ${drop.recentDays} days, ${percent(recentAverage / baselineAverage)} of ${cny(baselineAverage)} CNY in the ${drop.baselineDays} days before`,
    });
  }
  const dormantFrom = windowStart(asOf, dormant.days);
  if (daysBetween(doc.signedOn, asOf) >= dormant.days && spend.lastPositive('spendFen', asOf, dormantFrom) === undefined) {
    reasons.push({ code: 'dormant', points: dormant.points, detail: `no spend in the last ${dormant.days} days` });
  }
  return reasons;
};

const serviceReasons = (doc: ChurnFacts, rules: ServiceRules, asOf: string): ChurnReason[] => {
  const { issueOpen, resolvedNotCommunicated, lowSatisfaction, openComplaint } = rules.churn;
  const reasons: ChurnReason[] = [];
  const unresolved = doc.issues.filter((issue) => issue.raisedOn <= asOf && !(issue.resolvedOn !== undefined && issue.resolvedOn <= asOf));
  const longOpen = unresolved.filter((issue) => daysBetween(issue.raisedOn, asOf) > issueOpen.moreThanDays);
  if (longOpen.length > 0) {
    const oldest = Math.max(...longOpen.map((issue) => daysBetween(issue.raisedOn, asOf)));
    reasons.push({
      code: 'issue_open',
      points: issueOpen.points,
      detail: `${longOpen.length} issue(s) open for more than ${issueOpen.moreThanDays} days (oldest ${oldest} days)`,
    });
  }
  const uncommunicated = doc.issues.filter(
    (issue) => issue.resolvedOn !== undefined && issue.resolvedOn <= asOf && !(issue.communicatedOn !== undefined && issue.communicatedOn <= asOf),
  );
  if (uncommunicated.length > 0) {
    reasons.push({
      code: 'resolved_not_communicated',
      points: resolvedNotCommunicated.points,
      detail: `${uncommunicated.length} issue(s) resolved but the resolution not yet communicated`,
    });
  }
  const satisfaction = lastSatisfaction(doc, asOf);
  if (satisfaction !== undefined && satisfaction.score <= lowSatisfaction.atMost) {
    reasons.push({ code: 'low_satisfaction', points: lowSatisfaction.points, detail: `last satisfaction score ${satisfaction.score} on ${satisfaction.on}` });
  }
  const complaints = doc.complaints.filter((c) => c.filedOn <= asOf && !(c.resolvedOn !== undefined && c.resolvedOn <= asOf));
  if (complaints.length > 0) reasons.push({ code: 'open_complaint', points: openComplaint.points, detail: `${complaints.length} complaint(s) open` });
  return reasons;
};

/** The satisfaction of the latest scored visit on or before `asOf` (the later-recorded one wins a same-day tie). */
const lastSatisfaction = (doc: ChurnFacts, asOf: string): { readonly score: number; readonly on: string } | undefined => {
  let found: { score: number; on: string } | undefined;
  for (const visit of doc.visits) {
    if (visit.satisfaction === undefined || visit.on > asOf) continue;
    if (found === undefined || visit.on >= found.on) found = { score: visit.satisfaction, on: visit.on };
  }
  return found;
};

const cny = (fen: number): string => (fen / 100).toFixed(2);
const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;
