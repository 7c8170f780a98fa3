import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import mercurius, { type MercuriusOptions } from 'mercurius';
import { toErrorBody } from '../http/error.filter';

/** What every GraphQL error carries, mirroring the REST error body. */
export interface ErrorExtensions {
  readonly code: string;
  readonly status: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The REST mapping (code, status, message) carried as a GraphQL error's extensions. */
export const toGraphqlError = (error: unknown): GraphQLError => {
  const { statusCode, code, message, details } = toErrorBody(error);
  const extensions: ErrorExtensions = { code, status: statusCode, ...(details ? { details } : {}) };
  return new GraphQLError(message, { extensions: { ...extensions } });
};

/**
 * Resolvers' errors (guard, validation pipe, query handlers) become GraphQL errors here. Declared on the
 * resolver so that it is chosen before the global HTTP filter, which would try to write an HTTP reply.
 */
@Catch()
export class GraphqlErrorFilter implements GqlExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  catch(error: unknown, _host: ArgumentsHost): GraphQLError {
    const graphqlError = toGraphqlError(error);
    // Log the failure, never the request: arguments and headers carry tokens and customers' data.
    if ((graphqlError.extensions.status as number) >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return graphqlError;
  }
}

type ErrorFormatter = NonNullable<MercuriusOptions['errorFormatter']>;

/**
 * Errors raised before any resolver runs (a syntax error, an unknown field, an argument of the wrong type)
 * get a code too, so a client can branch on `extensions.code` for every error.
 */
export const errorFormatter: ErrorFormatter = (execution, context) => {
  const formatted = mercurius.defaultErrorFormatter(execution, context);
  const errors = (formatted.response.errors ?? []).map((error) => {
    if (typeof error.extensions?.code === 'string') return error;
    const status = error.path ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
    const code = error.path ? 'INTERNAL_ERROR' : 'GRAPHQL_VALIDATION_FAILED';
    return { ...error, extensions: { ...error.extensions, code, status } };
  });
  // A document refused before it ran (no data, no error with a path) is a bad request however many errors it has;
  // Mercurius answers 400 for one such error but 200 for several.
  const refused = !formatted.response.data && errors.length > 0 && errors.every((error) => !error.path);
  return { ...formatted, statusCode: refused && formatted.statusCode === 200 ? HttpStatus.BAD_REQUEST : formatted.statusCode, response: { ...formatted.response, errors } };
};
