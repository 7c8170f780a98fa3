import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { EARLIEST_BUSINESS_DAY, ID_PATTERN, isBusinessDay, LATEST_BUSINESS_DAY } from '#shared-kernel';
import { FastField } from './fast-check';

/**
 * One decorator per kind of field: validation and its OpenAPI description stay together, so the
 * documentation cannot drift from what is enforced.
 */
interface Common {
  readonly optional?: boolean;
  readonly description?: string;
  readonly example?: unknown;
}

const doc = (o: Common, extra: Record<string, unknown>) =>
  o.optional
    ? ApiPropertyOptional({ description: o.description, example: o.example, ...extra })
    : ApiProperty({ description: o.description, example: o.example, ...extra });
const presence = (o: Common) => (o.optional ? [IsOptional()] : []);

export const IdField = (o: Common = {}) =>
  applyDecorators(
    ...presence(o),
    IsString(),
    Matches(ID_PATTERN, { message: '$property must be 1–64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit' }),
    doc(o, { type: String, pattern: ID_PATTERN.source }),
    FastField({ kind: 'id' }, o.optional === true),
  );

/** Something a reader can see: not only white space, control characters or invisible formatting (zero-width spaces). */
const VISIBLE = /[^\s\p{Cc}\p{Cf}]/u;

/** Control characters (line breaks and tabs included). */
const CONTROL = /\p{Cc}/u;

export const TextField = (o: Common & { readonly max?: number; /** Refuses control characters (line breaks, tabs, NUL). */ readonly singleLine?: boolean } = {}) =>
  applyDecorators(
    ...presence(o),
    IsString(),
    IsNotEmpty(),
    ...(o.singleLine
      ? [
          ValidateBy({
            name: 'isSingleLine',
            validator: { validate: (value) => typeof value !== 'string' || !CONTROL.test(value), defaultMessage: () => '$property must be one line without control characters' },
          }),
        ]
      : []),
    ValidateBy({
      name: 'hasVisibleText',
      validator: { validate: (value) => typeof value !== 'string' || VISIBLE.test(value), defaultMessage: () => '$property must contain visible characters, not only spaces or invisible ones' },
    }),
    MaxLength(o.max ?? 2000),
    doc(o, { type: String, maxLength: o.max ?? 2000 }),
    FastField({ kind: 'text', max: o.max ?? 2000, singleLine: o.singleLine === true }, o.optional === true),
  );

export const DayField = (o: Common = {}) =>
  applyDecorators(
    ...presence(o),
    ValidateBy({
      name: 'isBusinessDay',
      validator: { validate: isBusinessDay, defaultMessage: () => `$property must be a calendar date YYYY-MM-DD from ${EARLIEST_BUSINESS_DAY} to ${LATEST_BUSINESS_DAY}` },
    }),
    doc(o, { type: String, format: 'date' }),
    FastField({ kind: 'day' }, o.optional === true),
  );

export const InstantField = (o: Common = {}) =>
  applyDecorators(
    ...presence(o),
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date-time' }),
    ValidateBy({
      name: 'isBusinessInstant',
      validator: {
        // The UTC day of the instant; a business day in any zone is within a day of it.
        validate: (value) => typeof value !== 'string' || Number.isNaN(Date.parse(value)) || isBusinessDay(new Date(value).toISOString().slice(0, 10)),
        defaultMessage: () => `$property must fall from ${EARLIEST_BUSINESS_DAY} to ${LATEST_BUSINESS_DAY}`,
      },
    }),
    doc(o, { type: String, format: 'date-time' }),
    FastField({ kind: 'instant' }, o.optional === true),
  );

export const EnumField = (values: readonly (string | number)[], o: Common = {}) =>
  applyDecorators(
    ...presence(o),
    IsIn([...values], { message: `$property must be one of: ${values.join(', ')}` }),
    doc(o, { enum: [...values] }),
    FastField({ kind: 'enum', values: [...values] }, o.optional === true),
  );

export const IntField = (o: Common & { readonly min?: number; readonly max?: number } = {}) =>
  applyDecorators(
    ...presence(o),
    IsInt(),
    Min(o.min ?? 0),
    Max(o.max ?? 1_000_000_000),
    doc(o, { type: Number, minimum: o.min ?? 0, maximum: o.max ?? 1_000_000_000 }),
    FastField({ kind: 'int', min: o.min ?? 0, max: o.max ?? 1_000_000_000 }, o.optional === true),
  );

/** An amount in CNY with at most two decimals (stored as integer fen). */
export const MoneyField = (o: Common & { readonly min?: number } = {}) =>
  applyDecorators(
    ...presence(o),
    // class-validator's maxDecimalPlaces reads decimals from the number's text and throws on exponent forms (1e-7).
    ValidateBy({
      name: 'isMoney',
      validator: { validate: isWholeFen, defaultMessage: () => '$property must be an amount in CNY with at most 2 decimals' },
    }),
    Min(o.min ?? 0.01),
    Max(10_000_000_000),
    doc(o, { type: Number, minimum: o.min ?? 0.01, description: `${o.description ?? 'Amount'} (CNY, at most 2 decimals)` }),
    FastField({ kind: 'money', min: o.min ?? 0.01, max: 10_000_000_000 }, o.optional === true),
  );

/** A finite number of CNY that is a whole number of fen (1e-7 and 0.001 are not; 0.1 + 0.2 is, as 0.3). */
const isWholeFen = (value: unknown): boolean => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const fen = value * 100;
  return Math.abs(fen - Math.round(fen)) < 1e-6;
};

export const BoolField = (o: Common = {}) => applyDecorators(...presence(o), IsBoolean(), doc(o, { type: Boolean }), FastField({ kind: 'bool' }, o.optional === true));

/**
 * The form of a lazy type the OpenAPI generator recognises (a function named `type`); an anonymous one is taken for
 * a class without a name, and the document then refers to a schema that does not exist.
 */
const lazyType = (resolve: () => new () => object) => ({ type: () => resolve() }).type;

/**
 * A nested object. It must be an object (not an array, a string or null): nested validation alone passes an
 * empty array, which was then stored as an empty value no projection could read.
 */
export const NestedField = (type: () => new () => object, o: Common = {}) =>
  applyDecorators(
    ...presence(o),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(type),
    doc(o, { type: lazyType(type) }),
    FastField({ kind: 'nested', type }, o.optional === true),
  );

export const ArrayField = (type: () => new () => object, o: Common & { readonly min?: number; readonly max?: number } = {}) =>
  applyDecorators(
    ...presence(o),
    IsArray(),
    ArrayMinSize(o.min ?? 1),
    ArrayMaxSize(o.max ?? 10_000),
    IsObject({ each: true, message: 'each value in $property must be an object' }),
    ValidateNested({ each: true }),
    Type(type),
    doc(o, { type: [type()], minItems: o.min ?? 1, maxItems: o.max ?? 10_000 }),
    FastField({ kind: 'array', type, min: o.min ?? 1, max: o.max ?? 10_000 }, o.optional === true),
  );

/** CNY to integer fen without floating-point drift (validated to 2 decimals already). */
export const toFen = (cny: number): number => Math.round(cny * 100);
