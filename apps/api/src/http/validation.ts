import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

const flatten = (errors: readonly ValidationError[], parent = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints).map((m) => m.replace(error.property, field)) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** Strict validation at the edge: unknown fields are refused and every message names its field path. */
export const validationPipe = new ValidationPipe({
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
