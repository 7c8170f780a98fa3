import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, Optional } from '@nestjs/common';
import { ServiceMetrics } from '../metrics/service-metrics';
import type { FastifyReply } from 'fastify';
import { AppendOutcomeUnknownError, AppendTooLargeError, EventStoreUnavailableError } from '#event-store';
import { ReadModelNotReadyError, ReadStoreUnavailableError } from '#read-store';
import { ApplicationError, BadRequest, ConcurrencyConflict, Forbidden, NotFound, RuleViolation, Unauthenticated } from '#shared-kernel';

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const STATUS_BY_KIND: ReadonlyArray<[new (...args: never[]) => ApplicationError, number]> = [
  [BadRequest, HttpStatus.BAD_REQUEST],
  [Unauthenticated, HttpStatus.UNAUTHORIZED],
  [Forbidden, HttpStatus.FORBIDDEN],
  [NotFound, HttpStatus.NOT_FOUND],
  [ConcurrencyConflict, HttpStatus.CONFLICT],
  [RuleViolation, HttpStatus.UNPROCESSABLE_ENTITY],
];

/**
 * SQLite failures of the database itself, not of the request: a damaged or replaced file, a read-only file or
 * directory, a full disk, a lock held too long. The service cannot answer until an operator acts (503, never 500).
 */
const STORE_FAILURE = /^SQLITE_(CORRUPT|NOTADB|READONLY|IOERR|CANTOPEN|FULL|BUSY|LOCKED|PERM|AUTH)/;
const isStoreFailure = (error: unknown): boolean => {
  // By shape, not by class: the driver's errors may come from another realm.
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' && STORE_FAILURE.test(code);
};

/** Seconds a client is told to wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The one place errors become HTTP: a stable code and a message that says what is wrong. */
export const toErrorBody = (error: unknown): ErrorBody => {
  if (error instanceof ApplicationError) {
    const status = STATUS_BY_KIND.find(([kind]) => error instanceof kind)?.[1] ?? HttpStatus.INTERNAL_SERVER_ERROR;
    return { statusCode: status, code: error.code, message: error.message, ...(Object.keys(error.details).length ? { details: error.details } : {}) };
  }
  if (error instanceof AppendOutcomeUnknownError) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: error.code,
      message:
        'The event store did not confirm the write: it may have been stored. Retry with the same Idempotency-Key; if it was stored, the retry answers its outcome and stores nothing again',
    };
  }
  if (error instanceof AppendTooLargeError) {
    const details = { ...(error.bytes >= 0 ? { bytes: error.bytes } : {}), ...(error.maxBytes >= 0 ? { maxBytes: error.maxBytes } : {}) };
    return { statusCode: HttpStatus.PAYLOAD_TOO_LARGE, code: error.code, message: error.message, ...(Object.keys(details).length ? { details } : {}) };
  }
  if (error instanceof EventStoreUnavailableError) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: error.code, message: 'The event store is unavailable; try again shortly' };
  }
  if (error instanceof ReadModelNotReadyError) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: error.code, message: error.message, details: { projection: error.projection, ...error.outdated } };
  }
  if (error instanceof ReadStoreUnavailableError) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: error.code, message: 'The read-model store is unavailable; try again shortly' };
  }
  if (isStoreFailure(error)) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: 'STORE_UNAVAILABLE', message: 'A database the service uses cannot be read or written; try again later' };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    return {
      statusCode: status,
      code: typeof body.code === 'string' ? body.code : HttpStatus[status] ?? 'HTTP_ERROR',
      message: Array.isArray(body.message) ? body.message.join('; ') : typeof body.message === 'string' ? body.message : error.message,
      ...(typeof body.details === 'object' && body.details !== null ? { details: body.details as Record<string, unknown> } : {}),
    };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Internal error' };
};

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(@Optional() private readonly metrics?: ServiceMetrics) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(error);
    this.metrics?.failed(body.statusCode, body.code);
    // Log the failure, never the request: bodies and headers carry tokens and customers' contact details.
    if (body.statusCode >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(body.statusCode).send(body);
  }
}
