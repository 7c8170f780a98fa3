import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { fastValidate } from '#fields';

/** The deepest nesting a request body may have: the deepest body the API describes has 3 levels. */
export const MAX_BODY_DEPTH = 16;

/** Whether a JSON value nests deeper than `limit` (walked without recursion, so no depth can overflow the stack). */
export const nestsDeeperThan = (value: unknown, limit: number): boolean => {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
};

const flatten = (errors: readonly ValidationError[], parent = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints).map((m) => m.replace(error.property, field)) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** Accepted query strings kept per query type (the oldest let go first). */
export const ACCEPTED_QUERIES_KEPT = 256;

/** A copy of a kept query object, so no request can change what the next one receives. */
const copyOf = <T extends object>(kept: T): T => {
  const copy = Object.create(Object.getPrototypeOf(kept) as object | null) as Record<string, unknown>;
  for (const [key, field] of Object.entries(kept)) copy[key] = Array.isArray(field) ? [...(field as unknown[])] : field instanceof Date ? new Date(field.getTime()) : field;
  return copy as T;
};

/** A parsed query string: each value a string or a list of strings (anything else is validated every time). */
const isFlatQuery = (value: object): boolean =>
  Object.values(value).every((field) => typeof field === 'string' || (Array.isArray(field) && field.every((item) => typeof item === 'string')));

/**
 * Validation refuses a body nested deeper than MAX_BODY_DEPTH before it is transformed or validated: both recurse,
 * and a body nested a few thousand levels deep overflowed the stack (a 500).
 */
class DepthGuardedValidationPipe extends ValidationPipe {
  /**
   * The query objects class-validator accepted, by query type and query string: a dashboard asks the same list again
   * and again, and transforming and validating its query was a fifth of a cached answer's time. Only accepted queries
   * are kept, so every refusal comes from class-validator with its own errors.
   */
  private readonly acceptedQueries = new Map<unknown, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || typeof metadata.metatype !== 'function' || value === null || typeof value !== 'object' || !isFlatQuery(value)) {
      return this.checked(value, metadata);
    }
    const key = `${metadata.data ?? ''}\u0000${JSON.stringify(value)}`;
    let kept = this.acceptedQueries.get(metadata.metatype);
    const hit = kept?.get(key);
    if (hit) return copyOf(hit);
    const accepted = await this.checked(value, metadata);
    if (accepted === null || typeof accepted !== 'object') return accepted;
    if (!kept) this.acceptedQueries.set(metadata.metatype, (kept = new Map()));
    if (kept.size >= ACCEPTED_QUERIES_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(key, copyOf(accepted));
    return accepted;
  }

  private async checked(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: `The request ${metadata.type === 'body' ? 'body' : metadata.type} nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep`,
        details: { fields: [], maxDepth: MAX_BODY_DEPTH },
      });
    }
    // A body made only of the field decorators is checked by hand first (see `fastValidate`); what that check does not
    // accept goes to class-validator, which stays the judge of every error.
    if (metadata.type === 'body' && typeof metadata.metatype === 'function') {
      const accepted = fastValidate(metadata.metatype as new () => object, value);
      if (accepted !== undefined) return accepted;
    }
    return super.transform(value, metadata);
  }
}

/** Strict validation at the edge: unknown fields are refused and every message names its field path. */
export const validationPipe = new DepthGuardedValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    return new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: fields.map((f) => f.problems.join(', ')).join('; '),
      details: { fields },
    });
  },
});
