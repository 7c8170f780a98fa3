import { daysBetween, type Period, type ServiceRules } from '#shared-kernel';
import type { VisitChannel, VisitLevel } from '../domain/customer.events';
import type { CustomerFactsDoc, VisitFact } from './customer-facts.doc';

/**
 * Visit quality over a period (DOMAIN.md view 9, seed 003): how much level-1 work got its level-2 verification,
 * whether visits reached the decision maker, satisfaction, and multi-head visits (多头回访).
 *
 * - Verified share = level-1 customers verified ÷ customers visited at level 1 in the period, where a customer is
 *   verified when a level-2 visit (by anyone) in the period falls on or after its first level-1 visit in the period.
 *   Counting customers keeps the share within 0–1 however many times a customer is called.
 * - Multi-head: a level-1 visit is a multi-head visit when a different rep visited the same customer at level 1
 *   within the window before it (at most `multiHeadWindowDays − 1` days earlier, the same day included). A level-2
 *   visit is the intended second level and never counts. The involved visits of a customer that lie within the
 *   window of each other form one case; a case belongs to the period holding a multi-head visit.
 */

export interface SatisfactionFigures {
  readonly count: number;
  /** Average score, two decimals; null without scores. */
  readonly average: number | null;
  /** Scores 1 to 5: distribution[0] counts 1s … distribution[4] counts 5s. */
  readonly distribution: readonly number[];
  /** Scores at or below the configured low mark. */
  readonly low: number;
  readonly lowShare: number | null;
}

export interface VisitQualityFigures {
  readonly visits: number;
  readonly levelOne: number;
  readonly levelTwo: number;
  readonly customersVisited: number;
  readonly levelOneCustomers: number;
  readonly verifiedCustomers: number;
  /** verifiedCustomers ÷ levelOneCustomers; null when no customer was visited at level 1. */
  readonly verifiedShare: number | null;
  readonly reached: number;
  /** reached ÷ visits; null without visits. */
  readonly reachedShare: number | null;
  /** Reached visits that spoke to the decision maker. */
  readonly decisionMaker: number;
  /** decisionMaker ÷ reached; null when nothing was reached. */
  readonly decisionMakerShare: number | null;
  readonly satisfaction: SatisfactionFigures;
  /** Level-1 visits that followed another rep's level-1 visit of the customer within the window. */
  readonly multiHeadVisits: number;
}

export interface RepVisitQuality extends VisitQualityFigures {
  readonly repId: string;
}

export interface MultiHeadVisit {
  readonly visitId: string;
  readonly on: string;
  readonly repId: string;
  /** The visiting rep's group on the day. */
  readonly groupId: string | null;
  readonly serviceRepId: string;
  readonly channel: VisitChannel;
  readonly level: VisitLevel;
  /** True for the visits that came after another rep's within the window. */
  readonly multiHead: boolean;
}

export interface MultiHeadCase {
  readonly customerId: string;
  readonly companyName: string;
  readonly from: string;
  readonly to: string;
  /** The reps involved, in the order they visited. */
  readonly repIds: readonly string[];
  /** Whether the reps were in different groups (departments) on their visit days. */
  readonly crossGroup: boolean;
  readonly visits: readonly MultiHeadVisit[];
}

export interface VisitQuality {
  readonly period: Period;
  readonly multiHeadWindowDays: number;
  readonly reps: readonly RepVisitQuality[];
  /** Every visit in the viewer's scope: made by a rep in scope or to a customer a rep in scope was responsible for. */
  readonly scope: VisitQualityFigures;
  readonly multiHead: { readonly cases: number; readonly customers: number; readonly list: readonly MultiHeadCase[] };
}

export interface VisitQualityInput {
  readonly period: Period;
  readonly customers: Iterable<CustomerFactsDoc>;
  readonly inScope: (repId: string) => boolean;
  /** Reps that get a row even without visits; reps in scope with visits in the period get one anyway. */
  readonly repIds: readonly string[];
  readonly groupOf: (repId: string, day: string) => string | undefined;
  readonly rules: ServiceRules['visitQuality'];
}

