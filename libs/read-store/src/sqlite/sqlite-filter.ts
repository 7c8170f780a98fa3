import { assertFieldPath, type FieldType, type Doc, type Filter, type FindOptions, isOfFieldType, type Scalar, valueAtKeys } from '../read-store.port';

/**
 * How a document field reads in SQL: its value (for order and ranges; booleans read 1/0 as json_extract gives
 * them) and its JSON text (for exact, typed equality: `true`, `1` and `"1"` differ). An indexed field has both as
 * real columns written with the document, so a filter, a sort and a count on it never parse the document; any
 * other field is read from the JSON.
 */
export interface FieldSql {
  readonly value: string;
  readonly text: string;
  /** The JSON path of a field read from the document (absent for columns, which hold scalars only). */
  readonly json?: string;
  /** The declared type of a column (`CollectionSpec.fieldTypes`): every row holds a value of that one type. */
  readonly type?: FieldType;
}

/**
 * Whether a filter value is of the column's declared type: then the value term alone is exact (a column of strings
 * holds no number, so `= 'x'` needs no check of the JSON text), and the index serves the whole condition.
 */
const sameType = (field: FieldSql, value: Scalar): boolean => field.type !== undefined && isOfFieldType(value, field.type);

/** The columns of indexed fields, by field path (absent for fields read from the JSON). */
export type FieldColumns = ReadonlyMap<string, FieldSql>;

const NO_COLUMNS: FieldColumns = new Map();

export const valueColumn = (path: string): string => `v:${assertFieldPath(path)}`;
export const textColumn = (path: string): string => `t:${assertFieldPath(path)}`;

export const fieldSql = (path: string, columns: FieldColumns = NO_COLUMNS): FieldSql => {
  if (path === 'id') return { value: 'id', text: `json_quote(id)` };
  return (
    columns.get(path) ?? {
      value: `json_extract(doc, '$.${assertFieldPath(path)}')`,
      text: `(doc -> '$.${assertFieldPath(path)}')`,
      json: `'$.${assertFieldPath(path)}'`,
    }
  );
};

/**
 * Appends the column values (value, then JSON text) of one indexed field, its path split into keys, to a
 * statement's parameters: the write path of every document, so it neither splits paths nor builds pairs.
 */
export const pushColumnValues = (values: unknown[], doc: Doc, keys: readonly string[]): void => {
  const value = valueAtKeys(doc, keys);
  if (value === undefined) values.push(null, null);
  else if (value === null) values.push(null, 'null');
  else if (typeof value === 'boolean') values.push(value ? 1n : 0n, value ? 'true' : 'false');
  // Whole numbers are stored as SQLite integers, so outside readers see 60, not 60.0.
  else if (typeof value === 'number') values.push(Number.isSafeInteger(value) ? BigInt(value) : value, JSON.stringify(value));
  else if (typeof value === 'string') values.push(value, JSON.stringify(value));
  else {
    const text = JSON.stringify(value);
    values.push(text, text);
  }
};

