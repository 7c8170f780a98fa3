import { UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  ChurnRiskArgs,
  ChurnRiskPageType,
  CustomerArgs,
  CustomerListPageType,
  CustomerProfileType,
  CustomersArgs,
  CustomerTimelineArgs,
  CustomerTimelineType,
  GetChurnRisk,
  GetCustomer,
  GetCustomerTimeline,
  GetRenewalPipeline,
  GetRepKpis,
  GetSpendLeaderboard,
  GetTeamKpis,
  GetWorklist,
  GroupListItemType,
  ListCustomers,
  ListGroups,
  ListReps,
  RenewalPipelineArgs,
  RenewalPipelinePageType,
  RepKpisArgs,
  RepKpisType,
  RepListItemType,
  SpendLeaderboardArgs,
  SpendLeaderboardType,
  TeamKpisArgs,
  TeamKpisType,
  WorklistArgs,
  WorklistType,
} from '#views';
import type { Actor } from '#shared-kernel';
import { GraphqlErrorFilter } from './graphql-errors';
import { CurrentActor } from '../http/auth.guard';

/**
 * The read models over GraphQL through the same query handlers as REST, scoped by role the same way.
 * Dates are business days; "today" is always an explicit argument.
 */
@Resolver()
@UseFilters(GraphqlErrorFilter)
export class ViewsResolver {
  constructor(private readonly queryBus: QueryBus) {}

  @Query(() => ChurnRiskPageType, { description: 'Customers by churn-risk score on asOf, riskiest first, each with its reasons' })
  churnRisk(@CurrentActor() actor: Actor, @Args() args: ChurnRiskArgs): Promise<ChurnRiskPageType> {
    const { asOf, repId, groupId, level, product, offset, limit } = args;
    return this.queryBus.execute(new GetChurnRisk(actor, { asOf, repId, groupId, level, product }, { offset, limit }));
  }

  @Query(() => RenewalPipelinePageType, { description: 'Terms ending within the configured windows (or just ended), with reminders, contacts, flags and status' })
  renewalPipeline(@CurrentActor() actor: Actor, @Args() args: RenewalPipelineArgs): Promise<RenewalPipelinePageType> {
    const { asOf, status, flag, repId, groupId, offset, limit } = args;
    const window = args.window === 'ended' ? 'ended' : args.window ? Number(args.window) : undefined;
    return this.queryBus.execute(new GetRenewalPipeline(actor, { asOf, window, status, flag, repId, groupId }, { offset, limit }));
  }

  @Query(() => WorklistType, { description: "A rep's day: customers with follow-ups, contacts, reminders or issues due, riskiest first" })
  worklist(@CurrentActor() actor: Actor, @Args() args: WorklistArgs): Promise<WorklistType> {
    return this.queryBus.execute(new GetWorklist(actor, args.repId, args.asOf));
  }

  @Query(() => RepKpisType, { description: "A rep's KPIs for the day, ISO week or month holding `of`" })
  repKpis(@CurrentActor() actor: Actor, @Args() args: RepKpisArgs): Promise<RepKpisType> {
    return this.queryBus.execute(new GetRepKpis(actor, args.repId, args.period, args.of));
  }

  @Query(() => TeamKpisType, { description: 'KPIs of every rep the caller may see, for the day, ISO week or month holding `of`' })
  teamKpis(@CurrentActor() actor: Actor, @Args() args: TeamKpisArgs): Promise<TeamKpisType> {
    return this.queryBus.execute(new GetTeamKpis(actor, args.period, args.of, args.groupId));
  }

  @Query(() => SpendLeaderboardType, { description: 'The weekly spend-increase boards: regular, key accounts and groups, with deaths and revivals' })
  spendLeaderboard(@CurrentActor() actor: Actor, @Args() args: SpendLeaderboardArgs): Promise<SpendLeaderboardType> {
    return this.queryBus.execute(new GetSpendLeaderboard(actor, args.week));
  }

  @Query(() => CustomerProfileType, { description: "A customer's profile: assignment, grade, key account, product, term, status, open issues and complaints, next follow-up, last visit" })
  customer(@CurrentActor() actor: Actor, @Args() args: CustomerArgs): Promise<CustomerProfileType> {
    return this.queryBus.execute(new GetCustomer(actor, args.id));
  }

  @Query(() => CustomerListPageType, { description: 'Customers in name order, filtered and searched by the start of the name, a page at a time (pass nextCursor for the next page)' })
  customers(@CurrentActor() actor: Actor, @Args() args: CustomersArgs): Promise<CustomerListPageType> {
    const { limit, cursor, ...filter } = args;
    const defined = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== null));
    return this.queryBus.execute(new ListCustomers(actor, defined, { limit, ...(cursor ? { cursor } : {}) }));
  }

  @Query(() => CustomerTimelineType, { description: "A customer's history in words, newest first" })
  customerTimeline(@CurrentActor() actor: Actor, @Args() args: CustomerTimelineArgs): Promise<CustomerTimelineType> {
    return this.queryBus.execute(new GetCustomerTimeline(actor, args.id, { offset: args.offset, limit: args.limit }));
  }

  @Query(() => [RepListItemType], { description: 'The reps you may see, with their role and group' })
  reps(@CurrentActor() actor: Actor): Promise<RepListItemType[]> {
    return this.queryBus.execute(new ListReps(actor));
  }

  @Query(() => [GroupListItemType], { description: 'The groups you may see, with how many reps each has' })
  groups(@CurrentActor() actor: Actor): Promise<GroupListItemType[]> {
    return this.queryBus.execute(new ListGroups(actor));
  }
}
