import { Inject, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { GetEffectReport } from '#reporting';
import { type Actor, type Clock, CLOCK } from '#shared-kernel';
import { APP_CONFIG, AppConfig, businessToday } from '#engine';
import { CurrentActor } from '../http/auth.guard';
import { termOf } from '../reports/effect-report.dto';
import { EffectReportArgs, EffectReportType } from './effect-report.types';
import { GraphqlErrorFilter } from './graphql-errors';

/** The effect report over GraphQL through the same query handler as REST (the printable page is REST only). */
@Resolver()
@UseFilters(GraphqlErrorFilter)
export class EffectReportResolver {
  constructor(
    private readonly queryBus: QueryBus,
    // The clock lives in the write-side module, which the GraphQL module does not import.
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => EffectReportType, { description: 'A customer’s effect report for one term, compared with the previous term' })
  effectReport(@CurrentActor() actor: Actor, @Args() args: EffectReportArgs): Promise<EffectReportType> {
    const asOf = args.asOf ?? businessToday(this.moduleRef.get<Clock>(CLOCK, { strict: false }), this.config.businessTimeZone);
    return this.queryBus.execute(new GetEffectReport(actor, args.customerId, termOf(args.term), asOf));
  }
}
