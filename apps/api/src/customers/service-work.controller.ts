import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CustomerCommand } from '#customer';
import type { Actor } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { CommandBody, CommandResult, CommandSender } from '../http/command-sender';
import { toFen } from '#fields';
import { IdPipe } from '../http/id.pipe';
import { CommandBase, sendCustomerCommand } from './send-customer-command';
import { IDEMPOTENCY_HEADER } from './customers.controller';
import {
  CollectRenewalDto,
  CommunicateResolutionDto,
  FileComplaintDto,
  IntroduceBuyerDto,
  RaiseIssueDto,
  RecordVisitDto,
  ResolveDto,
  ScheduleFollowUpDto,
  SendRenewalReminderDto,
} from './customer.dto';

type Data<T extends CustomerCommand['type']> = Extract<CustomerCommand, { type: T }>['data'];
const passthrough = { passthrough: true } as const;
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** A rep's work with a customer: visits, follow-ups, issues, complaints, buyers, reminders, renewals. */
@ApiTags('service work')
@ApiBearerAuth()
@IDEMPOTENCY_HEADER
@ApiResponse({ status: 400, description: 'Invalid input; the message names the field' })
@ApiResponse({ status: 403, description: 'Not assigned to you, or your role may not do this' })
@ApiResponse({ status: 404, description: 'Unknown customer' })
@ApiResponse({ status: 422, description: 'A business rule was broken; `code` says which' })
@Controller('customers/:customerId')
export class ServiceWorkController {
  constructor(private readonly sender: CommandSender) {}

  @Post('visits')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Record a return visit (level 1 by the assigned rep; level 2 by a supervisor)' })
  recordVisit(@Param('customerId', IdPipe) id: string, @Body() b: RecordVisitDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'RecordVisit',
      data: {
        ...base,
        visitId: b.visitId,
        level: b.level as Data<'RecordVisit'>['level'],
        channel: b.channel as Data<'RecordVisit'>['channel'],
        purpose: b.purpose as Data<'RecordVisit'>['purpose'],
        reached: b.reached,
        summary: b.summary,
        ...optional('contactRole', b.contactRole as Data<'RecordVisit'>['contactRole']),
        ...optional('feedback', b.feedback),
        ...optional('effect', b.effect ? { calls: b.effect.calls, inquiries: b.effect.inquiries, deals: b.effect.deals } : undefined),
        ...optional('satisfaction', b.satisfaction),
        ...optional('nextFollowUpOn', b.nextFollowUpOn),
        ...optional('followUpId', b.followUpId),
      },
    }));
  }

  @Post('follow-ups')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Schedule a follow-up for a date' })
  scheduleFollowUp(@Param('customerId', IdPipe) id: string, @Body() b: ScheduleFollowUpDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({ type: 'ScheduleFollowUp', data: { ...base, followUpId: b.followUpId, dueOn: b.dueOn, ...optional('note', b.note) } }));
  }

  @Post('issues')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Raise an issue the customer has' })
  raiseIssue(@Param('customerId', IdPipe) id: string, @Body() b: RaiseIssueDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'RaiseIssue',
      data: { ...base, issueId: b.issueId, category: b.category as Data<'RaiseIssue'>['category'], description: b.description, ...optional('visitId', b.visitId) },
    }));
  }

  @Post('issues/:issueId/resolution')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Record how an issue was resolved' })
  resolveIssue(
    @Param('customerId', IdPipe) id: string,
    @Param('issueId', IdPipe) issueId: string,
    @Body() b: ResolveDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res(passthrough) r: FastifyReply,
  ) {
    return this.run(id, b, a, q, r, (base) => ({ type: 'ResolveIssue', data: { ...base, issueId, resolution: b.resolution } }));
  }

  @Post('issues/:issueId/communication')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Tell the customer how the issue was resolved; this closes the issue' })
  communicate(
    @Param('customerId', IdPipe) id: string,
    @Param('issueId', IdPipe) issueId: string,
    @Body() b: CommunicateResolutionDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res(passthrough) r: FastifyReply,
  ) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'CommunicateIssueResolution',
      data: { ...base, issueId, channel: b.channel as Data<'CommunicateIssueResolution'>['channel'], ...optional('note', b.note) },
    }));
  }

  @Post('complaints')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'File a complaint (service supervision)' })
  fileComplaint(@Param('customerId', IdPipe) id: string, @Body() b: FileComplaintDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'FileComplaint',
      data: {
        ...base,
        complaintId: b.complaintId,
        category: b.category as Data<'FileComplaint'>['category'],
        description: b.description,
        ...optional('againstRepId', b.againstRepId),
      },
    }));
  }

  @Post('complaints/:complaintId/resolution')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Resolve a complaint (service supervision)' })
  resolveComplaint(
    @Param('customerId', IdPipe) id: string,
    @Param('complaintId', IdPipe) complaintId: string,
    @Body() b: ResolveDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res(passthrough) r: FastifyReply,
  ) {
    return this.run(id, b, a, q, r, (base) => ({ type: 'ResolveComplaint', data: { ...base, complaintId, resolution: b.resolution } }));
  }

  @Post('buyer-introductions')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Record a buyer introduced to the customer (matchmaking)' })
  introduceBuyer(@Param('customerId', IdPipe) id: string, @Body() b: IntroduceBuyerDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'IntroduceBuyer',
      data: { ...base, introductionId: b.introductionId, buyerName: b.buyerName, ...optional('note', b.note) },
    }));
  }

  @Post('renewal-reminders')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Record a renewal reminder sent to the customer' })
  sendReminder(@Param('customerId', IdPipe) id: string, @Body() b: SendRenewalReminderDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'SendRenewalReminder',
      data: { ...base, reminderId: b.reminderId, channel: b.channel as Data<'SendRenewalReminder'>['channel'] },
    }));
  }

  @Post('renewals')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Collect a renewal: the payment reference is recorded at most once, ever' })
  collectRenewal(@Param('customerId', IdPipe) id: string, @Body() b: CollectRenewalDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.run(id, b, a, q, r, (base) => ({
      type: 'CollectRenewal',
      data: { ...base, amountFen: toFen(b.amount), newTerm: { start: b.newTerm.start, end: b.newTerm.end }, paymentReference: b.paymentReference.trim() },
    }));
  }

  private run(id: string, body: CommandBody, actor: Actor, request: FastifyRequest, reply: FastifyReply, toCommand: (base: CommandBase) => CustomerCommand) {
    return sendCustomerCommand(this.sender, id, body, actor, request, reply, toCommand);
  }
}
