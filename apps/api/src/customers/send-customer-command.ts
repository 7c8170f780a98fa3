import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CustomerCommand, ExecuteCustomerCommand } from '#customer';
import type { Actor } from '#shared-kernel';
import type { CommandBody, CommandResult, CommandSender } from '../http/command-sender';

export type CommandBase = { customerId: string; actorId: string; on: string };

/** Sends a command on one customer: the customer, the actor and the business date fill its common fields. */
export const sendCustomerCommand = (
  sender: CommandSender,
  customerId: string,
  body: CommandBody,
  actor: Actor,
  request: FastifyRequest,
  reply: FastifyReply,
  toCommand: (base: CommandBase) => CustomerCommand,
): Promise<CommandResult> =>
  sender.send(request, reply, actor, body.occurredAt, (ctx) =>
    new ExecuteCustomerCommand(toCommand({ customerId, actorId: actor.id, on: ctx.businessDate }), ctx),
  );
