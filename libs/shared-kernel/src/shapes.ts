/**
 * Run-time shapes of event data, typed so that a shape and the domain type it checks cannot drift apart: an event
 * type's shape must produce its data type (`EventShapes`), or the code does not compile. A check never copies the
 * data; it answers the value it was given, now typed, or throws a `ShapeMismatch` naming the first field that is
 * wrong and what it should be.
 */

/** A field of a value is not what its type says: its dotted path, and what was expected there. */
export class ShapeMismatch extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path} is not ${expected}`);
    this.name = 'ShapeMismatch';
  }
}

export interface Shape<T> {
  (value: unknown, path: string): T;
}

/** A field that may be absent (and is then left out, never read as `undefined`). */
export interface OptionalShape<T> extends Shape<T | undefined> {
  readonly optional: true;
}

type ShapeType<S> = S extends Shape<infer T> ? T : never;
type FieldShapes = Readonly<Record<string, Shape<unknown>>>;
type RequiredKeys<S extends FieldShapes> = { [K in keyof S]: S[K] extends OptionalShape<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends FieldShapes> = { [K in keyof S]: S[K] extends OptionalShape<unknown> ? K : never }[keyof S];
export type ObjectOf<S extends FieldShapes> = { readonly [K in RequiredKeys<S>]: ShapeType<S[K]> } & {
  readonly [K in OptionalKeys<S>]?: Exclude<ShapeType<S[K]>, undefined>;
};

const mismatch = (path: string, expected: string): never => {
  throw new ShapeMismatch(path, expected);
};

/** A calendar day as events carry it: `YYYY-MM-DD`. */
const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A non-empty string: ids, names, references. */
export const text: Shape<string> = (value, path) => (typeof value === 'string' && value !== '' ? value : mismatch(path, 'a non-empty string'));
/** Any string, empty included: free text a person typed. */
export const anyText: Shape<string> = (value, path) => (typeof value === 'string' ? value : mismatch(path, 'a string'));
export const isoDay: Shape<string> = (value, path) => (typeof value === 'string' && ISO_DAY.test(value) ? value : mismatch(path, 'an ISO day'));
/** A finite number (counts, amounts in fen, day differences). */
export const num: Shape<number> = (value, path) => (typeof value === 'number' && Number.isFinite(value) ? value : mismatch(path, 'a number'));
export const bool: Shape<boolean> = (value, path) => (typeof value === 'boolean' ? value : mismatch(path, 'a boolean'));

export const oneOf =
  <const T extends string | number>(values: readonly T[]): Shape<T> =>
  (value, path) =>
    values.includes(value as T) ? (value as T) : mismatch(path, `one of ${values.join(', ')}`);

export const optional = <T>(shape: Shape<T>): OptionalShape<T> =>
  Object.assign((value: unknown, path: string) => (value === undefined ? undefined : shape(value, path)), { optional: true as const });

/** An object with these fields (others are allowed and left as they are). */
export const object =
  <S extends FieldShapes>(fields: S): Shape<ObjectOf<S>> =>
  (value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return mismatch(path === '' ? 'data' : path, 'an object');
    const record = value as Record<string, unknown>;
    const prefix = path === '' ? '' : `${path}.`;
    for (const key of Object.keys(fields)) fields[key]!(record[key], `${prefix}${key}`);
    return value as ObjectOf<S>;
  };

/** The data shape of each event type of a union: the data each one carries, checked. */
export type EventShapes<E extends { readonly type: string; readonly data: object }> = {
  readonly [K in E['type']]: Shape<Extract<E, { readonly type: K }>['data']>;
};

/**
 * The event with its data checked against its type's shape: the same object, typed as the domain's event. An event
 * of a type the shapes do not name, or whose data does not fit, throws a message naming the event, its position and
 * the field (`VisitRecorded at position 12: visitedOn is not an ISO day`).
 */
export const decodeEvent = <E extends { readonly type: string; readonly data: object }, R extends { readonly type: string; readonly data: unknown; readonly position: bigint }>(
  shapes: EventShapes<E>,
  event: R,
): Omit<R, 'type' | 'data'> & E => {
  const shape = (shapes as Readonly<Record<string, Shape<unknown>>>)[event.type];
  if (!shape) throw new Error(`${event.type} at position ${event.position} is not an event of ${Object.keys(shapes).join(', ')}`);
  try {
    shape(event.data, '');
  } catch (error) {
    if (error instanceof ShapeMismatch) throw new Error(`${event.type} at position ${event.position}: ${error.message}`);
    throw error;
  }
  return event as unknown as Omit<R, 'type' | 'data'> & E;
};
