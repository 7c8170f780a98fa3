import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CustomerHistoryPage, GetCustomerHistory } from '#customer';
import { type Actor, BadRequest } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { IdPipe } from '../http/id.pipe';

const MAX_PAGE = 1000;

/** Admins' audit of a customer's full history, straight from the event store. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'Admins only' })
@ApiResponse({ status: 404, description: 'Unknown customer' })
@Controller('admin/customers')
export class AuditController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':customerId/history')
  @ApiOperation({ summary: "A customer's every event with who, when (business and recorded time), command and correlation ids" })
  @ApiQuery({ name: 'fromRevision', required: false, description: 'Start at this stream revision (default 0)' })
  @ApiQuery({ name: 'limit', required: false, description: `Events per page, 1–${MAX_PAGE} (default 100)` })
  history(
    @Param('customerId', IdPipe) customerId: string,
    @CurrentActor() actor: Actor,
    @Query('fromRevision') fromRevision?: string,
    @Query('limit') limit?: string,
  ): Promise<CustomerHistoryPage> {
    const from = fromRevision === undefined ? 0n : parseNonNegative('fromRevision', fromRevision, Number.MAX_SAFE_INTEGER);
    const size = limit === undefined ? 100 : Number(parseNonNegative('limit', limit, MAX_PAGE));
    if (size < 1) throw new BadRequest('VALIDATION_FAILED', `limit must be between 1 and ${MAX_PAGE}`);
    return this.queryBus.execute(new GetCustomerHistory(actor, customerId, from, size));
  }
}

const parseNonNegative = (name: string, value: string, max: number): bigint => {
  if (!/^\d{1,16}$/.test(value) || Number(value) > max) throw new BadRequest('VALIDATION_FAILED', `${name} must be an integer between 0 and ${max}`);
  return BigInt(value);
};
