import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CustomerCommand, ExecuteCustomerCommand } from '#customer';
import type { Actor } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { CommandBody, CommandResult, CommandSender } from '../http/command-sender';
import { toFen } from '#fields';
import { IdPipe } from '../http/id.pipe';
import { CommandBase, sendCustomerCommand } from './send-customer-command';
import { AssignServiceRepDto, GradeCustomerDto, RecordChurnDto, SetKeyAccountDto, SignCustomerDto } from './customer.dto';

type Data<T extends CustomerCommand['type']> = Extract<CustomerCommand, { type: T }>['data'];
type Passthrough = { passthrough: true };
const passthrough: Passthrough = { passthrough: true };

export const IDEMPOTENCY_HEADER = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Retries with the same key return the first outcome and append nothing. Keys are per caller; the same key with a different request (on any customer) answers 422 IDEMPOTENCY_KEY_REUSED and stores nothing.',
});

/** The customer's contract and ownership: signing, assignment, grade, key-account flag, churn. */
@ApiTags('customers')
@ApiBearerAuth()
@IDEMPOTENCY_HEADER
@ApiResponse({ status: 400, description: 'Invalid input; the message names the field' })
@ApiResponse({ status: 401, description: 'No valid bearer token' })
@ApiResponse({ status: 403, description: 'Role or assignment does not allow this' })
@ApiResponse({ status: 409, description: 'Concurrent changes kept conflicting' })
@ApiResponse({ status: 422, description: 'A business rule was broken; `code` says which' })
@Controller('customers')
export class CustomersController {
  constructor(private readonly sender: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Sign a customer (manager, admin)' })
  @ApiResponse({ status: 201, type: CommandResult })
  sign(@Body() body: SignCustomerDto, @CurrentActor() actor: Actor, @Req() req: FastifyRequest, @Res(passthrough) res: FastifyReply) {
    return this.sender.send(req, res, actor, body.occurredAt, (ctx) => {
      const data: Data<'SignCustomer'> = {
        customerId: body.customerId,
        actorId: actor.id,
        on: ctx.businessDate,
        companyName: body.companyName,
        contact: { name: body.contact.name, phone: body.contact.phone, ...(body.contact.email ? { email: body.contact.email } : {}) },
        industry: body.industry,
        product: body.product as Data<'SignCustomer'>['product'],
        contractAmountFen: toFen(body.contractAmount),
        term: { start: body.term.start, end: body.term.end },
        salesRepId: body.salesRepId,
        serviceRepId: body.serviceRepId,
        grade: body.grade as Data<'SignCustomer'>['grade'],
        keyAccount: body.keyAccount ?? false,
      };
      return new ExecuteCustomerCommand({ type: 'SignCustomer', data }, ctx);
    });
  }

  @Post(':customerId/service-rep')
  @ApiOperation({ summary: 'Assign or reassign the service rep (supervisor of the group, manager, admin)' })
  @ApiResponse({ status: 201, type: CommandResult })
  assign(@Param('customerId', IdPipe) id: string, @Body() b: AssignServiceRepDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({ type: 'AssignServiceRep', data: { ...base, serviceRepId: b.serviceRepId, ...(b.reason ? { reason: b.reason } : {}) } }));
  }

  @Post(':customerId/grade')
  @ApiOperation({ summary: 'Grade the customer A–E (supervisor, manager, admin)' })
  @ApiResponse({ status: 201, type: CommandResult })
  grade(@Param('customerId', IdPipe) id: string, @Body() b: GradeCustomerDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({ type: 'GradeCustomer', data: { ...base, grade: b.grade as Data<'GradeCustomer'>['grade'] } }));
  }

  @Post(':customerId/key-account')
  @ApiOperation({ summary: 'Set or clear the key-account flag (supervisor, manager, admin)' })
  @ApiResponse({ status: 201, type: CommandResult })
  keyAccount(@Param('customerId', IdPipe) id: string, @Body() b: SetKeyAccountDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({ type: 'SetKeyAccount', data: { ...base, keyAccount: b.keyAccount } }));
  }

  @Post(':customerId/churn')
  @ApiOperation({ summary: 'Record churn: a lapse after the term ended, or a cancellation (supervisor, manager, admin)' })
  @ApiResponse({ status: 201, type: CommandResult })
  churn(@Param('customerId', IdPipe) id: string, @Body() b: RecordChurnDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'RecordChurn',
      data: { ...base, kind: b.kind as Data<'RecordChurn'>['kind'], ...(b.reason ? { reason: b.reason } : {}) },
    }));
  }

  private run(id: string, body: CommandBody, actor: Actor, request: FastifyRequest, reply: FastifyReply, toCommand: (base: CommandBase) => CustomerCommand) {
    return sendCustomerCommand(this.sender, id, body, actor, request, reply, toCommand);
  }
}
