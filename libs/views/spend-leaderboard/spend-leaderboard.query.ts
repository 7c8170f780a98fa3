import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CUSTOMER_FACTS_PROJECTION } from '../../customer/src/read-models/customer-facts.doc';
import { addDays } from '../../shared-kernel/src/dates';
import { Forbidden } from '../../shared-kernel/src/errors';
import type { Actor } from '../../shared-kernel/src/metadata';
import { weekStart } from '../../shared-kernel/src/periods';
import { STAFF_PROJECTION } from '../../staff/src/read-models/staff.doc';
import { spendSeries } from '../../telemetry/src/read-models/daily-series';
import { spendLeaderboard, type SpendLeaderboard } from '../../telemetry/src/read-models/spend-leaderboard';
import { TELEMETRY_PROJECTION } from '../../telemetry/src/read-models/telemetry-months.doc';
import { FactReads } from '../shared/fact-reads';

export class GetSpendLeaderboard extends Query<SpendLeaderboard> {
  constructor(
    readonly actor: Actor,
    /** Any day of the week asked for. */
    readonly week: string,
  ) {
    super();
  }
}

/**
 * The weekly spend-increase boards. Published to the whole team (reps compete on it), so every staff role may
 * read it. Computed from the bidding customers (by the product index) and their spend months (by id), and kept per
 * week until one of those read models moves.
 */
@QueryHandler(GetSpendLeaderboard)
export class GetSpendLeaderboardHandler implements IQueryHandler<GetSpendLeaderboard, SpendLeaderboard> {
  private readonly answers;

  constructor(private readonly facts: FactReads) {
    this.answers = facts.answers<SpendLeaderboard>(CUSTOMER_FACTS_PROJECTION, TELEMETRY_PROJECTION, STAFF_PROJECTION);
  }

  async execute({ actor, week }: GetSpendLeaderboard): Promise<SpendLeaderboard> {
    if (actor.role === 'platform') throw new Forbidden('The platform identity reports telemetry; it cannot read views');
    const from = weekStart(week);
    const cached = await this.answers.get(from);
    if (cached.value) return cached.value;
    const rules = this.facts.rules;
    // Back far enough for W−1 and for a death by 30 quiet days to be seen starting inside W.
    const lookBackFrom = addDays(from, -(7 + rules.leaderboard.deadAfterDays + 7));
    const bidding = (await this.facts.customers({ product: 'bidding' })).filter((doc) => doc.signedOn <= addDays(from, 6));
    const [staff, groups, spent] = await Promise.all([this.facts.staff(), this.facts.groups(), this.facts.spend(bidding.map((doc) => doc.id), lookBackFrom, addDays(from, 6))]);
    // A customer without spend in the window has an empty series, as one with spend has its own.
    const spend = new Map(bidding.map((doc) => [doc.id, spent.get(doc.id) ?? spendSeries([])]));
    const reps = [...(await staff.allReps()).values()];
    return cached.keep(spendLeaderboard({ weekStart: from, customers: bidding, spend, reps, groups: [...groups.values()], rules }));
  }
}
