import { CSV_ROUTES } from '../../apps/api/src/http/csv';
import { execFileSync } from 'node:child_process';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Validates a document with @seriousme/openapi-schema-validator (the OpenAPI JSON Schemas through Ajv). It is an ES
 * module that reads its schemas next to itself, which Jest on Node 20 cannot load: it runs in a child Node.
 */
const validate = (document: unknown): { valid: boolean; errors?: unknown } =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { Validator } from '@seriousme/openapi-schema-validator'; let input = ''; for await (const chunk of process.stdin) input += chunk; const result = await new Validator().validate(JSON.parse(input)); process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));",
      ],
      { input: JSON.stringify(document), cwd: __dirname },
    ).toString(),
  );

interface Operation {
  readonly security?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses: Record<string, { readonly description: string; readonly content?: Record<string, { readonly schema: Record<string, unknown> }> }>;
}
interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, unknown> };
}

/** The OpenAPI document at /docs/openapi.json is valid and complete: every answer and every error has a schema. */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Document;
  const operations = () => Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));

  beforeAll(async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(async () => t.close());

  it('is a valid OpenAPI 3.0 document', () => {
    expect(validate(document)).toStrictEqual({ valid: true });
    // The validator does find faults: a response without its description is not a valid document.
    const broken = JSON.parse(JSON.stringify(document)) as Document;
    delete (broken.paths['/kpis']!.get!.responses['200'] as { description?: string }).description;
    expect(validate(broken).valid).toBe(false);
  });

  it('refers only to schemas it defines, and defines every one it refers to', () => {
    const refs = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === '$ref' && typeof inner === 'string') refs.add(inner);
          else walk(inner);
        }
      }
    };
    walk(document);
    const defined = new Set(Object.keys(document.components.schemas).map((name) => `#/components/schemas/${name}`));
    expect([...refs].filter((ref) => !defined.has(ref))).toStrictEqual([]);
    expect(refs.size).toBeGreaterThan(60);
    // The nested bodies of commands are described (their references were once empty).
    expect((document.components.schemas.SignCustomerDto as { properties: Record<string, unknown> }).properties.contact).toStrictEqual({ $ref: '#/components/schemas/ContactDto' });
  });

  it('describes the body of every success answer', () => {
    const missing = operations()
      .filter(({ op }) => {
        const success = Object.keys(op.responses).find((code) => code.startsWith('2'));
        return !success || !op.responses[success]!.content;
      })
      .map(({ key }) => key);
    expect(missing).toStrictEqual([]);
    expect(operations().length).toBe(47);
  });

  it('gives every error answer the error body, and every operation behind a token its 401', () => {
    const errorBody = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
    const bad = operations().flatMap(({ key, op }) =>
      Object.entries(op.responses)
        .filter(([code, response]) => Number(code) >= 400 && JSON.stringify(response.content) !== JSON.stringify(errorBody))
        .map(([code]) => `${key} ${code}`),
    );
    expect(bad).toStrictEqual([]);
    const protectedWithout401 = operations().filter(({ key, op }) => !key.startsWith('GET /health') && key !== 'GET /metrics' && !op.responses['401']).map(({ key }) => key);
    expect(protectedWithout401).toStrictEqual([]);
    expect(document.paths['/churn-risk']!.get!.responses['429']!.description).toMatch(/Retry-After/);
    expect(document.paths['/customers/{customerId}/visits']!.post!.responses['415']!.description).toBe('The body is not JSON');
  });

  it('describes the views by their GraphQL types, and the commands by their result', () => {
    const answer = (path: string, method = 'get') => {
      const op = document.paths[path]![method]!;
      const code = Object.keys(op.responses).find((c) => c.startsWith('2'))!;
      return op.responses[code]!.content;
    };
    const csv = { schema: { type: 'string', description: 'UTF-8 with a byte-order mark, CRLF line ends; one row per item, nested figures as dotted columns, a section column where the answer has several tables' } };
    expect(answer('/churn-risk')).toStrictEqual({ 'application/json': { schema: { $ref: '#/components/schemas/ChurnRiskPage' } }, 'text/csv': csv });
    expect(answer('/kpis')).toStrictEqual({ 'application/json': { schema: { $ref: '#/components/schemas/TeamKpis' } }, 'text/csv': csv });
    expect(answer('/customers/{customerId}/visits', 'post')).toStrictEqual({ 'application/json': { schema: { $ref: '#/components/schemas/CommandResult' } } });
    expect(answer('/customers/{customerId}/effect-report.html')).toStrictEqual({ 'text/html': { schema: { type: 'string' } } });
    expect(answer('/customers')).toStrictEqual({ 'application/json': { schema: { $ref: '#/components/schemas/CustomerListPage' } }, 'text/csv': csv });
    expect(answer('/customers/{customerId}')).toStrictEqual({ 'application/json': { schema: { $ref: '#/components/schemas/CustomerProfile' } } });
    expect(answer('/reps')).toStrictEqual({ 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/RepListItem' } } }, 'text/csv': csv });
    expect(answer('/admin/customers/{customerId}/history')).toStrictEqual({ 'application/json': { schema: { $ref: '#/components/schemas/CustomerHistoryPage' } }, 'text/csv': csv });
    // Every route that answers CSV exists, and says so.
    for (const key of Object.keys(CSV_ROUTES)) {
      const path = key.replace(/^GET /, '').replace(/:([A-Za-z]+)/g, '{$1}');
      expect([key, Object.keys(answer(path) ?? {})]).toStrictEqual([key, ['application/json', 'text/csv']]);
    }
    const row = document.components.schemas.RepKpis as { properties: Record<string, unknown>; required: string[] };
    expect(row.required).toContain('workload');
    expect(row.properties.calls).toMatchObject({ type: 'integer' });
  });
});
