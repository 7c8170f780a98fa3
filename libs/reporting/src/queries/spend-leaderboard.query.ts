import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CustomerFactsDoc } from '../../../customer/src/read-models/customer-facts.doc';
import { addDays } from '../../../shared-kernel/src/dates';
import { Forbidden } from '../../../shared-kernel/src/errors';
import type { Actor } from '../../../shared-kernel/src/metadata';
import { weekStart } from '../../../shared-kernel/src/periods';
import type { SpendSeries } from '../../../telemetry/src/read-models/daily-series';
import { spendLeaderboard, type SpendLeaderboard } from '../../../telemetry/src/read-models/spend-leaderboard';
import { ReadSideData } from '../read-side-data';

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
 * read it; it is memoised per week until a document it reads changes.
 */
@QueryHandler(GetSpendLeaderboard)
export class GetSpendLeaderboardHandler implements IQueryHandler<GetSpendLeaderboard, SpendLeaderboard> {
  private readonly memo = new Map<string, { key: string; board: SpendLeaderboard }>();

  constructor(private readonly data: ReadSideData) {}

  async execute({ actor, week }: GetSpendLeaderboard): Promise<SpendLeaderboard> {
    if (actor.role === 'platform') throw new Forbidden('The platform identity reports telemetry; it cannot read views');
    const from = weekStart(week);
    const rules = this.data.rules;
    // Back far enough for W−1 and for a death by 30 quiet days to be seen starting inside W.
    const lookBackFrom = addDays(from, -(7 + rules.leaderboard.deadAfterDays + 7));
    const [customers, reps, groups, telemetry] = await Promise.all([
      this.data.customers(),
      this.data.reps(),
      this.data.groups(),
      this.data.telemetry(lookBackFrom, addDays(from, 6)),
    ]);
    const bidding: CustomerFactsDoc[] = [];
    const spend = new Map<string, SpendSeries>();
    const stamps: string[] = [String(customers.version), String(reps.version), String(groups.version)];
    for (const doc of customers.docs.values()) {
      if (doc.product !== 'bidding' || doc.signedOn > addDays(from, 6)) continue;
      bidding.push(doc);
      const window = telemetry.of(doc.id);
      spend.set(doc.id, window.spend);
      stamps.push(window.version);
    }
    const key = stamps.join('|');
    const memo = this.memo.get(from);
    if (memo?.key === key) return memo.board;
    const board = spendLeaderboard({ weekStart: from, customers: bidding, spend, reps: [...reps.docs.values()], groups: [...groups.docs.values()], rules });
    this.memo.set(from, { key, board });
    return board;
  }
}
