import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStream } from '#customer';
import { randomUUID } from 'node:crypto';
import { ProjectionRunner, READ_STORE, type ReadStore } from '#read-store';
import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { projectionsFor } from '#views';
import { call, createTestApp, TestApp } from '../support/test-app';
import { seedTeam } from '../support/fixtures';

const sqliteError = (code: string, message: string): Error => Object.assign(new Error(message), { name: 'SqliteError', code });

describe('health: live and ready, and 503 (never 500) while a store or a read model cannot serve', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is live and ready once every read model is built and caught up', async () => {
    t = await createTestApp();
    await seedTeam(t);
    await t.caughtUp();
    expect((await call(t, 'GET', '/health/live')).body).toStrictEqual({ status: 'ok' });
    const ready = await call(t, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(Object.values(ready.body.checks).map((check) => (check as { ok: boolean }).ok)).toStrictEqual([true, true, true, true, true]);
    expect(ready.body.checks.projections.detail).toBe('8 read models built and caught up, none stopped');
    expect(ready.body.projections.every((p: { state: string; behind: string }) => p.state === 'live' && p.behind === '0')).toBe(true);
  });

  it('is not ready, with Retry-After, when the read-model store takes no writes; a query that fails on a damaged file answers 503', async () => {
    t = await createTestApp();
    await seedTeam(t);
    await t.caughtUp();
    const store = t.app.get<ReadStore>(READ_STORE);
    jest.spyOn(store, 'probeWrite').mockRejectedValue(sqliteError('SQLITE_READONLY', 'attempt to write a readonly database'));
    const ready = await call(t, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.body.status).toBe('not_ready');
    expect(ready.body.checks.readStoreWrite).toStrictEqual({ ok: false, detail: 'attempt to write a readonly database' });
    jest.spyOn(store, 'liveCheckpoints').mockRejectedValue(sqliteError('SQLITE_CORRUPT', 'database disk image is malformed'));
    const churn = await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: t.token('mgr-1', 'manager') });
    expect(churn.status).toBe(503);
    expect(churn.headers['retry-after']).toBe('5');
    expect(churn.body).toStrictEqual({ statusCode: 503, code: 'STORE_UNAVAILABLE', message: 'A database the service uses cannot be read or written; try again later' });
  });

  it('is not ready while a projection is stopped at an event, naming it', async () => {
    t = await createTestApp();
    await seedTeam(t);
    await t.caughtUp();
    const signing = {
      id: '00000000-0000-4000-a000-000000000042',
      type: 'CustomerSigned',
      data: { customerId: 'c-7', companyName: 'Old Co.', contact: { name: 'Li', phone: '1' }, industry: 'x', product: 'bidding', contractAmountFen: 100, term: [], salesRepId: 'sales-1', serviceRepId: 'rep-1', grade: 'B', keyAccount: false, signedOn: '2026-03-09' },
      metadata: { commandId: 'old', correlationId: 'old', causationId: 'old', actor: { id: 'rep-1', role: 'rep' as const }, occurredAt: '2026-03-09T02:00:00.000Z', schemaVersion: 1 },
    };
    await t.store.append(customerStream('c-7'), [signing], 'any');
    let ready = await call(t, 'GET', '/health/ready');
    for (let i = 0; i < 100 && ready.status === 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ready = await call(t, 'GET', '/health/ready');
    }
    expect(ready.status).toBe(503);
    expect(ready.body.checks.projections.ok).toBe(false);
    expect(ready.body.checks.projections.detail).toMatch(/customer_facts stopped at position \d+: CustomerSigned at position \d+: term/);
    expect(ready.body.projections.find((p: { name: string }) => p.name === 'customer_facts').state).toBe('failed');
  });

  it('answers 503 with Retry-After while read models are not built, and says so when not ready', async () => {
    t = await createTestApp({ env: { PROJECTIONS: 'off' } });
    const churn = await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: t.token('mgr-1', 'manager') });
    expect(churn.status).toBe(503);
    expect(churn.headers['retry-after']).toBe('5');
    expect(churn.body.code).toBe('READ_MODEL_NOT_READY');
    const ready = await call(t, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.projections.detail).toContain('customer_facts is not built yet');
  });

  it('answers 503 naming both versions while a read model is live only in a version older than the code reads (rebuilding after an upgrade)', async () => {
    t = await createTestApp({ env: { PROJECTIONS: 'off' } });
    const readStore = t.app.get<ReadStore>(READ_STORE);
    await readStore.prepareGeneration('staff', 1, [{ name: 'reps', indexes: [] }, { name: 'groups', indexes: [] }], true);
    await readStore.prepareGeneration('churn_risk', 2, [{ name: 'risks', indexes: [] }], true);
    const churn = await call(t, 'GET', '/churn-risk?asOf=2026-03-10', { token: t.token('mgr-1', 'manager') });
    expect(churn.status).toBe(503);
    expect(churn.headers['retry-after']).toBe('5');
    expect(churn.body).toStrictEqual({
      statusCode: 503,
      code: 'READ_MODEL_NOT_READY',
      message: 'The churn_risk read model live now was built by version 2 of its projection and this service reads version 3; it is being rebuilt (start the projections, or rebuild it) and retry',
      details: { projection: 'churn_risk', liveVersion: 2, version: 3 },
    });
  });

  it('is not ready while the projections catch up after a start, with the lag; then ready, also when they fall behind later', async () => {
    // The projections run in another process (as with PROJECTIONS=process): here, a runner the test drives.
    t = await createTestApp({ env: { PROJECTIONS: 'off' } });
    const readStore = t.app.get<ReadStore>(READ_STORE);
    const groups = (from: number) =>
      Array.from({ length: 1_500 }, (_, i) => ({
        streamName: `group-bulk-${from + i}`,
        expected: 'no_stream' as const,
        events: [
          {
            id: randomUUID(),
            type: 'GroupCreated',
            data: { groupId: `bulk-${from + i}`, name: `Group ${from + i}`, kind: 'bidding' },
            metadata: { commandId: randomUUID(), correlationId: 'c', causationId: 'c', actor: { id: 'mgr-1', role: 'manager' as const }, occurredAt: '2026-03-10T02:00:00.000Z', schemaVersion: 1 },
          },
        ],
      }));
    const project = async () => {
      const runner = new ProjectionRunner(t!.store, readStore, projectionsFor(DEFAULT_SERVICE_RULES));
      await runner.start();
      expect(await runner.waitFor(await t!.store.headPosition(), 20_000)).toBe(true);
      await runner.stop();
    };
    await project();
    await t.store.appendMany(groups(0));
    const behind = await call(t, 'GET', '/health/ready');
    expect(behind.status).toBe(503);
    expect(behind.body.checks.projections).toStrictEqual({ ok: false, detail: expect.stringContaining('staff is catching up: 1,500 events behind the log') });
    expect(behind.body.projections.find((p: { name: string }) => p.name === 'staff')).toMatchObject({ state: 'external', behind: '1500' });
    await project();
    expect((await call(t, 'GET', '/health/ready')).status).toBe(200);
    await t.store.appendMany(groups(1_500));
    const later = await call(t, 'GET', '/health/ready');
    expect(later.status).toBe(200);
    expect(later.body.projections.find((p: { name: string }) => p.name === 'staff').behind).toBe('1500');
  });

  it('refuses to start on read models built from another log, naming the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'after-sales-ahead-'));
    try {
      t = await createTestApp({ env: { DATA_DIR: dir } });
      await seedTeam(t);
      await t.caughtUp();
      await t.close();
      t = undefined;
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `events.db${suffix}`), { force: true });
      await expect(createTestApp({ env: { DATA_DIR: dir } })).rejects.toThrow(
        new RegExp(`The read models in ${join(dir, 'read-models.db')} are ahead of the event log in ${join(dir, 'events.db')}: .*customer_facts at position \\d+.*but the log ends at position \\d+\\. They were built from another log\\. Remove them`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
