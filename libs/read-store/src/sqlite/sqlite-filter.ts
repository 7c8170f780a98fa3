import { assertFieldPath, type Filter, type FindOptions, type Scalar } from '../read-store.port';

/** SQL for one document field: the id column, or a JSON path into the document text. */
export const fieldExpression = (path: string): string => (path === 'id' ? 'id' : `json_extract(doc, '$.${assertFieldPath(path)}')`);
const typeExpression = (path: string): string => (path === 'id' ? `'text'` : `json_type(doc, '$.${assertFieldPath(path)}')`);

/** Booleans are stored as JSON true/false, which json_extract reads as 1/0. */
const bind = (value: Scalar): string | number | null => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** Booleans must also compare against JSON booleans only, not the numbers 1 and 0. */
const equals = (path: string, value: Scalar, params: unknown[]): string => {
  if (value === null) return `${fieldExpression(path)} IS NULL`;
  params.push(bind(value));
  const typed = typeof value === 'boolean' ? ` AND ${typeExpression(path)} IN ('true', 'false')` : typeof value === 'number' ? ` AND ${typeExpression(path)} IN ('integer', 'real')` : ` AND ${typeExpression(path)} = 'text'`;
  return `(${fieldExpression(path)} = ?${typed})`;
};

/** Range comparisons hold only between values of the same type, as in MongoDB. */
const range = (path: string, operator: string, bound: string | number, params: unknown[]): string => {
  params.push(bound);
  const typed = typeof bound === 'number' ? `${typeExpression(path)} IN ('integer', 'real')` : `${typeExpression(path)} = 'text'`;
  return `(${typed} AND ${fieldExpression(path)} ${operator} ?)`;
};

/** Translates a port filter into a WHERE clause with positional parameters (same semantics as `matchesDoc`). */
export const toWhere = (filter: Filter | undefined): { sql: string; params: unknown[] } => {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [path, condition] of Object.entries(filter ?? {})) {
    if (condition === null || typeof condition !== 'object') {
      clauses.push(equals(path, condition, params));
      continue;
    }
    if ('$eq' in condition) clauses.push(equals(path, condition.$eq as Scalar, params));
    if ('$ne' in condition) clauses.push(`NOT ${equals(path, condition.$ne as Scalar, params)}`);
    if (condition.$in) {
      const options = condition.$in.map((value) => equals(path, value, params));
      clauses.push(options.length === 0 ? '0' : `(${options.join(' OR ')})`);
    }
    if (condition.$gt !== undefined) clauses.push(range(path, '>', condition.$gt, params));
    if (condition.$gte !== undefined) clauses.push(range(path, '>=', condition.$gte, params));
    if (condition.$lt !== undefined) clauses.push(range(path, '<', condition.$lt, params));
    if (condition.$lte !== undefined) clauses.push(range(path, '<=', condition.$lte, params));
  }
  return { sql: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
};

export const toOrderBy = (options: FindOptions | undefined): string => {
  const sort = options?.sort ?? [];
  const terms = sort.map(([path, direction]) => `${fieldExpression(path)} ${direction === -1 ? 'DESC' : 'ASC'}`);
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
