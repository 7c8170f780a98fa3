import { ID_PATTERN, isBusinessDay } from '#shared-kernel';

/**
 * A telemetry batch checked by hand, for the batches the platform sends every day (up to 20,000 records, where
 * class-validator spends about 20 µs a record). It accepts only what the DTOs' class-validator rules accept, and
 * answers the same value their transform would (instances of the DTO classes); anything else (a wrong type, a missing
 * or extra field, a bound crossed, an empty batch) it does not judge: it answers `undefined`, and class-validator
 * validates the body and words the errors. So an error is always class-validator's; `telemetry.fast-path.spec.ts`
 * checks the two agree on valid bodies and on bodies broken at every field and edge.
 */
export interface BatchShape<R> {
  /** The record's fields, each with the check its class-validator rules make. */
  readonly fields: Readonly<Record<keyof R & string, (value: unknown) => boolean>>;
  readonly maxRecords: number;
  readonly record: new () => R;
  readonly batch: new () => { records: R[] };
}

const INT_MAX = 1_000_000_000;
const MONEY_MAX = 10_000_000_000;

/** `@IdField()`: a string of ID_PATTERN. */
export const isId = (value: unknown): boolean => typeof value === 'string' && ID_PATTERN.test(value);
/** `@DayField()`: a calendar day within the business range. */
export const isDay = (value: unknown): boolean => isBusinessDay(value);
/** `@IntField()`: an integer from 0 to 1,000,000,000. */
export const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT_MAX;
/** `@MoneyField({ min: 0 })`: a finite amount, a whole number of fen, from 0 to 10,000,000,000. */
export const isSpend = (value: unknown): boolean => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MONEY_MAX) return false;
  const fen = value * 100;
  return Math.abs(fen - Math.round(fen)) < 1e-6;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

export const fastBatch = <R>(shape: BatchShape<R>, value: unknown): { records: R[] } | undefined => {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'records') return undefined;
  const { records } = value;
  if (!Array.isArray(records) || records.length === 0 || records.length > shape.maxRecords) return undefined;
  const names = Object.keys(shape.fields) as (keyof R & string)[];
  const checks = names.map((name) => shape.fields[name]);
  const out = new Array<R>(records.length);
  for (let i = 0; i < records.length; i += 1) {
    const record: unknown = records[i];
    if (!isPlainObject(record)) return undefined;
    let count = 0;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) return undefined;
      count += 1;
    }
    if (count !== names.length) return undefined;
    const instance = new shape.record() as Record<string, unknown>;
    for (let f = 0; f < names.length; f += 1) {
      const name = names[f]!;
      if (!Object.prototype.hasOwnProperty.call(record, name)) return undefined;
      const field = record[name];
      if (!checks[f]!(field)) return undefined;
      instance[name] = field;
    }
    out[i] = instance as R;
  }
  const batch = new shape.batch();
  batch.records = out;
  return batch;
};
