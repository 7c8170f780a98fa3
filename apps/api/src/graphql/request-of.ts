import type { ExecutionContext } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { type Actor, Unauthenticated } from '#shared-kernel';

/** The Fastify request the GraphQL context carries (set by the driver's context function). */
export interface GraphqlContext {
  readonly req: FastifyRequest;
}

type WithActor = FastifyRequest & { actor?: Actor };

/** The Fastify request behind a REST route or a GraphQL resolver, so one guard serves both transports. */
export const requestOf = <T extends FastifyRequest = WithActor>(context: ExecutionContext): T => {
  if (context.getType<GqlContextType>() === 'graphql') return GqlExecutionContext.create(context).getContext<GraphqlContext>().req as T;
  return context.switchToHttp().getRequest<T>();
};

/** The actor the guard verified and left on the request, on either transport. */
export const actorOf = (context: ExecutionContext): Actor => {
  const actor = requestOf(context).actor;
  if (!actor) throw new Unauthenticated('Not authenticated');
  return actor;
};
