import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CUSTOMER_FACTS_READ_MODEL } from '#customer';
import { liveTarget, type Target } from '#read-store';
import { type Actor, addDays, Forbidden, weekStart } from '#shared-kernel';
import { STAFF_READ_MODEL } from '#staff';
import { spendSeries, TELEMETRY_READ_MODEL } from '#telemetry';
import { boardsOf, spendLeaderboard, type RepBoardTotals, type SpendLeaderboard } from './spend-leaderboard';
import { boardTotals } from './spend-leaderboard-rows';
import { FactReads } from '../shared/fact-reads';
import {
  CONTRIBUTIONS_BY_WEEK,
  CONTRIBUTIONS_COLLECTION,
  KEPT_WEEKS,
  LEADERBOARD_CALENDAR_COLLECTION,
  LEADERBOARD_CALENDAR_DOC_ID,
  SPEND_LEADERBOARD_READ_MODEL,
  type LeaderboardCalendarDoc,
} from './spend-leaderboard.doc';

export class GetSpendLeaderboard extends Query<SpendLeaderboard> {
  constructor(
    readonly actor: Actor,
    /** Any day of the week asked for. */
    readonly week: string,
  ) {
    super();
  }
}

const SUMMED = ['spendFen', 'previousSpendFen', 'deaths', 'revivals'] as const;

/** Whether the read model keeps the week starting `from`: one of the last eight, from its first Monday on. */
export const keepsWeek = (calendar: Pick<LeaderboardCalendarDoc, 'day' | 'firstMonday'> | undefined, from: string): boolean => {
  if (!calendar || calendar.firstMonday === null) return false;
  const current = weekStart(calendar.day);
  return from >= calendar.firstMonday && from <= current && from > addDays(current, -7 * KEPT_WEEKS);
};

/**
 * The weekly spend-increase boards. Published to the whole team (reps compete on it), so every staff role may
 * read it. A week the leaderboard read model keeps (the last eight) is one sum per rep and board over the week's
 * contributions, through one index; any other week is computed from the bidding customers' facts and spend. Answers
 * are kept per week while the read models they come from stand still.
 */
@QueryHandler(GetSpendLeaderboard)
export class GetSpendLeaderboardHandler implements IQueryHandler<GetSpendLeaderboard, SpendLeaderboard> {
  private readonly kept;
  private readonly computed;

  constructor(private readonly facts: FactReads) {
    this.kept = facts.answers<SpendLeaderboard>(SPEND_LEADERBOARD_READ_MODEL, STAFF_READ_MODEL);
    this.computed = facts.answers<SpendLeaderboard>(CUSTOMER_FACTS_READ_MODEL, TELEMETRY_READ_MODEL, STAFF_READ_MODEL);
  }

  async execute({ actor, week }: GetSpendLeaderboard): Promise<SpendLeaderboard> {
    if (actor.role === 'platform') throw new Forbidden('The platform identity reports telemetry; it cannot read views');
    const from = weekStart(week);
    const target = await liveTarget(this.facts.store, SPEND_LEADERBOARD_READ_MODEL);
    const calendar = (await this.facts.store.load(target, LEADERBOARD_CALENDAR_COLLECTION, [LEADERBOARD_CALENDAR_DOC_ID])).get(LEADERBOARD_CALENDAR_DOC_ID)?.doc as LeaderboardCalendarDoc | undefined;
    if (keepsWeek(calendar, from)) {
      const cached = await this.kept.get(from);
      return cached.value ?? cached.keep(await this.fromReadModel(target, from));
    }
    const cached = await this.computed.get(from);
    return cached.value ?? cached.keep(await this.fromFacts(from));
  }

  private async fromReadModel(target: Target, from: string): Promise<SpendLeaderboard> {
    const [sums, staff, groups] = await Promise.all([
      this.facts.store.aggregate(target, CONTRIBUTIONS_COLLECTION, { week: from, listed: true }, { groupBy: ['repId', 'keyAccount'], sum: SUMMED, hint: CONTRIBUTIONS_BY_WEEK }),
      this.facts.staff(),
      this.facts.groups(),
    ]);
    const rows: RepBoardTotals[] = sums.map((row) => ({
      repId: row.key.repId as string,
      keyAccount: row.key.keyAccount as boolean,
      totals: boardTotals({ customers: row.count, spendFen: row.sums.spendFen!, previousSpendFen: row.sums.previousSpendFen!, deaths: row.sums.deaths!, revivals: row.sums.revivals! }),
    }));
    return boardsOf(from, rows, [...(await staff.allReps()).values()], [...groups.values()]);
  }

  /** A week the read model does not keep: the bidding customers by the product index, their spend months by id. */
  private async fromFacts(from: string): Promise<SpendLeaderboard> {
    const rules = this.facts.rules;
    // Back far enough for W−1 and for a death by 30 quiet days to be seen starting inside W.
    const lookBackFrom = addDays(from, -(7 + rules.leaderboard.deadAfterDays + 7));
    const bidding = (await this.facts.customers({ product: 'bidding' })).filter((doc) => doc.signedOn <= addDays(from, 6));
    const [staff, groups, spent] = await Promise.all([this.facts.staff(), this.facts.groups(), this.facts.spend(bidding.map((doc) => doc.id), lookBackFrom, addDays(from, 6))]);
    // A customer without spend in the window has an empty series, as one with spend has its own.
    const spend = new Map(bidding.map((doc) => [doc.id, spent.get(doc.id) ?? spendSeries([])]));
    const reps = [...(await staff.allReps()).values()];
    return spendLeaderboard({ weekStart: from, customers: bidding, spend, reps, groups: [...groups.values()], rules });
  }
}
