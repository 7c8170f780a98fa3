import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { type DemoOptions, loadDemo } from '#demo';
import type { Role } from '#shared-kernel';
import { TEST_TOOLS } from '../support/test-tools';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Schemathesis fuzzes every operation of the OpenAPI document with a valid token of each role against the real
 * application over a demo history: no answer may be a 5xx, and no event may be stored by a request that was not
 * answered 2xx (each request carries its own correlation id, which the events it causes keep).
 */
const SCHEMATHESIS = '4.32.5';
const ROOT = resolve(__dirname, '../..');
const VENV = join(TEST_TOOLS, `schemathesis-${SCHEMATHESIS}`);
const BIN = join(VENV, 'bin', 'schemathesis');
/** Examples per operation and phase for each role: six roles × 41 operations bring the run past 10,000 requests. */
const EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 10);
const MIN_REQUESTS = Number(process.env.FUZZ_MIN_REQUESTS ?? 10_000);
const TODAY = '2026-03-10';
const DEMO: DemoOptions = { seed: 5, customers: 40, reps: 6, days: 40, startDay: '2026-01-29' };
const ROLES: readonly [string, Role][] = [
  ['mgr-001', 'manager'],
  ['sup-001', 'supervisor'],
  ['rep-001', 'rep'],
  ['adm-1', 'admin'],
  ['ana-1', 'analyst'],
  ['platform', 'platform'],
];

/** Installs the pinned Schemathesis once per machine (outside the checkout); the reason it cannot, if it cannot. */
const installSchemathesis = (): string | null => {
  if (existsSync(BIN)) return null;
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'python3 is not on PATH, so Schemathesis cannot be installed';
  }
  try {
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS}`], { stdio: 'inherit', timeout: 300_000 });
    return null;
  } catch (error) {
    rmSync(VENV, { recursive: true, force: true });
    return `Schemathesis ${SCHEMATHESIS} could not be installed from PyPI: ${error instanceof Error ? error.message : String(error)}`;
  }
};

const skipReason = installSchemathesis();

const run = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> =>
  new Promise((done) => {
    const child = spawn(BIN, args, { env: { ...process.env, ...env }, cwd: join(ROOT, 'test', 'fuzz') });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => done({ code, output }));
  });

if (skipReason) {
  describe('fuzzing the API from its OpenAPI document', () => {
    it.skip(`SKIPPED: ${skipReason}`, () => undefined);
  });
} else {
  describe('fuzzing the API from its OpenAPI document', () => {
    let t: TestApp;
    let url: string;
    let work: string;

    beforeAll(async () => {
      t = await createTestApp({ now: `${TODAY}T02:00:00.000Z`, env: { RATE_LIMIT_PER_MINUTE: '0' }, beforeStart: (store) => loadDemo(store, DEMO) });
      await t.caughtUp();
      await t.app.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      work = mkdtempSync(join(tmpdir(), 'after-sales-fuzz-'));
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it(`sends at least ${MIN_REQUESTS} requests over every operation: no 5xx, and nothing stored by a rejected request`, async () => {
      const head = await t.store.headPosition();
      const customers = [...new Set((await t.store.readAll()).filter((e) => e.streamName.startsWith('customer-')).map((e) => String(e.data.customerId)))].slice(0, 20);
      const log = join(work, 'answers.log');
      const outputs: string[] = [];
      for (const [id, role] of ROLES) {
        const result = await run(
          [
            'run',
            `${url}/docs/openapi.json`,
            '--header',
            `Authorization: Bearer ${t.token(id, role)}`,
            '--checks',
            'not_a_server_error,response_schema_conformance',
            '--max-examples',
            String(EXAMPLES),
            '--seed',
            '20261130',
            '--workers',
            '2',
            '--no-color',
          ],
          { FUZZ_LOG: log, FUZZ_PREFIX: `fz-${role}`, FUZZ_CUSTOMERS: customers.join(','), FUZZ_REPS: 'rep-001,rep-002', SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: join(ROOT, 'test', 'fuzz') },
        );
        outputs.push(`--- ${role}: exit ${result.code}\n${result.output}`);
      }
      // A check that failed (a 5xx, or an answer its schema does not describe) is listed under "Failures:";
      // a "Runtime Error" is Schemathesis failing to generate a case, not an answer of the service.
      const failures = outputs.filter((output) => /^Failures:/m.test(output)).map((output) => output.slice(Math.max(0, output.indexOf('FAILURES')), output.indexOf('SUMMARY')));
      expect(failures).toStrictEqual([]);
      if (!existsSync(log)) throw new Error(`Schemathesis sent no request:\n${outputs.join('\n').slice(-4000)}`);
      const answers = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .map(([correlation, status, method, path]) => ({ correlation: correlation!, status: Number(status), method: method!, path: path! }));
      const serverErrors = answers.filter((a) => a.status >= 500);
      expect({ serverErrors: serverErrors.slice(0, 20), count: serverErrors.length }).toStrictEqual({ serverErrors: [], count: 0 });
      expect(answers.length).toBeGreaterThanOrEqual(MIN_REQUESTS);
      // Every operation of the document was called.
      const document = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      const called = new Set(answers.map((a) => `${a.method} ${a.path}`));
      expect(operations.filter((op) => !called.has(op))).toStrictEqual([]);
      // Events stored during the run come from requests answered 2xx only.
      const accepted = new Set(answers.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.correlation));
      const stored = (await t.store.readAll({ after: head })).filter((e) => e.metadata.correlationId.startsWith('fz-'));
      const fromRejected = stored.filter((e) => !accepted.has(e.metadata.correlationId)).map((e) => `${e.type} ${e.metadata.correlationId}`);
      expect(fromRejected).toStrictEqual([]);
      process.stdout.write(
        `fuzz: ${answers.length} requests, ${accepted.size} answered 2xx, ${stored.length} events stored by them; by status ${JSON.stringify(
          answers.reduce<Record<number, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {}),
        )}\n`,
      );
    }, 900_000);
  });
}
