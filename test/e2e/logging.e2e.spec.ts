import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/bootstrap';
import { issueToken } from '#auth';
import { loadConfig } from '#engine';
import { EVENT_STORE, type EventStore } from '#event-store';
import { TEST_SECRET } from '../support/test-app';

/** The service as `npm start` builds it, logging JSON: request ids in the logs, the answers and the events. */
describe('request ids and JSON logs', () => {
  let app: NestFastifyApplication;
  let dataDir: string;
  const lines: string[] = [];
  const token = issueToken({ id: 'mgr-1', role: 'manager' }, TEST_SECRET, Math.floor(Date.now() / 1000), 600);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'after-sales-logs-'));
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
        done();
      },
    });
    app = await createApp(loadConfig({ DATA_DIR: dataDir, AUTH_TOKEN_SECRET: TEST_SECRET, LOG_FORMAT: 'json', DEMO: 'off', PROJECTIONS: 'inline' }), { logDestination: destination });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const createGroup = (groupId: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/groups', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload: { groupId, name: `Group ${groupId}`, kind: 'bidding' } });
  const correlationOf = async (groupId: string) =>
    (await app.get<EventStore>(EVENT_STORE).readAll()).find((event) => event.data.groupId === groupId)!.metadata.correlationId;

  it('answers with the caller’s request id, and the events it causes carry it as their correlation id', async () => {
    const response = await createGroup('g-logs-1', { 'x-request-id': 'req-e2e-1' });
    expect([response.statusCode, response.headers['x-request-id']]).toStrictEqual([201, 'req-e2e-1']);
    expect(await correlationOf('g-logs-1')).toBe('req-e2e-1');
  });

  it('makes a request id when the caller sends none (or an unusable one), and an explicit correlation id still wins', async () => {
    const made = await createGroup('g-logs-2', { 'x-request-id': 'has spaces' });
    const id = made.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await correlationOf('g-logs-2')).toBe(id);
    await createGroup('g-logs-3', { 'x-request-id': 'req-e2e-3', 'x-correlation-id': 'saga-7' });
    expect(await correlationOf('g-logs-3')).toBe('saga-7');
    // Refused requests have ids too.
    const refused = await app.inject({ method: 'GET', url: '/kpis', headers: { 'x-request-id': 'req-e2e-401' } });
    expect([refused.statusCode, refused.headers['x-request-id']]).toStrictEqual([401, 'req-e2e-401']);
  });

  it('logs each request as JSON with its id and status, and never the token', () => {
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; reqId?: string; res?: { statusCode: number }; context?: string });
    const ofRequest = entries.filter((entry) => entry.reqId === 'req-e2e-1').map((entry) => [entry.msg, entry.res?.statusCode ?? null]);
    expect(ofRequest).toStrictEqual([
      ['incoming request', null],
      ['request completed', 201],
    ]);
    expect(entries.some((entry) => entry.context === 'NestApplication' || entry.context === 'InstanceLoader')).toBe(true);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain(String.fromCharCode(27));
  });
});
