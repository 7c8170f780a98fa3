import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Media types a request body may have: JSON everywhere, and GraphQL's own type on its endpoint. */
const accepted = (url: string): readonly string[] => (url.split('?')[0] === '/graphql' ? ['application/json', 'application/graphql'] : ['application/json']);

const hasBody = (request: FastifyRequest): boolean => {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
};

/**
 * Refuses a request body that is not JSON with 415, before it is read: other media types were parsed as text or
 * forms and then failed validation with a 400 that did not say what was wrong.
 */
export const refuseNonJsonBodies = (fastify: FastifyInstance): void => {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!hasBody(request)) return;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const allowed = accepted(request.url);
    if (allowed.includes(type)) return;
    await reply.code(415).send({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: type === '' ? `Send the body with a Content-Type of ${allowed.join(' or ')}` : `Content-Type ${type} is not accepted; send ${allowed.join(' or ')}`,
    });
  });
};
