import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '#shared-kernel';
import { TokenVerifier } from './token-verifier';
import { actorOf, requestOf } from '../graphql/request-of';

const PUBLIC = 'public-route';
/** Marks a route that needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

/**
 * Every route needs a valid bearer token unless marked @Public(); the verified actor rides on the request (set
 * already by the request gate when the request has a body or is a GraphQL call).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = requestOf<AuthenticatedRequest>(context);
    if (request.actor) return true;
    const claims = this.tokens.claimsOf(request.headers.authorization);
    request.actor = { id: claims.id, role: claims.role };
    return true;
  }
}

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => actorOf(context));
