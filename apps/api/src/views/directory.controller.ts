import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { customerListOf, CustomersQuery, GetCustomer, GetCustomerTimeline, ListCustomers, ListGroups, ListReps, paging, PagingQuery } from '#views';
import type { Actor } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { IdPipe } from '../http/id.pipe';

/**
 * Customers, reps and groups as the people who serve them look them up, scoped like the views: a rep sees the
 * customers they serve (a sales rep those they sold), a supervisor their group's, managers, admins and analysts all.
 */
@ApiTags('directory')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'A query parameter is missing or malformed; the message names it' })
@ApiResponse({ status: 403, description: 'Outside the caller’s scope' })
@ApiResponse({ status: 503, description: 'The read model is not built yet' })
@Controller()
export class DirectoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('customers')
  @ApiOperation({ summary: 'Customers in name order, filtered and searched by the start of the name, a page at a time (pass nextCursor for the next page)' })
  customers(@CurrentActor() actor: Actor, @Query() query: CustomersQuery) {
    const { filter, page } = customerListOf(query);
    return this.queryBus.execute(new ListCustomers(actor, filter, page));
  }

  @Get('customers/:customerId')
  @ApiOperation({ summary: "A customer's profile: assignment, grade, key account, product, term, status, open issues and complaints, next follow-up, last visit" })
  @ApiOkResponse({ description: 'The profile' })
  @ApiResponse({ status: 404, description: 'No such customer' })
  customer(@CurrentActor() actor: Actor, @Param('customerId', IdPipe) customerId: string) {
    return this.queryBus.execute(new GetCustomer(actor, customerId));
  }

  @Get('customers/:customerId/timeline')
  @ApiOperation({ summary: "A customer's history in words, newest first: signing, assignments, visits, reminders, renewals, issues, complaints, follow-ups done, churn" })
  @ApiOkResponse({ description: 'A page of the timeline' })
  @ApiResponse({ status: 404, description: 'No such customer' })
  timeline(@CurrentActor() actor: Actor, @Param('customerId', IdPipe) customerId: string, @Query() query: PagingQuery) {
    return this.queryBus.execute(new GetCustomerTimeline(actor, customerId, paging(query)));
  }

  @Get('reps')
  @ApiOperation({ summary: 'The reps the caller may see, with their role and group' })
  reps(@CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListReps(actor));
  }

  @Get('groups')
  @ApiOperation({ summary: 'The groups the caller may see, with how many reps each has' })
  groups(@CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListGroups(actor));
  }
}
