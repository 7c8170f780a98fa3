import { daysBetween, weekEnd, weekStart } from '#shared-kernel';
import { ISSUE_CATEGORIES, type IssueCategory, type VisitLevel } from '../domain/customer.events';
import type { CustomerFactsDoc, IssueFact } from './customer-facts.doc';
import { repAssignedAt } from './customer-timeline';

/**
 * The weekly feedback report for operations (seed 000 G: each week the customers' problems are summed up for the
 * technical, content and operations departments). Counts only facts dated from Monday to `through`, the last
 * day counted: the Sunday, or an earlier `asOf` while the week is still running, so a past week answers as it did then.
 * An issue is closed only once its resolution was communicated to the customer.
 */

/** Where an issue stands on a day: not resolved, resolved but not told, or told (closed). */
export type IssueStatus = 'open' | 'resolved' | 'communicated';
/** A feedback item is filed under the categories of the issues its visit raised, or `general`. */
export type FeedbackCategory = IssueCategory | 'general';

export interface CategoryCounts {
  /** Issues raised in the week (up to `through`). */
  readonly raised: number;
  /** Of those, resolved by `through` (communicated or not). */
  readonly raisedResolved: number;
  /** Of those, communicated by `through`: closed. */
  readonly raisedCommunicated: number;
  /** Of those, not closed at `through`: raised − raisedCommunicated. */
  readonly raisedOpen: number;
  /** Issues resolved in the week, whenever raised. */
  readonly resolvedInWeek: number;
  /** Issues whose resolution was communicated in the week, whenever raised. */
  readonly communicatedInWeek: number;
  /** Issues not closed at `through`, whenever raised: awaitingResolution + awaitingCommunication. */
  readonly backlog: number;
  readonly backlogAwaitingResolution: number;
  readonly backlogAwaitingCommunication: number;
  /** Age in days at `through` of the oldest issue in the backlog; null when the backlog is empty. */
  readonly oldestBacklogDays: number | null;
}

export interface CategoryRow extends CategoryCounts {
  readonly category: IssueCategory;
}

export interface FeedbackItem {
  readonly day: string;
  readonly customerId: string;
  readonly companyName: string;
  readonly visitId: string;
  /** Who made the visit. */
  readonly repId: string;
  /** The service rep responsible for the customer at the time of the visit. */
  readonly serviceRepId: string;
  readonly level: VisitLevel;
  readonly satisfaction: number | null;
  readonly categories: readonly FeedbackCategory[];
  /** Issues the visit raised (known by `through`). */
  readonly issueIds: readonly string[];
  readonly feedback: string;
}

export interface IssueItem {
  readonly issueId: string;
  readonly customerId: string;
  readonly companyName: string;
  /** The service rep assigned to the customer at `through`, who owes the customer the answer. */
  readonly serviceRepId: string | null;
  readonly category: IssueCategory;
  readonly description: string;
  readonly visitId: string | null;
  readonly raisedOn: string;
  readonly raisedBy: string;
  /** Status at `through`. */
  readonly status: IssueStatus;
  readonly resolvedOn: string | null;
  readonly communicatedOn: string | null;
  /** Days from raising to `through`. */
  readonly ageDays: number;
}

export interface WeeklyFeedback {
  /** Monday to Sunday. */
  readonly week: { readonly from: string; readonly to: string };
  /** The last day counted: the Sunday, or `asOf` when that is earlier. */
  readonly through: string;
  /** Whether the whole week is counted (`through` is the Sunday). */
  readonly complete: boolean;
  /** One row per issue category, in the domain's order, zeros included. */
  readonly categories: readonly CategoryRow[];
  readonly totals: CategoryCounts;
  /** Visits of the week that wrote down what the customer said, by day. */
  readonly feedback: readonly FeedbackItem[];
  /** Issues raised in the week with their description and status at `through`, by category then day. */
  readonly issuesRaised: readonly IssueItem[];
  /** Issues not closed at `through`, oldest first. */
  readonly backlog: readonly IssueItem[];
}

/** Where an issue stands at the end of `day`, or undefined when it was raised later. */
export const issueStatusOn = (issue: IssueFact, day: string): IssueStatus | undefined => {
  if (issue.raisedOn > day) return undefined;
  if (issue.communicatedOn !== undefined && issue.communicatedOn <= day) return 'communicated';
  if (issue.resolvedOn !== undefined && issue.resolvedOn <= day) return 'resolved';
  return 'open';
};

