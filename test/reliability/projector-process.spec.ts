import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectorProcess } from '../../apps/api/src/projector-process';
import { type EventToAppend, SqliteEventStore } from '#event-store';
import { liveTarget, SqliteReadStore } from '#read-store';
import { STAFF_READ_MODEL } from '#staff';

/**
 * PROJECTIONS=process: the service runs apps/projector as its child. Here the child runs the TypeScript sources
 * (through swc, as Jest does); the service builds run the compiled projector the same way.
 */
const ROOT = join(__dirname, '..', '..');
const PROJECTOR = ['-r', join(ROOT, 'test', 'support', 'ts-register.js'), join(ROOT, 'apps', 'projector', 'src', 'main.ts')];

const group = (groupId: string): EventToAppend => ({
  id: randomUUID(),
  type: 'GroupCreated',
  data: { groupId, name: `Group ${groupId}`, kind: 'bidding' },
  metadata: { commandId: randomUUID(), correlationId: 'c', causationId: 'c', actor: { id: 'mgr-1', role: 'manager' }, occurredAt: '2026-03-10T02:00:00.000Z', schemaVersion: 1 },
});

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the projections in a process of their own', () => {
  let dir: string;
  let env: Record<string, string>;
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  /** Whether the staff read model holds the group (read by this process, as the service's queries read it). */
  const projected = async (groupId: string): Promise<boolean> => {
    try {
      const target = await liveTarget(store, STAFF_READ_MODEL);
      return (await store.load(target, 'groups', [groupId])).has(groupId);
    } catch {
      return false;
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-'));
    env = { PATH: process.env.PATH ?? '', DATA_DIR: dir, DEMO: 'off', LOG_LEVEL: 'error', AUTH_TOKEN_SECRET: 'projector-process-test-secret-0123456789abcdef' };
    events = new SqliteEventStore({ filename: join(dir, 'events.db'), crossProcessCheckMs: 0 });
    store = new SqliteReadStore({ filename: join(dir, 'read-models.db') });
  });
  afterEach(async () => {
    await Promise.all([events.close(), store.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows appends made by the service, is started again when it is killed, and stops with the service', async () => {
    await events.append('group-g1', [group('g1')], 'no_stream');
    const logged: string[] = [];
    const projector = new ProjectorProcess({ args: PROJECTOR, env, log: (message) => logged.push(message), restartDelayMs: 100 });
    projector.start();
    try {
      await until('the first group to be projected', () => projected('g1'));
      // Appended by this process, seen by the child within its follow interval.
      await events.append('group-g2', [group('g2')], 'no_stream');
      await until('an append of the service to be projected', () => projected('g2'), 5_000);

      const first = projector.pid!;
      process.kill(first, 'SIGKILL');
      await until('the projector to be started again', async () => projector.pid !== undefined && projector.pid !== first);
      expect(projector.startCount).toBe(2);
      expect(logged).toStrictEqual(['The projector process stopped (SIGKILL); starting it again in 100 ms']);
      await events.append('group-g3', [group('g3')], 'no_stream');
      await until('the restarted projector to go on from its checkpoint', () => projected('g3'));
    } finally {
      await projector.stop();
    }
    expect(projector.pid).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(projector.startCount).toBe(2);
  }, 90_000);

  it('stops by itself when the service is gone (its IPC channel closes)', async () => {
    const child = spawn(process.execPath, PROJECTOR, { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await events.append('group-g1', [group('g1')], 'no_stream');
    await until('the projector to run', () => projected('g1'));
    child.disconnect();
    expect(await exited).toBe(0);
  }, 60_000);
});
