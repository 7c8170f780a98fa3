import fastifyRateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from './auth.guard';
import type { TokenVerifier } from './token-verifier';

/**
 * The reads that cost the service most: every view, the reports, the effect report, an audit history and GraphQL.
 * Commands are bounded by their own cost (one stream each) and stay unlimited.
 */
const HEAVY = /^\/(churn-risk|renewal-pipeline|kpis|leaderboards\/|reports\/|graphql)|^\/reps\/[^/]+\/(worklist|kpis)|^\/customers\/[^/]+\/effect-report|^\/admin\/customers\/[^/]+\/history/;

export const isHeavyRead = (url: string): boolean => HEAVY.test(url.split('?')[0]!);

/**
 * Limits each caller (the token's subject; the client address without a valid token) to `perMinute` heavy reads
 * a minute, answering 429 with Retry-After past it. 0 turns the limit off.
 */
export const installRateLimit = async (app: NestFastifyApplication, tokens: TokenVerifier, perMinute: number): Promise<void> => {
  if (perMinute <= 0) return;
  const subjectOf = (request: FastifyRequest): string => {
    const actor = (request as AuthenticatedRequest).actor;
    if (actor) return `sub:${actor.id}`;
    try {
      return `sub:${tokens.claimsOf(request.headers.authorization).id}`;
    } catch {
      return `ip:${request.ip}`;
    }
  };
  await app.register(fastifyRateLimit as never, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    allowList: (request: FastifyRequest) => !isHeavyRead(request.url),
    keyGenerator: subjectOf,
    errorResponseBuilder: (_request: FastifyRequest, context: { max: number; after: string }) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many heavy reads: at most ${context.max} a minute per caller; retry in ${context.after}`,
    }),
  });
};