interface Entry {
  readonly doc: CustomerFactsDoc;
  readonly visit: VisitFact;
  readonly multiHead: boolean;
  readonly inScope: boolean;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Visits of a customer in date order; event order breaks ties (a later-recorded visit on the same day comes second). */
const inDateOrder = (visits: readonly VisitFact[]): VisitFact[] =>
  visits.map((visit, index) => ({ visit, index })).sort((a, b) => (a.visit.on === b.visit.on ? a.index - b.index : a.visit.on < b.visit.on ? -1 : 1)).map((x) => x.visit);

const figures = (entries: readonly Entry[], levelTwoDays: (customerId: string) => readonly string[], lowAtMost: number): VisitQualityFigures => {
  const firstLevelOne = new Map<string, string>();
  for (const { doc, visit } of entries) {
    if (visit.level !== 1) continue;
    const first = firstLevelOne.get(doc.id);
    if (first === undefined || visit.on < first) firstLevelOne.set(doc.id, visit.on);
  }
  const verified = [...firstLevelOne].filter(([customerId, first]) => levelTwoDays(customerId).some((day) => day >= first)).length;
  const reached = entries.filter((e) => e.visit.reached);
  const decisionMaker = reached.filter((e) => e.visit.contactRole === 'decision_maker').length;
  const scores = entries.map((e) => e.visit.satisfaction).filter((s): s is number => s !== undefined);
  const distribution = [1, 2, 3, 4, 5].map((score) => scores.filter((s) => s === score).length);
  const low = scores.filter((s) => s <= lowAtMost).length;
  const sum = scores.reduce((total, s) => total + s, 0);
  return {
    visits: entries.length,
    levelOne: entries.filter((e) => e.visit.level === 1).length,
    levelTwo: entries.filter((e) => e.visit.level === 2).length,
    customersVisited: new Set(entries.map((e) => e.doc.id)).size,
    levelOneCustomers: firstLevelOne.size,
    verifiedCustomers: verified,
    verifiedShare: share(verified, firstLevelOne.size),
    reached: reached.length,
    reachedShare: share(reached.length, entries.length),
    decisionMaker,
    decisionMakerShare: share(decisionMaker, reached.length),
    satisfaction: {
      count: scores.length,
      average: scores.length === 0 ? null : Math.round((sum / scores.length) * 100) / 100,
      distribution,
      low,
      lowShare: share(low, scores.length),
    },
    multiHeadVisits: entries.filter((e) => e.multiHead).length,
  };
};

export const visitQuality = (input: VisitQualityInput): VisitQuality => {
  const { period, inScope, groupOf, rules } = input;
  const window = rules.multiHeadWindowDays;
  const visible = (visit: { readonly repId: string; readonly serviceRepId: string }) => inScope(visit.repId) || inScope(visit.serviceRepId);
  const entries: Entry[] = [];
  const levelTwo = new Map<string, string[]>();
  const cases: MultiHeadCase[] = [];
  for (const doc of input.customers) {
    const ordered = inDateOrder(doc.visits.filter((visit) => visit.on <= period.to));
    const levelOne = ordered.filter((visit) => visit.level === 1);
    const involved = new Map<VisitFact, boolean>();
    for (const [i, visit] of levelOne.entries()) {
      if (visit.on < period.from) continue;
      const earlier = levelOne.slice(0, i).filter((u) => u.repId !== visit.repId && daysBetween(u.on, visit.on) < window);
      if (earlier.length === 0) continue;
      involved.set(visit, true);
      for (const u of earlier) if (!involved.has(u)) involved.set(u, false);
    }
    for (const visit of ordered) {
      if (visit.on < period.from) continue;
      if (visit.level === 2) levelTwo.set(doc.id, [...(levelTwo.get(doc.id) ?? []), visit.on]);
      entries.push({ doc, visit, multiHead: involved.get(visit) === true, inScope: visible(visit) });
    }
    cases.push(...casesOf(doc, ordered.filter((visit) => involved.has(visit)), involved, window, groupOf).filter((c) => c.visits.some(visible)));
  }
  const scoped = entries.filter((e) => e.inScope);
  const levelTwoDays = (customerId: string) => levelTwo.get(customerId) ?? [];
  const repIds = [...new Set([...input.repIds, ...scoped.map((e) => e.visit.repId).filter(inScope)])].sort();
  cases.sort((a, b) => (a.from === b.from ? (a.customerId < b.customerId ? -1 : 1) : a.from < b.from ? -1 : 1));
  return {
    period,
    multiHeadWindowDays: window,
    reps: repIds.map((repId) => ({ repId, ...figures(scoped.filter((e) => e.visit.repId === repId), levelTwoDays, rules.lowSatisfactionAtMost) })),
    scope: figures(scoped, levelTwoDays, rules.lowSatisfactionAtMost),
    multiHead: { cases: cases.length, customers: new Set(cases.map((c) => c.customerId)).size, list: cases },
  };
};

/** The involved visits of one customer (date order), split where two are further apart than the window. */
const casesOf = (
  doc: CustomerFactsDoc,
  visits: readonly VisitFact[],
  multiHead: ReadonlyMap<VisitFact, boolean>,
  window: number,
  groupOf: VisitQualityInput['groupOf'],
): MultiHeadCase[] => {
  const clusters: VisitFact[][] = [];
  for (const visit of visits) {
    const last = clusters[clusters.length - 1];
    if (last && daysBetween(last[last.length - 1]!.on, visit.on) < window) last.push(visit);
    else clusters.push([visit]);
  }
  return clusters.map((cluster) => {
    const rows: MultiHeadVisit[] = cluster.map((visit) => ({
      visitId: visit.visitId,
      on: visit.on,
      repId: visit.repId,
      groupId: groupOf(visit.repId, visit.on) ?? null,
      serviceRepId: visit.serviceRepId,
      channel: visit.channel,
      level: visit.level,
      multiHead: multiHead.get(visit) === true,
    }));
    return {
      customerId: doc.id,
      companyName: doc.companyName,
      from: cluster[0]!.on,
      to: cluster[cluster.length - 1]!.on,
      repIds: [...new Set(cluster.map((visit) => visit.repId))],
      crossGroup: new Set(rows.map((row) => row.groupId)).size > 1,
      visits: rows,
    };
  });
};
