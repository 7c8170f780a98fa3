import { Inject, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { GetCapacity, GetVisitQuality, GetWeeklyFeedback } from '#reporting';
import { type Actor, type Clock, CLOCK } from '#shared-kernel';
import { APP_CONFIG, AppConfig, businessToday } from '#engine';
import { CurrentActor } from '../http/auth.guard';
import { GraphqlErrorFilter } from './graphql-errors';
import { CapacityArgs, CapacityType, FeedbackReportArgs, VisitQualityArgs, VisitQualityType, WeeklyFeedbackType } from './reports.types';

/** The operations reports over GraphQL through the same query handlers as REST, scoped by role the same way. */
@Resolver()
@UseFilters(GraphqlErrorFilter)
export class ReportsResolver {
  constructor(
    private readonly queryBus: QueryBus,
    // The clock lives in the write-side module, which the GraphQL module does not import.
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => WeeklyFeedbackType, { description: 'Feedback and issues of the ISO week holding `week` by category, counted up to the Sunday or an earlier asOf (default: today)' })
  weeklyFeedback(@CurrentActor() actor: Actor, @Args() args: FeedbackReportArgs): Promise<WeeklyFeedbackType> {
    const asOf = args.asOf ?? businessToday(this.moduleRef.get<Clock>(CLOCK, { strict: false }), this.config.businessTimeZone);
    return this.queryBus.execute(new GetWeeklyFeedback(actor, args.week, asOf));
  }

  @Query(() => VisitQualityType, { description: 'Visit quality for the day, ISO week or month holding `of`' })
  visitQuality(@CurrentActor() actor: Actor, @Args() args: VisitQualityArgs): Promise<VisitQualityType> {
    return this.queryBus.execute(new GetVisitQuality(actor, args.period, args.of, args.groupId ?? undefined));
  }

  @Query(() => CapacityType, { description: 'Active customers per rep against the configured load, per rep, group and scope, with the recommended staffing' })
  capacity(@CurrentActor() actor: Actor, @Args() args: CapacityArgs): Promise<CapacityType> {
    return this.queryBus.execute(new GetCapacity(actor, args.asOf ?? undefined));
  }
}
