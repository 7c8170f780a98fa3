import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { TokenClaims, verifyToken } from '../../../../libs/auth/src/bearer-token';
import { CLOCK, Clock } from '../../../../libs/shared-kernel/src/clock';
import { Unauthenticated } from '../../../../libs/shared-kernel/src/errors';
import type { Actor } from '../../../../libs/shared-kernel/src/metadata';
import { APP_CONFIG, AppConfig } from '../../../../libs/engine/src/app-config';
import { actorOf, requestOf } from '../graphql/request-of';

const PUBLIC = 'public-route';
const VERIFIED_CACHE_SIZE = 10_000;
/** Marks a route that needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

/** Every route needs a valid bearer token unless marked @Public(); the verified actor rides on the request. */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Tokens already verified, until they expire: a client sends the same token with every request. */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = requestOf<AuthenticatedRequest>(context);
    const header = request.headers.authorization;
    if (!header) throw new Unauthenticated('A bearer token is required (Authorization: Bearer <token>)');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    const now = Math.floor(this.clock.now().getTime() / 1000);
    let claims = this.verified.get(token);
    if (!claims || claims.expiresAt <= now) {
      this.verified.delete(token);
      claims = verifyToken(token, this.config.authTokenSecret, now);
      this.verified.set(token, claims);
      if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    }
    request.actor = { id: claims.id, role: claims.role };
    return true;
  }
}

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => actorOf(context));
