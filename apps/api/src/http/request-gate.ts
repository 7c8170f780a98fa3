import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from './error.filter';
import type { AuthenticatedRequest } from './auth.guard';
import type { TokenVerifier } from './token-verifier';

/** The largest body a request may carry: 1 MiB, and 16 MiB for telemetry batches (20,000 records). */
export const BODY_LIMIT = 1024 * 1024;
export const TELEMETRY_BODY_LIMIT = 16 * 1024 * 1024;

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0]!;
export const bodyLimitOf = (path: string): number => (path.startsWith('/telemetry/') ? TELEMETRY_BODY_LIMIT : BODY_LIMIT);
const mib = (bytes: number): string => `${bytes / 1024 / 1024} MiB`;

/** Media types a request body may have: JSON everywhere, and GraphQL's own type on its endpoint. */
const acceptedTypes = (path: string): readonly string[] => (path === '/graphql' ? ['application/json', 'application/graphql'] : ['application/json']);

const hasBody = (request: FastifyRequest): boolean => {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
};

const tooLarge = (limit: number) => ({
  statusCode: 413,
  code: 'PAYLOAD_TOO_LARGE',
  message: `The request body is larger than ${mib(limit)}${limit === BODY_LIMIT ? ` (${mib(TELEMETRY_BODY_LIMIT)} for telemetry batches)` : ''}`,
});

/**
 * Checks what can be checked before a request body is read: the bearer token (for every request with a body and
 * every GraphQL call, introspection included), the media type (JSON) and the declared size. A request without a
 * token or with a body too large is answered without reading its body, so neither costs the service memory; a
 * body sent without a declared size is cut off at the limit while it is read.
 */
export const installRequestGate = (fastify: FastifyInstance, tokens: TokenVerifier): void => {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request);
    const body = hasBody(request);
    if (!body && path !== '/graphql') return;
    try {
      const claims = tokens.claimsOf(request.headers.authorization);
      (request as AuthenticatedRequest).actor = { id: claims.id, role: claims.role };
    } catch (error) {
      const { statusCode, code, message, details } = toErrorBody(error);
      // A GraphQL client reads errors where GraphQL puts them, with the same code and status as the guard's.
      if (path === '/graphql') return reply.code(statusCode).send({ data: null, errors: [{ message, extensions: { code, status: statusCode, ...(details ? { details } : {}) } }] });
      return reply.code(statusCode).send({ statusCode, code, message, ...(details ? { details } : {}) });
    }
    if (!body) return;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const allowed = acceptedTypes(path);
    if (!allowed.includes(type)) {
      return reply.code(415).send({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: type === '' ? `Send the body with a Content-Type of ${allowed.join(' or ')}` : `Content-Type ${type} is not accepted; send ${allowed.join(' or ')}`,
      });
    }
    const limit = bodyLimitOf(path);
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      // The client may still be sending: answer and close rather than read what it sends.
      void reply.header('connection', 'close');
      return reply.code(413).send(tooLarge(limit));
    }
  });

  // A body without a declared size (chunked) is counted while it is read and cut off at the route's limit.
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply: FastifyReply, payload) => {
    if (request.headers['content-length'] !== undefined) return payload;
    const limit = bodyLimitOf(pathOf(request));
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > limit) {
          const error = Object.assign(new Error(tooLarge(limit).message), { statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
          callback(error);
          return;
        }
        callback(null, chunk);
      },
    });
    return payload.pipe(counted);
  });
};
