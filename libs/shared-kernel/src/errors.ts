/**
 * Errors with stable codes. The domain returns DomainError values; the application layer throws the
 * others. One exception filter at the edge maps each kind to HTTP once.
 */
export class DomainError {
  readonly kind = 'domain' as const;
  constructor(
    readonly code: string,
    readonly message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {}
}

export abstract class ApplicationError extends Error {
  abstract readonly code: string;
  constructor(message: string, readonly details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

/** A business rule was broken (HTTP 422). */
export class RuleViolation extends ApplicationError {
  constructor(readonly code: string, message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
  static from(error: DomainError): RuleViolation {
    return new RuleViolation(error.code, error.message, { ...error.details });
  }
}

/** The thing addressed does not exist (HTTP 404). */
export class NotFound extends ApplicationError {
  readonly code = 'NOT_FOUND';
}

/** Optimistic concurrency kept failing after bounded retries (HTTP 409). */
export class ConcurrencyConflict extends ApplicationError {
  readonly code = 'CONCURRENCY_CONFLICT';
}

/** The caller is known but may not do this (HTTP 403). */
export class Forbidden extends ApplicationError {
  readonly code = 'FORBIDDEN';
}

/** The caller is not authenticated (HTTP 401). */
export class Unauthenticated extends ApplicationError {
  readonly code = 'UNAUTHENTICATED';
}

/** The request is malformed in a way only detectable past the DTO layer (HTTP 400). */
export class BadRequest extends ApplicationError {
  constructor(readonly code: string, message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** Configuration is missing or invalid: the process must not start. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
