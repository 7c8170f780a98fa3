import { UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { GetCapacity, GetVisitQuality, GetWeeklyFeedback } from '../../../../libs/reporting/src/queries/operations-reports.query';
import type { Actor } from '../../../../libs/shared-kernel/src/metadata';
import { CurrentActor } from '../http/auth.guard';
import { GraphqlErrorFilter } from './graphql-errors';
import { CapacityArgs, CapacityType, FeedbackReportArgs, VisitQualityArgs, VisitQualityType, WeeklyFeedbackType } from './reports.types';

/** The operations reports over GraphQL through the same query handlers as REST, scoped by role the same way. */
@Resolver()
@UseFilters(GraphqlErrorFilter)
export class ReportsResolver {
  constructor(private readonly queryBus: QueryBus) {}

  @Query(() => WeeklyFeedbackType, { description: 'Feedback and issues of the ISO week holding `week` by category, counted up to the Sunday or an earlier asOf' })
  weeklyFeedback(@CurrentActor() actor: Actor, @Args() args: FeedbackReportArgs): Promise<WeeklyFeedbackType> {
    return this.queryBus.execute(new GetWeeklyFeedback(actor, args.week, args.asOf ?? undefined));
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
