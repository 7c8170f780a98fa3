import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandOutcome } from '#event-store';
import type { Actor, CommandContext } from '#shared-kernel';
import { CommandContextFactory } from './command-context.factory';
import { ServiceMetrics } from '../metrics/service-metrics';
import { InstantField } from '#fields';

/** Fields every command body may carry. */
export class CommandBody {
  @InstantField({ optional: true, description: 'When it happened (business time); defaults to now. May be in the past, not the future.' })
  occurredAt?: string;
}

class AppendedEvent {
  @ApiProperty() type: string;
  @ApiProperty({ description: 'Revision within the stream' }) revision: string;
}

export class CommandResult {
  @ApiProperty({ description: 'The stream the command was decided on' }) stream: string;
  @ApiProperty({ description: 'Revision of the stream after the command (-1: the stream does not exist)' }) streamRevision: string;
  @ApiProperty({ type: [AppendedEvent], description: 'Events appended; empty when nothing had to change' }) events: AppendedEvent[];
  @ApiProperty({ description: 'True when this answers a retry of an earlier request with the same Idempotency-Key' }) replayed: boolean;
}

/** The name a command is measured under: the domain command's type (RecordVisit, CollectRenewal, …). */
export const commandName = (command: object): string => {
  const inner = (command as { command?: { type?: unknown } }).command;
  return typeof inner?.type === 'string' ? inner.type : command.constructor.name;
};

/** Sends a command through the CommandBus with its context and shapes the HTTP answer. */
@Injectable()
export class CommandSender {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly contexts: CommandContextFactory,
    private readonly metrics: ServiceMetrics,
  ) {}

  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    occurredAt: string | undefined,
    build: (context: CommandContext) => Parameters<CommandBus['execute']>[0],
  ): Promise<CommandResult> {
    const context = this.contexts.create(request, actor, occurredAt);
    const command = build(context);
    const outcome = (await this.metrics.timeCommand(commandName(command), () => this.commandBus.execute(command))) as CommandOutcome;
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    return { stream: outcome.streamName, streamRevision: outcome.streamRevision, events: [...outcome.events], replayed: outcome.replayed };
  }
}
