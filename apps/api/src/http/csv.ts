import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * CSV for the list views and reports: the same route, parameters and scope as JSON, asked for with
 * `Accept: text/csv`. UTF-8 with a byte-order mark, so that Excel and WPS open Chinese text as Chinese; CRLF line
 * ends; one row per item, nested figures as dotted columns (`workload.points.phoneReached`). An answer with several
 * tables (the leaderboard's boards, the report's sections) gives one file with a `section` column.
 */
export interface CsvRoute {
  /** The file name offered (without `.csv`). */
  readonly name: string;
  /** Dotted paths to the answer's lists of rows; `''` is the answer itself (a list, or one row). */
  readonly tables: readonly string[];
}

/** By method and route (as Fastify names it). */
export const CSV_ROUTES: Readonly<Record<string, CsvRoute>> = {
  'GET /churn-risk': { name: 'churn-risk', tables: ['items'] },
  'GET /renewal-pipeline': { name: 'renewal-pipeline', tables: ['items'] },
  'GET /reps/:repId/worklist': { name: 'worklist', tables: ['entries'] },
  'GET /reps/:repId/kpis': { name: 'rep-kpis', tables: [''] },
  'GET /kpis': { name: 'team-kpis', tables: ['reps'] },
  'GET /leaderboards/spend-increase': { name: 'spend-increase-leaderboard', tables: ['regular', 'keyAccounts', 'groups'] },
  'GET /reports/feedback': { name: 'weekly-feedback', tables: ['categories', 'feedback', 'issuesRaised', 'backlog'] },
  'GET /reports/visit-quality': { name: 'visit-quality', tables: ['reps', 'multiHead.list'] },
  'GET /reports/capacity': { name: 'capacity', tables: ['reps', 'groups'] },
  'GET /customers': { name: 'customers', tables: ['items'] },
  'GET /customers/:customerId/timeline': { name: 'customer-timeline', tables: ['items'] },
  'GET /reps': { name: 'reps', tables: [''] },
  'GET /groups': { name: 'groups', tables: [''] },
  'GET /admin/customers/:customerId/history': { name: 'customer-history', tables: ['events'] },
};

type Cell = string | number | boolean | null;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const valueAt = (answer: unknown, path: string): unknown => (path === '' ? answer : path.split('.').reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), answer));

/** A list as one cell: scalars joined by "; ", each object's values by " / " (a churn reason: "no_login / 20 / …"). */
const listCell = (items: readonly unknown[]): string =>
  items
    .map((item) => (isRecord(item) ? Object.values(flatten(item)).map((value) => String(value ?? '')).join(' / ') : String(item ?? '')))
    .join('; ');

/** A row's cells: nested objects as dotted columns, lists in one cell each. */
export const flatten = (row: Record<string, unknown>, prefix = '', out: Record<string, Cell> = {}): Record<string, Cell> => {
  for (const [key, value] of Object.entries(row)) {
    const column = `${prefix}${key}`;
    if (isRecord(value)) flatten(value, `${column}.`, out);
    else if (Array.isArray(value)) out[column] = listCell(value);
    else out[column] = value === undefined ? null : (value as Cell);
  }
  return out;
};

/** The rows of an answer: each table's items flattened, with the table's name when there are several. */
export const csvRows = (answer: unknown, tables: readonly string[]): Record<string, Cell>[] =>
  tables.flatMap((path) => {
    const value = valueAt(answer, path);
    const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return items.map((item) => ({ ...(tables.length > 1 ? { section: path } : {}), ...(isRecord(item) ? flatten(item) : { value: item as Cell }) }));
  });

/**
 * One cell as CSV text: quoted when it holds a comma, a quote or a line break (quotes doubled, RFC 4180); text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with '.
 */
export const csvCell = (value: Cell): string => {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Rows as a CSV file: a BOM, a header of every column (in the order first met), CRLF line ends. */
export const toCsv = (rows: readonly Record<string, Cell>[]): string => {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column of Object.keys(row)) {
      if (seen.has(column)) continue;
      seen.add(column);
      columns.push(column);
    }
  }
  const lines = [columns.map(csvCell), ...rows.map((row) => columns.map((column) => csvCell(row[column] ?? null)))];
  return `\uFEFF${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
};

/** The weight (q) the Accept header gives a media type (0 when absent). */
const weightOf = (accept: string, type: string): { q: number; at: number } => {
  const ranges = accept.split(',').map((range) => range.trim().toLowerCase());
  for (let at = 0; at < ranges.length; at += 1) {
    const [media, ...params] = ranges[at]!.split(';').map((part) => part.trim());
    if (media !== type) continue;
    const q = params.find((param) => param.startsWith('q='));
    return { q: q === undefined ? 1 : Math.min(1, Math.max(0, Number(q.slice(2)) || 0)), at };
  }
  return { q: 0, at: Infinity };
};

/** Whether the caller prefers CSV to JSON (JSON wins a tie unless CSV is listed first). */
export const prefersCsv = (accept: string | undefined): boolean => {
  if (!accept) return false;
  const csv = weightOf(accept, 'text/csv');
  const json = weightOf(accept, 'application/json');
  return csv.q > 0 && (csv.q > json.q || (csv.q === json.q && csv.at < json.at));
};

const csvRouteOf = (request: FastifyRequest): CsvRoute | undefined => CSV_ROUTES[`${request.method} ${request.routeOptions.url ?? ''}`];

/**
 * Answers a successful GET of a list view or report as CSV when the caller asks for it; errors stay JSON (the error
 * body), and other routes answer JSON whatever the Accept header says.
 */
export const installCsv = (fastify: FastifyInstance): void => {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string' || !prefersCsv(request.headers.accept)) return payload;
    const route = csvRouteOf(request);
    if (!route) return payload;
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${route.name}.csv"`);
    return toCsv(csvRows(JSON.parse(payload) as unknown, route.tables));
  });
};
