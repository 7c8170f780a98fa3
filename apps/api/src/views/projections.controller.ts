import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CommandContextFactory } from '../http/command-context.factory';
import { IdField, TextField } from '#fields';
import { ProjectionAdmin } from '#reporting';
import { type Actor, Forbidden } from '#shared-kernel';
import { CurrentActor } from '../http/auth.guard';
import { IdPipe } from '../http/id.pipe';
import { serialiseBigInts } from './serialise';

const ANALYSTS: readonly string[] = ['analyst', 'admin'];
const assertAnalyst = (actor: Actor) => {
  if (!ANALYSTS.includes(actor.role)) throw new Forbidden('Only analysts and admins may list, rebuild or verify projections');
};

export class ParkEventDto {
  @IdField({ description: 'Id of the event the projection is stopped at (its `failure.eventId`)' }) eventId: string;
  @TextField({ max: 500, description: 'Why the event is passed over, for the audit' }) reason: string;
}

/** Analysts' view of the projections: status, and rebuild or verify jobs with their progress. */
@ApiTags('projections')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'Analysts and admins only' })
@Controller('admin/projections')
export class ProjectionsController {
  constructor(
    private readonly admin: ProjectionAdmin,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Each projection: checkpoint, head of the log, lag in events and ms, events/s, failure' })
  async list(@CurrentActor() actor: Actor) {
    assertAnalyst(actor);
    return { projections: await this.admin.status(), jobs: (await this.admin.listJobs()).map(serialiseBigInts) };
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild every projection into shadow copies, swapping each in when it has caught up' })
  async rebuildAll(@CurrentActor() actor: Actor, @Req() request: FastifyRequest) {
    assertAnalyst(actor);
    return serialiseBigInts(await this.admin.start('rebuild', this.admin.projections.map((p) => p.name), this.contexts.create(request, actor)));
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild one projection into a shadow copy while the live one answers, then swap' })
  async rebuild(@CurrentActor() actor: Actor, @Param('name', IdPipe) name: string, @Req() request: FastifyRequest) {
    assertAnalyst(actor);
    return serialiseBigInts(await this.admin.start('rebuild', [name], this.contexts.create(request, actor)));
  }

  @Post(':name/verify')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild into a scratch copy and list every difference from the live one' })
  async verify(@CurrentActor() actor: Actor, @Param('name', IdPipe) name: string, @Req() request: FastifyRequest) {
    assertAnalyst(actor);
    return serialiseBigInts(await this.admin.start('verify', [name], this.contexts.create(request, actor)));
  }

  @Post(':name/parked-events')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Admins: park the event a projection stopped at, for that projection only, and resume it',
    description:
      'The way out for an event already in the log that the projection cannot apply and no repair on read mends. The decision is appended as a ProjectionEventParked event (who, when, why) and listed under the projection; every other projection still applies the event, and rebuilds pass over it too. 422 EVENT_NOT_WHERE_STOPPED unless the projection is stopped at exactly this event.',
  })
  @ApiResponse({ status: 201, description: 'Parked: the decision as recorded (the ProjectionEventParked event)' })
  @ApiResponse({ status: 422, description: 'The projection is not stopped at this event' })
  async park(@CurrentActor() actor: Actor, @Param('name', IdPipe) name: string, @Body() body: ParkEventDto, @Req() request: FastifyRequest) {
    if (actor.role !== 'admin') throw new Forbidden('Only admins may park an event');
    return this.admin.park(name, body.eventId, body.reason, this.contexts.create(request, actor));
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'A rebuild or verify job: progress (position, events/s, ETA) and results' })
  async job(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    assertAnalyst(actor);
    return serialiseBigInts(await this.admin.job(id));
  }
}
