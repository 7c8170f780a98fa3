import { csvRows } from '../../apps/api/src/http/csv';
import { seedTeam, signBody } from '../support/fixtures';
import { call, type Call, createTestApp, type TestApp } from '../support/test-app';

/** A CSV file read back: RFC 4180 quoting, CRLF rows, the byte-order mark required. */
const parseCsv = (text: string): Record<string, string>[] => {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (quoted && c === '"' && body[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else {
      cell += c;
    }
  }
  const [header, ...data] = rows;
  return data.map((cells) => Object.fromEntries(header!.map((column, i) => [column, cells[i] ?? ''])));
};

/** What each cell of a JSON answer's rows reads as text in the CSV, under the file's columns (empty where a row has none). */
const asText = (rows: Record<string, unknown>[], columns: readonly string[]): Record<string, string>[] =>
  rows.map((row) =>
    Object.fromEntries(
      columns.map((column) => {
        const value = row[column];
        return [column, value === null || value === undefined ? '' : typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value)];
      }),
    ),
  );

describe('CSV exports of the list views and reports (Accept: text/csv)', () => {
  let t: TestApp;
  const manager = () => t.token('mgr-1', 'manager');
  /** A GET asking for CSV: the body as text (an error's as JSON too). */
  const csv = async (url: string, token: string) => {
    const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
    const isJson = String(response.headers['content-type']).startsWith('application/json');
    return { status: response.statusCode, headers: response.headers, text: response.body, body: isJson ? (JSON.parse(response.body) as Record<string, unknown>) : undefined };
  };
  const json = (url: string, token: string): Promise<Call> => call(t, 'GET', url, { token });
  const text = (response: { text: string }) => response.text;

  beforeAll(async () => {
    t = await createTestApp();
    await seedTeam(t);
    const post = async (url: string, body: Record<string, unknown>) => {
      const response = await call(t, 'POST', url, { token: manager(), body });
      if (response.status !== 201) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
    };
    await post('/customers', signBody('c-3', 'rep-1', { companyName: '杭州阀门有限公司, "东区"' }));
    await post('/customers', signBody('c-4', 'rep-1', { companyName: '=HYPERLINK("http://example.com")' }));
    await t.caughtUp();
  });
  afterAll(async () => t.close());

  it('gives the customer list as CSV with a BOM, the same rows and cells as JSON, Chinese intact and no formula run', async () => {
    const response = await csv('/customers', manager());
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="customers.csv"');
    const rows = parseCsv(text(response));
    expect(rows).toStrictEqual(asText(csvRows((await json('/customers', manager())).body, ['items']), Object.keys(rows[0]!)));
    expect(rows.map((row) => row.companyName)).toStrictEqual(['\'=HYPERLINK("http://example.com")', 'Company c-1', 'Company c-2', '杭州阀门有限公司, "东区"']);
  });

  it('scopes CSV as JSON: a rep’s file holds only the rep’s customers', async () => {
    const rows = parseCsv(text(await csv('/customers', t.token('rep-2', 'rep'))));
    expect(rows.map((row) => row.id)).toStrictEqual(['c-2']);
  });

  it('writes each rep’s KPIs as one row with the nested figures as dotted columns', async () => {
    const url = '/kpis?period=month&date=2026-03-10';
    const rows = parseCsv(text(await csv(url, manager())));
    const answer = (await json(url, manager())).body;
    expect(rows).toStrictEqual(asText(csvRows(answer, ['reps']), Object.keys(rows[0]!)));
    expect(rows.map((row) => row.repId)).toStrictEqual(answer.reps.map((rep: { repId: string }) => rep.repId));
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['workload.points.phoneReached', 'workload.fineFen', 'monthlyCoverage.rate', 'dailyTargets.summary.bothMet']));
  });

  it('puts a report’s tables in one file with a section column', async () => {
    const url = '/reports/capacity?asOf=2026-03-10';
    const rows = parseCsv(text(await csv(url, manager())));
    expect(rows).toStrictEqual(asText(csvRows((await json(url, manager())).body, ['reps', 'groups']), Object.keys(rows[0]!)));
    expect([...new Set(rows.map((row) => row.section))]).toStrictEqual(['reps', 'groups']);
  });

  it('keeps JSON by default and for a JSON preference, and answers errors as the JSON error body', async () => {
    const plain = await json('/customers', manager());
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    const preferred = await call(t, 'GET', '/customers', { token: manager(), headers: { accept: 'application/json, text/csv' } });
    expect(preferred.headers['content-type']).toBe('application/json; charset=utf-8');
    const refused = await csv('/customers?repId=rep-2', t.token('rep-1', 'rep'));
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refused.body).toStrictEqual({ statusCode: 403, code: 'FORBIDDEN', message: "You may not see rep rep-2's work" });
  });
});
