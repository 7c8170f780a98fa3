import { addDays, type ServiceRules } from '#shared-kernel';
import type { SpendSeries } from '#telemetry';

/** Customer activity (客户活跃度) of a bidding customer, read day by day from its spend series. */
export type ActivityState = 'active' | 'dormant' | 'dead';

export interface ActivityTransition {
  readonly day: string;
  readonly from: ActivityState;
  readonly to: ActivityState;
  /** `no_spend`: a run of days without spend; `lapsed`: a lapsed term; `spend`: spend again after dormant or dead. */
  readonly cause: 'no_spend' | 'lapsed' | 'spend';
}

export interface ActivityInput {
  /** Undefined when the customer never reported spend: every day reads as no spend. */
  readonly series: SpendSeries | undefined;
  readonly signedOn: string;
  /** Days of the customer's lapsed-term churns. */
  readonly lapsedOn: readonly string[];
  /** First day to judge; transitions before it are not reported. */
  readonly from: string;
  readonly to: string;
  readonly rules: ServiceRules;
}

export const isDeath = (transition: ActivityTransition): boolean => transition.to === 'dead';
export const isRevival = (transition: ActivityTransition): boolean => transition.cause === 'spend';

/** Reading back the longest run lets any run ending in [from, …] be seen whole, and a silence older than it be dead before `from`. */
export const activityScanStart = (from: string, signedOn: string, rules: ServiceRules): string => {
  const lookback = addDays(from, -Math.max(rules.leaderboard.deadAfterDays, rules.leaderboard.dormantAfterDays));
  return lookback > signedOn ? lookback : signedOn;
};

/** State changes on the days in [from, to]: the state machine runs from the scan start so the state at `from` is known. */
export const activityTransitions = ({ series, signedOn, lapsedOn, from, to, rules }: ActivityInput): ActivityTransition[] => {
  const { dormantAfterDays, deadAfterDays } = rules.leaderboard;
  const lapsed = new Set(lapsedOn);
  const transitions: ActivityTransition[] = [];
  let state: ActivityState = 'active';
  let daysWithoutSpend = 0;
  const move = (day: string, previous: ActivityState, next: ActivityState, cause: ActivityTransition['cause']): ActivityState => {
    if (day >= from) transitions.push({ day, from: previous, to: next, cause });
    return next;
  };
  for (let day = activityScanStart(from, signedOn, rules); day <= to; day = addDays(day, 1)) {
    if ((series?.value('spendFen', day) ?? 0) > 0) {
      daysWithoutSpend = 0;
      if (state !== 'active') state = move(day, state, 'active', 'spend');
    } else {
      daysWithoutSpend += 1;
      if (daysWithoutSpend >= deadAfterDays && state !== 'dead') state = move(day, state, 'dead', 'no_spend');
      else if (daysWithoutSpend >= dormantAfterDays && state === 'active') state = move(day, state, 'dormant', 'no_spend');
    }
    // The term lapses at the end of its day, after that day's spend.
    if (lapsed.has(day) && state !== 'dead') state = move(day, state, 'dead', 'lapsed');
  }
  return transitions;
};