/** Booleans are read as 1/0 by value; the JSON text tells them from the numbers. */
const bindValue = (value: Scalar): string | number | null => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** An element of an array field (json_each's `e`) that is exactly `value`, type included. */
const elementIs = (value: Scalar, params: unknown[]): string => {
  if (value === null) return `e.type = 'null'`;
  if (typeof value === 'boolean') return `e.type = '${value ? 'true' : 'false'}'`;
  params.push(value);
  return typeof value === 'number' ? `(e.type IN ('integer', 'real') AND e.atom = ?)` : `(e.type = 'text' AND e.atom = ?)`;
};

/**
 * MongoDB's element matching, for a field read from the JSON: the field is an array and one of its elements
 * passes. Columns (indexed fields) hold scalars only, so they need no such term and keep their index seek.
 */
const orElement = (field: FieldSql, scalarTerm: string, elementTerm: (params: unknown[]) => string, params: unknown[]): string => {
  if (!field.json) return scalarTerm;
  const term = elementTerm(params);
  return `(${scalarTerm} OR (json_type(doc, ${field.json}) = 'array' AND EXISTS (SELECT 1 FROM json_each(doc, ${field.json}) AS e WHERE ${term})))`;
};

/** Mongo's equality: exact type and value; null also matches a missing field. The value term lets an index seek. */
const equals = (field: FieldSql, value: Scalar, params: unknown[]): string => {
  let scalar: string;
  if (value === null) scalar = `(${field.text} IS NULL OR ${field.text} = 'null')`;
  else if (sameType(field, value)) {
    params.push(bindValue(value));
    scalar = `${field.value} = ?`;
  } else {
    params.push(bindValue(value), JSON.stringify(value));
    scalar = `(${field.value} = ? AND ${field.text} = ?)`;
  }
  return orElement(field, scalar, (p) => elementIs(value, p), params);
};

/** Mongo's $ne: every document whose field (or no element of it) is that value, missing fields included. */
const notEquals = (field: FieldSql, value: Scalar, params: unknown[]): string => {
  const matched = equals(field, value, params);
  // Equality never reads NULL as true; the COALESCE keeps a missing field's unknown from hiding the document.
  return `(NOT COALESCE(${matched}, 0))`;
};

const oneOf = (field: FieldSql, values: readonly Scalar[], params: unknown[]): string => {
  if (values.length === 0) return '0';
  const present = values.filter((value) => value !== null);
  const terms: string[] = [];
  if (present.length > 0 && present.every((value) => sameType(field, value))) {
    terms.push(`${field.value} IN (${present.map(() => '?').join(', ')})`);
    params.push(...present.map(bindValue));
  } else if (present.length > 0) {
    terms.push(`(${field.value} IN (${present.map(() => '?').join(', ')}) AND ${field.text} IN (${present.map(() => '?').join(', ')}))`);
    params.push(...present.map(bindValue), ...present.map((value) => JSON.stringify(value)));
  }
  if (present.length < values.length) terms.push(`(${field.text} IS NULL OR ${field.text} = 'null')`);
  const scalar = terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
  return orElement(field, scalar, (p) => `(${values.map((value) => elementIs(value, p)).join(' OR ')})`, params);
};

/** Range comparisons hold only between values of the same type, as in MongoDB (a boolean is no number). */
const range = (field: FieldSql, operator: string, bound: string | number, params: unknown[]): string => {
  params.push(bound);
  if (sameType(field, bound)) return `${field.value} ${operator} ?`;
  const typed =
    typeof bound === 'number'
      ? `typeof(${field.value}) IN ('integer', 'real') AND substr(${field.text}, 1, 1) NOT IN ('t', 'f')`
      : `typeof(${field.value}) = 'text' AND substr(${field.text}, 1, 1) = '"'`;
  const scalar = `(${typed} AND ${field.value} ${operator} ?)`;
  return orElement(
    field,
    scalar,
    (p) => {
      p.push(bound);
      return `(e.type ${typeof bound === 'number' ? "IN ('integer', 'real')" : "= 'text'"} AND e.atom ${operator} ?)`;
    },
    params,
  );
};

/** Translates a port filter into a WHERE clause with positional parameters (same semantics as `matchesDoc`). */
export const toWhere = (filter: Filter | undefined, columns: FieldColumns = NO_COLUMNS): { sql: string; params: unknown[] } => {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [path, condition] of Object.entries(filter ?? {})) {
    const field = fieldSql(path, columns);
    if (condition === null || typeof condition !== 'object') {
      clauses.push(equals(field, condition, params));
      continue;
    }
    if ('$eq' in condition) clauses.push(equals(field, condition.$eq as Scalar, params));
    if ('$ne' in condition) clauses.push(notEquals(field, condition.$ne as Scalar, params));
    if (condition.$in) clauses.push(oneOf(field, condition.$in, params));
    if (condition.$gt !== undefined) clauses.push(range(field, '>', condition.$gt, params));
    if (condition.$gte !== undefined) clauses.push(range(field, '>=', condition.$gte, params));
    if (condition.$lt !== undefined) clauses.push(range(field, '<', condition.$lt, params));
    if (condition.$lte !== undefined) clauses.push(range(field, '<=', condition.$lte, params));
  }
  return { sql: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
};

export const toOrderBy = (options: FindOptions | undefined, columns: FieldColumns = NO_COLUMNS): string => {
  const sort = options?.sort ?? [];
  const terms = sort.map(([path, direction]) => `${fieldSql(path, columns).value} ${direction === -1 ? 'DESC' : 'ASC'}`);
  // Ties are broken by id so that paging is stable.
  if (!sort.some(([path]) => path === 'id')) terms.push('id ASC');
  return ` ORDER BY ${terms.join(', ')}`;
};

export const toLimit = (options: FindOptions | undefined): { sql: string; params: unknown[] } => {
  const limit = options?.limit;
  const skip = options?.skip ?? 0;
  if (limit === undefined && skip === 0) return { sql: '', params: [] };
  return { sql: ' LIMIT ? OFFSET ?', params: [limit ?? -1, skip] };
};
