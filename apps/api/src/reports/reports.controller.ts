import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetCapacity, GetVisitQuality, GetWeeklyFeedback } from '#reporting';
import { type Actor, type Clock, CLOCK } from '#shared-kernel';
import { APP_CONFIG, AppConfig, businessToday } from '#engine';
import { CurrentActor } from '../http/auth.guard';
import { CapacityQuery, FeedbackReportQuery, VisitQualityQuery } from './reports.dto';

/** The operations reports, scoped by role like the views: a rep sees their customers, a supervisor their group's. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'A query parameter is missing or malformed; the message names it' })
@ApiResponse({ status: 403, description: 'Outside the caller’s scope' })
@ApiResponse({ status: 503, description: 'The read model is not built yet' })
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('feedback')
  @ApiOperation({
    summary: 'The weekly feedback report: issues by category with resolution status, the week’s feedback, and the open backlog with ages',
    description:
      'Counts facts dated Monday to `through`: the Sunday, or `asOf` (default: today’s business day) when earlier, so a week ' +
      'still running counts up to today; the response says up to which day and whether the week is complete.',
  })
  feedback(@CurrentActor() actor: Actor, @Query() query: FeedbackReportQuery) {
    return this.queryBus.execute(new GetWeeklyFeedback(actor, query.week, query.asOf ?? businessToday(this.clock, this.config.businessTimeZone)));
  }

  @Get('visit-quality')
  @ApiOperation({ summary: 'Visit quality for the day, ISO week or month holding `date`: level-2 verification, reach, satisfaction, multi-head visits' })
  visitQuality(@CurrentActor() actor: Actor, @Query() query: VisitQualityQuery) {
    return this.queryBus.execute(new GetVisitQuality(actor, query.period, query.date, query.groupId));
  }

  @Get('capacity')
  @ApiOperation({ summary: 'Active customers per rep against the configured load, per rep, group and scope, with the recommended staffing' })
  capacity(@CurrentActor() actor: Actor, @Query() query: CapacityQuery) {
    return this.queryBus.execute(new GetCapacity(actor, query.asOf));
  }
}
