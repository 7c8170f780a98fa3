import { TransformationType } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { ID_PATTERN, isBusinessDay } from '#shared-kernel';

/**
 * What each field decorator accepts, said a second time as data: a hand-written check for the bodies of hot routes
 * (RecordVisit, telemetry batches of 20,000 records), where class-validator spends 20–50 µs an object.
 *
 * The check only ever accepts: it answers the instance class-validator's transform would (the DTO class and its nested
 * classes, fields copied as they are), or `undefined` when it is not sure — any field it finds wrong, any key it does
 * not know, a string longer than the limit in UTF-16 units (class-validator counts some pairs as one). Then
 * class-validator validates the body and words the errors, so every error answer is still its own.
 * `fast-check.spec.ts` runs both on every DTO of the API, valid and broken at every field's edges, and requires that
 * they agree.
 */
export type FieldSpec =
  | { readonly kind: 'id' }
  | { readonly kind: 'day' }
  | { readonly kind: 'instant' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'money'; readonly min: number; readonly max: number }
  | { readonly kind: 'enum'; readonly values: readonly (string | number)[] }
  | { readonly kind: 'text'; readonly max: number; readonly singleLine: boolean }
  | { readonly kind: 'nested'; readonly type: () => new () => object }
  | { readonly kind: 'array'; readonly type: () => new () => object; readonly min: number; readonly max: number };

export interface FastFieldSpec {
  readonly spec: FieldSpec;
  readonly optional: boolean;
}

// class-transformer keeps its decorators' metadata here; it exports the store only from this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

type Class = abstract new (...args: never[]) => object;
const OWN = new Map<Class, Map<string, FastFieldSpec>>();

/** Records a field's spec for the fast check (applied by each field decorator). */
export const FastField =
  (spec: FieldSpec, optional: boolean): PropertyDecorator =>
  (target, key) => {
    const type = target.constructor as Class;
    let fields = OWN.get(type);
    if (!fields) OWN.set(type, (fields = new Map()));
    fields.set(String(key), { spec, optional });
  };

/** The classes that have fields the fast check knows (for the test that holds it to class-validator's answers). */
export const fastCheckedTypes = (): Class[] => [...OWN.keys()];

/** Every field of a class, its parents' included; null when a field is validated by something the fast check does not know. */
const COVERED = new Map<Class, ReadonlyMap<string, FastFieldSpec> | null>();

export const fastFieldsOf = (type: Class): ReadonlyMap<string, FastFieldSpec> | null => {
  let fields = COVERED.get(type);
  if (fields !== undefined) return fields;
  const all = new Map<string, FastFieldSpec>();
  for (let proto = type; proto && proto !== Object; proto = Object.getPrototypeOf(proto) as Class) {
    for (const [key, spec] of OWN.get(proto) ?? []) if (!all.has(key)) all.set(key, spec);
  }
  const validated = getMetadataStorage().getTargetValidationMetadatas(type as unknown as new () => object, '', true, false);
  // Fields class-transformer converts (a query string's `@Type(() => Number)`), renames, hides or transforms are not
  // copied as they are: such a class is left to class-validator whole.
  const transformed = (key: string, spec: FieldSpec) =>
    (spec.kind !== 'nested' && spec.kind !== 'array' && defaultMetadataStorage.findTypeMetadata(type, key) !== undefined) ||
    defaultMetadataStorage.findTransformMetadatas(type, key, TransformationType.PLAIN_TO_CLASS).length > 0 ||
    defaultMetadataStorage.findExposeMetadata(type, key) !== undefined ||
    defaultMetadataStorage.findExcludeMetadata(type, key) !== undefined;
  const covered =
    all.size > 0 &&
    validated.every((m) => all.has(m.propertyName)) &&
    defaultMetadataStorage.getStrategy(type) === 'none' &&
    [...all].every(([key, { spec }]) => !transformed(key, spec));
  fields = covered ? all : null;
  COVERED.set(type, fields);
  return fields;
};

const VISIBLE = /[^\s\p{Cc}\p{Cf}]/u;
const CONTROL = /\p{Cc}/u;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

const isInstant = (value: string): boolean => {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d || at.getUTCHours() !== h || at.getUTCMinutes() !== mi || at.getUTCSeconds() !== s) return false;
  return isBusinessDay(value.slice(0, 10));
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** The value as class-validator's transform would give it, or `undefined` when the fast check cannot say it is valid. */
const checkField = (spec: FieldSpec, value: unknown): { ok: true; value: unknown } | undefined => {
  switch (spec.kind) {
    case 'id':
      return typeof value === 'string' && ID_PATTERN.test(value) ? { ok: true, value } : undefined;
    case 'day':
      return isBusinessDay(value) ? { ok: true, value } : undefined;
    case 'instant':
      return typeof value === 'string' && isInstant(value) ? { ok: true, value } : undefined;
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : undefined;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max ? { ok: true, value } : undefined;
    case 'money': {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max) return undefined;
      const fen = value * 100;
      return Math.abs(fen - Math.round(fen)) < 1e-6 ? { ok: true, value } : undefined;
    }
    case 'enum':
      return spec.values.includes(value as string | number) ? { ok: true, value } : undefined;
    case 'text':
      return typeof value === 'string' && value.length > 0 && value.length <= spec.max && VISIBLE.test(value) && !(spec.singleLine && CONTROL.test(value)) ? { ok: true, value } : undefined;
    case 'nested': {
      const nested = fastValidate(spec.type(), value);
      return nested === undefined ? undefined : { ok: true, value: nested };
    }
    case 'array': {
      if (!Array.isArray(value) || value.length < spec.min || value.length > spec.max) return undefined;
      const type = spec.type();
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i += 1) {
        const item = fastValidate(type, value[i]);
        if (item === undefined) return undefined;
        out[i] = item;
      }
      return { ok: true, value: out };
    }
    default: {
      const unknown: never = spec;
      throw new RangeError(`Unknown field kind ${JSON.stringify(unknown)}`);
    }
  }
};

/**
 * The instance of `type` that class-validator's transform and validation would answer for `value`, when every field of
 * `type` is one the fast check knows and `value` is valid; `undefined` otherwise (class-validator then decides).
 */
export const fastValidate = <T extends object>(type: new () => T, value: unknown): T | undefined => {
  const fields = fastFieldsOf(type);
  if (!fields || !isPlainObject(value)) return undefined;
  for (const key in value) if (!Object.prototype.hasOwnProperty.call(value, key) || !fields.has(key)) return undefined;
  const instance = new type() as Record<string, unknown>;
  for (const [key, { spec, optional }] of fields) {
    const present = Object.prototype.hasOwnProperty.call(value, key);
    const field = present ? value[key] : undefined;
    // class-validator's IsOptional passes null and undefined without checking them.
    if (optional && (field === undefined || field === null)) {
      if (present) instance[key] = field;
      continue;
    }
    const checked = checkField(spec, field);
    if (!checked) return undefined;
    instance[key] = checked.value;
  }
  return instance as T;
};