const inRange = (day: string | undefined, from: string, to: string): boolean => day !== undefined && day >= from && day <= to;

/** The feedback report of the ISO week holding `weekOf`, counting facts up to `asOf` when that is earlier than the Sunday. */
export const weeklyFeedback = (customers: Iterable<CustomerFactsDoc>, weekOf: string, asOf?: string): WeeklyFeedback => {
  const from = weekStart(weekOf);
  const to = weekEnd(weekOf);
  if (asOf !== undefined && asOf < from) throw new RangeError(`asOf ${asOf} is before the week starting ${from}`);
  const through = asOf !== undefined && asOf < to ? asOf : to;
  const feedback: FeedbackItem[] = [];
  const issues: IssueItem[] = [];
  for (const doc of customers) {
    if (doc.signedOn > through) continue;
    const known = doc.issues.filter((issue) => issue.raisedOn <= through);
    for (const visit of doc.visits) {
      if (!inRange(visit.on, from, through) || visit.feedback === undefined) continue;
      const raised = known.filter((issue) => issue.visitId === visit.visitId);
      const categories = ISSUE_CATEGORIES.filter((category) => raised.some((issue) => issue.category === category));
      feedback.push({
        day: visit.on,
        customerId: doc.id,
        companyName: doc.companyName,
        visitId: visit.visitId,
        repId: visit.repId,
        serviceRepId: visit.serviceRepId,
        level: visit.level,
        satisfaction: visit.satisfaction ?? null,
        categories: categories.length > 0 ? categories : ['general'],
        issueIds: raised.map((issue) => issue.issueId),
        feedback: visit.feedback,
      });
    }
    const serviceRepId = repAssignedAt(doc, through) ?? null;
    for (const issue of known) {
      issues.push({
        issueId: issue.issueId,
        customerId: doc.id,
        companyName: doc.companyName,
        serviceRepId,
        category: issue.category,
        description: issue.description,
        visitId: issue.visitId ?? null,
        raisedOn: issue.raisedOn,
        raisedBy: issue.raisedBy,
        status: issueStatusOn(issue, through)!,
        resolvedOn: inRange(issue.resolvedOn, issue.raisedOn, through) ? issue.resolvedOn! : null,
        communicatedOn: inRange(issue.communicatedOn, issue.raisedOn, through) ? issue.communicatedOn! : null,
        ageDays: daysBetween(issue.raisedOn, through),
      });
    }
  }
  const categoryOrder = (c: IssueCategory) => ISSUE_CATEGORIES.indexOf(c);
  const byDay = <T>(key: (item: T) => string[]) => (a: T, b: T) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  };
  feedback.sort(byDay((item) => [item.day, item.customerId, item.visitId]));
  const issuesRaised = issues
    .filter((issue) => issue.raisedOn >= from)
    .sort(byDay((issue) => [String(categoryOrder(issue.category)), issue.raisedOn, issue.customerId, issue.issueId]));
  const backlog = issues.filter((issue) => issue.status !== 'communicated').sort(byDay((issue) => [issue.raisedOn, issue.customerId, issue.issueId]));
  const count = (subset: readonly IssueItem[]): CategoryCounts => {
    const raised = subset.filter((issue) => issue.raisedOn >= from);
    const open = subset.filter((issue) => issue.status !== 'communicated');
    return {
      raised: raised.length,
      raisedResolved: raised.filter((issue) => issue.resolvedOn !== null).length,
      raisedCommunicated: raised.filter((issue) => issue.status === 'communicated').length,
      raisedOpen: raised.filter((issue) => issue.status !== 'communicated').length,
      resolvedInWeek: subset.filter((issue) => inRange(issue.resolvedOn ?? undefined, from, through)).length,
      communicatedInWeek: subset.filter((issue) => inRange(issue.communicatedOn ?? undefined, from, through)).length,
      backlog: open.length,
      backlogAwaitingResolution: open.filter((issue) => issue.status === 'open').length,
      backlogAwaitingCommunication: open.filter((issue) => issue.status === 'resolved').length,
      oldestBacklogDays: open.length === 0 ? null : Math.max(...open.map((issue) => issue.ageDays)),
    };
  };
  return {
    week: { from, to },
    through,
    complete: through === to,
    categories: ISSUE_CATEGORIES.map((category) => ({ category, ...count(issues.filter((issue) => issue.category === category)) })),
    totals: count(issues),
    feedback,
    issuesRaised,
    backlog,
  };
};
