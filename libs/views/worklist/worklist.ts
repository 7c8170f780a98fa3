import { addDays, daysBetween, type ServiceRules } from '#shared-kernel';
import type { SpendSeries, UsageSeries } from '#telemetry';
import { describeQuiet, type FollowUpFact, isChurnedAsOf, type IssueFact, lastContactOn, quietSince, repAssignedAt } from '#customer';
import { churnRisk, type ChurnFacts, type ChurnRiskLevel } from '../churn-risk/churn-risk';
import { renewalPipelineEntries, type PipelineEntry, type PipelineFacts, type PipelineFlag } from '../renewal-pipeline/renewal-pipeline';
import { daysWithoutLogin, unreadInquiries } from '../shared/customer-usage';

export type WorklistItemKind =
  | 'follow_up_due'
  | 'not_contacted'
  | 'no_login'
  | 'unread_inquiries'
  | 'expiring_under_contacted'
  | 'reminder_due'
  | 'issue_awaiting_resolution'
  | 'issue_awaiting_communication';

export interface WorklistItem {
  readonly kind: WorklistItemKind;
  readonly detail: string;
  readonly dueOn?: string;
}

export interface WorklistEntry {
  readonly customerId: string;
  readonly companyName: string;
  readonly repId: string;
  readonly risk: { readonly score: number; readonly level: ChurnRiskLevel };
  readonly items: readonly WorklistItem[];
}

/** What the worklist reads of a customer's facts: the churn score's, the pipeline's, follow-ups and issues. */
export interface WorklistFacts extends ChurnFacts, Omit<PipelineFacts, 'visits' | 'reminders'> {
  readonly keyAccount: boolean;
  readonly renewals: readonly { readonly on: string }[];
  readonly churns: readonly { readonly on: string; readonly termEnd: string }[];
  readonly followUps: readonly Pick<FollowUpFact, 'dueOn' | 'repId' | 'completedOn'>[];
  readonly issues: readonly Pick<IssueFact, 'category' | 'raisedOn' | 'resolvedOn' | 'communicatedOn'>[];
}

/** What one customer needs from `repId` on `asOf`: null unless assigned to the rep then, not churned, and something is due. */
export const worklistEntry = (
  doc: WorklistFacts,
  usage: UsageSeries,
  spend: SpendSeries,
  rules: ServiceRules,
  repId: string,
  asOf: string,
): WorklistEntry | null => {
  if (repAssignedAt(doc, asOf) !== repId || isChurnedAsOf(doc, asOf)) return null;
  const items = worklistItems(doc, usage, rules, repId, asOf);
  if (items.length === 0) return null;
  const { score, level } = churnRisk(doc, usage, spend, rules, asOf);
  return { customerId: doc.id, companyName: doc.companyName, repId, risk: { score, level }, items };
};

/** Everything due for the customer from `repId` on `asOf`, in the worklist's order of kinds. */
export const worklistItems = (doc: WorklistFacts, usage: UsageSeries, rules: ServiceRules, repId: string, asOf: string): WorklistItem[] => [
  ...followUpItems(doc, repId, asOf),
  ...contactItems(doc, rules, asOf),
  ...usageItems(doc, usage, rules, asOf),
  ...renewalPipelineEntries(doc, rules, asOf).flatMap((entry) => renewalItems(entry, rules)),
  ...issueItems(doc, asOf),
];

/** Riskiest customer first; ties by customer id so the day's list is stable. */
export const compareWorklist = (a: WorklistEntry, b: WorklistEntry): number =>
  b.risk.score - a.risk.score || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

const followUpItems = (doc: WorklistFacts, repId: string, asOf: string): WorklistItem[] =>
  doc.followUps
    .filter((followUp) => followUp.repId === repId && followUp.dueOn <= asOf && !(followUp.completedOn !== undefined && followUp.completedOn <= asOf))
    .map((followUp) => {
      const overdue = daysBetween(followUp.dueOn, asOf);
      const detail = overdue === 0 ? `follow-up due today` : `follow-up due ${followUp.dueOn}, ${overdue} days overdue`;
      return { kind: 'follow_up_due', detail, dueOn: followUp.dueOn };
    });

const contactItems = (doc: WorklistFacts, rules: ServiceRules, asOf: string): WorklistItem[] => {
  const limit = doc.keyAccount ? rules.visitCadence.keyAccountDays : rules.visitCadence.maxDays;
  const quiet = quietSince(doc, lastContactOn(doc, asOf), asOf);
  if (quiet.days <= limit) return [];
  return [{ kind: 'not_contacted', detail: `not contacted ${describeQuiet(quiet)}; cadence ${limit} days` }];
};

const usageItems = (doc: WorklistFacts, usage: UsageSeries, rules: ServiceRules, asOf: string): WorklistItem[] => {
  const items: WorklistItem[] = [];
  const firstTier = Math.min(...rules.churn.noLogin.map((tier) => tier.days));
  if (Number.isFinite(firstTier)) {
    const quiet = daysWithoutLogin(doc, usage, asOf, firstTier);
    if (quiet.days >= firstTier) items.push({ kind: 'no_login', detail: `no login ${describeQuiet(quiet)}` });
  }
  // Same look-back as the churn signal: the no-inquiry window.
  const unread = unreadInquiries(usage, asOf, rules.churn.noInquiry.windowDays);
  if (unread.count > 0) items.push({ kind: 'unread_inquiries', detail: `${unread.count} inquiries unread on ${unread.on}` });
  return items;
};

const renewalItems = (entry: PipelineEntry, rules: ServiceRules): WorklistItem[] =>
  entry.flags.map((flag: PipelineFlag): WorklistItem => {
    switch (flag) {
      case 'reminder_due':
        return {
          kind: 'reminder_due',
          detail: `term ends ${entry.termEnd} in ${entry.daysToEnd} days; no renewal reminder sent`,
          dueOn: addDays(entry.termEnd, -rules.reminderWindow.latestDaysBefore),
        };
      case 'under_contacted':
        return {
          kind: 'expiring_under_contacted',
          detail: `term ends ${entry.termEnd} in ${entry.daysToEnd} days; ${entry.contactsLast30Days} contacts in the last ${rules.expiring.windowDays} days, ${rules.expiring.minContacts} needed`,
        };
    }
  });

const issueItems = (doc: WorklistFacts, asOf: string): WorklistItem[] =>
  doc.issues
    .filter((issue) => issue.raisedOn <= asOf)
    .flatMap((issue): WorklistItem[] => {
      const resolved = issue.resolvedOn !== undefined && issue.resolvedOn <= asOf;
      if (!resolved) {
        return [{ kind: 'issue_awaiting_resolution', detail: `${issue.category} issue raised ${issue.raisedOn}, open ${daysBetween(issue.raisedOn, asOf)} days` }];
      }
      if (issue.communicatedOn !== undefined && issue.communicatedOn <= asOf) return [];
      return [{ kind: 'issue_awaiting_communication', detail: `${issue.category} issue resolved ${issue.resolvedOn}; resolution not yet communicated` }];
    });
