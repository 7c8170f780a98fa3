import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ChurnRiskQuery, GetChurnRisk, GetRenewalPipeline, GetRepKpis, GetSpendLeaderboard, GetTeamKpis, GetWorklist, KpisQuery, LeaderboardQuery, paging, PipelineQuery, TeamKpisQuery, WorklistQuery } from '#views';
import type { Actor } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { IdPipe } from '../http/id.pipe';

/**
 * The read models, scoped by role: a rep sees their own customers and work, a supervisor their group's,
 * managers, admins and analysts everything. Dates are business days; "now" is always an explicit `asOf`.
 */
@ApiTags('views')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'A query parameter is missing or malformed; the message names it' })
@ApiResponse({ status: 403, description: 'Outside the caller’s scope' })
@ApiResponse({ status: 503, description: 'The read model is not built yet' })
@Controller()
export class ViewsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('churn-risk')
  @ApiOperation({ summary: 'Customers by churn-risk score on asOf, riskiest first, each with its reasons' })
  churnRisk(@CurrentActor() actor: Actor, @Query() query: ChurnRiskQuery) {
    const { asOf, repId, groupId, level, product } = query;
    return this.queryBus.execute(new GetChurnRisk(actor, { asOf, repId, groupId, level, product }, paging(query)));
  }

  @Get('renewal-pipeline')
  @ApiOperation({ summary: 'Terms ending within the configured windows (or just ended), with reminders, contacts, flags and status' })
  renewalPipeline(@CurrentActor() actor: Actor, @Query() query: PipelineQuery) {
    const { asOf, status, flag, repId, groupId } = query;
    const window = query.window === undefined ? undefined : query.window === 'ended' ? 'ended' : Number(query.window);
    return this.queryBus.execute(new GetRenewalPipeline(actor, { asOf, window, status, flag, repId, groupId }, paging(query)));
  }

  @Get('reps/:repId/worklist')
  @ApiOperation({ summary: "A rep's day: customers with follow-ups, contacts, reminders or issues due, riskiest first" })
  worklist(@CurrentActor() actor: Actor, @Param('repId', IdPipe) repId: string, @Query() query: WorklistQuery) {
    return this.queryBus.execute(new GetWorklist(actor, repId, query.date));
  }

  @Get('reps/:repId/kpis')
  @ApiOperation({ summary: "A rep's KPIs for the day, ISO week or month holding `date`" })
  repKpis(@CurrentActor() actor: Actor, @Param('repId', IdPipe) repId: string, @Query() query: KpisQuery) {
    return this.queryBus.execute(new GetRepKpis(actor, repId, query.period, query.date));
  }

  @Get('kpis')
  @ApiOperation({ summary: 'KPIs of every rep the caller may see, for the day, ISO week or month holding `date`' })
  teamKpis(@CurrentActor() actor: Actor, @Query() query: TeamKpisQuery) {
    return this.queryBus.execute(new GetTeamKpis(actor, query.period, query.date, query.groupId));
  }

  @Get('leaderboards/spend-increase')
  @ApiOperation({ summary: 'The weekly spend-increase boards: regular, key accounts and groups, with deaths and revivals' })
  spendLeaderboard(@CurrentActor() actor: Actor, @Query() query: LeaderboardQuery) {
    return this.queryBus.execute(new GetSpendLeaderboard(actor, query.week));
  }
}
