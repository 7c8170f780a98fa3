import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ExecuteStaffCommand, GROUP_KINDS, GroupKind, REP_ROLES, RepRole } from '#staff';
import type { Actor } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { CommandBody, CommandResult, CommandSender } from '../http/command-sender';
import { EnumField, IdField, TextField } from '#fields';
import { IdPipe } from '../http/id.pipe';

export class CreateGroupDto extends CommandBody {
  @IdField({ example: 'bidding-1' }) groupId: string;
  @TextField({ max: 100, example: 'Bidding group 1' }) name: string;
  @EnumField(GROUP_KINDS) kind: string;
}

export class RegisterRepDto extends CommandBody {
  @IdField({ example: 'rep-zhang' }) repId: string;
  @TextField({ max: 100 }) name: string;
  @EnumField(REP_ROLES) role: string;
  @IdField() groupId: string;
}

export class MoveRepDto extends CommandBody {
  @IdField() groupId: string;
}

const passthrough = { passthrough: true } as const;

/** Reps and groups (manager, admin). */
@ApiTags('staff')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'Only managers and admins manage staff' })
@ApiResponse({ status: 422, description: 'A business rule was broken; `code` says which' })
@Controller()
export class StaffController {
  constructor(private readonly sender: CommandSender) {}

  @Post('groups')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Create a group of reps' })
  createGroup(@Body() b: CreateGroupDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.sender.send(q, r, a, b.occurredAt, (ctx) =>
      new ExecuteStaffCommand({ type: 'CreateGroup', data: { groupId: b.groupId, name: b.name, kind: b.kind as GroupKind } }, ctx),
    );
  }

  @Post('reps')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Register a rep in a group' })
  registerRep(@Body() b: RegisterRepDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.sender.send(q, r, a, b.occurredAt, (ctx) =>
      new ExecuteStaffCommand(
        { type: 'RegisterRep', data: { repId: b.repId, name: b.name, role: b.role as RepRole, groupId: b.groupId, on: ctx.businessDate } },
        ctx,
      ),
    );
  }

  @Post('reps/:repId/group')
  @ApiResponse({ status: 201, type: CommandResult })
  @ApiOperation({ summary: 'Move a rep to another group' })
  moveRep(@Param('repId', IdPipe) repId: string, @Body() b: MoveRepDto, @CurrentActor() a: Actor, @Req() q: FastifyRequest, @Res(passthrough) r: FastifyReply) {
    return this.sender.send(q, r, a, b.occurredAt, (ctx) =>
      new ExecuteStaffCommand({ type: 'MoveRepToGroup', data: { repId, groupId: b.groupId, on: ctx.businessDate } }, ctx),
    );
  }
}
