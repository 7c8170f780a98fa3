import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { SpendLeaderboard } from './spend-leaderboard';
import type { BoardTotals, GroupRow, RepRow } from './spend-leaderboard-rows';
import { DayField } from '#fields';
import { DayRangeType } from '../rep-kpis/rep-kpis.graphql';

/** A board row sums the spend of many customers: past 2^31 fen for a busy group, beyond GraphQL's 32-bit Int. */
const SUMMED_FEN = 'in fen (1 CNY = 100 fen); a Float because sums over many customers can exceed a 32-bit Int';

@ArgsType()
export class SpendLeaderboardArgs {
  @Field(() => String, { description: 'Any day of the week (weeks run Monday–Sunday; YYYY-MM-DD)' })
  @DayField()
  week: string;
}

@ObjectType('BoardTotals', { isAbstract: true })
abstract class BoardTotalsType implements BoardTotals {
  @Field(() => Int) readonly rank: number;
  @Field(() => Int, { description: 'Customers counted in the row' }) readonly customers: number;
  @Field(() => Float, { description: `Spend in the week, ${SUMMED_FEN}` }) readonly spendFen: number;
  @Field(() => Float, { description: `Spend in the week before, ${SUMMED_FEN}` }) readonly previousSpendFen: number;
  @Field(() => Float, { description: `spendFen − previousSpendFen, ${SUMMED_FEN}; rows are ranked by it` }) readonly incrementFen: number;
  @Field(() => Float, { nullable: true, description: 'Increment over the previous week’s spend in percent (one decimal); null when that spend was 0' })
  readonly incrementPercent: number | null;
  @Field(() => Int, { description: 'Customers that went dead in the week' }) readonly deaths: number;
  @Field(() => Int, { description: 'Customers that came back in the week' }) readonly revivals: number;
}

@ObjectType('LeaderboardRepRow')
export class RepRowType extends BoardTotalsType implements RepRow {
  @Field(() => String) readonly repId: string;
  @Field(() => String) readonly repName: string;
}

@ObjectType('LeaderboardGroupRow')
export class GroupRowType extends BoardTotalsType implements GroupRow {
  @Field(() => String) readonly groupId: string;
  @Field(() => String) readonly groupName: string;
  @Field(() => Int, { description: 'Reps in the group at the end of the week' }) readonly reps: number;
}

@ObjectType('SpendLeaderboard', { description: 'The weekly spend-increase boards over bidding customers' })
export class SpendLeaderboardType implements SpendLeaderboard {
  @Field(() => DayRangeType, { description: 'Monday to Sunday' }) readonly week: DayRangeType;
  @Field(() => [RepRowType], { description: 'Per rep, over the rep’s customers that are not key accounts this week' }) readonly regular: readonly RepRowType[];
  @Field(() => [RepRowType], { description: 'Per rep, over the rep’s key accounts this week' }) readonly keyAccounts: readonly RepRowType[];
  @Field(() => [GroupRowType], { description: 'Per group, over all customers of the group’s reps' }) readonly groups: readonly GroupRowType[];
}
