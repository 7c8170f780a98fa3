import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';

/**
 * Kills a process that writes from 20 concurrent commands (group commit) with SIGKILL once it has acknowledged a
 * few hundred appends, opens the store again and looks for every acknowledged event. Five kills per durability.
 */
const ACKNOWLEDGED_BEFORE_KILL = 300;

const killMidWrite = (file: string, durability: string): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', join(__dirname, '..', 'support', 'ts-register.js'), join(__dirname, 'crash-writer.ts'), file, durability, '20'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let rest = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop()!;
      acknowledged.push(...lines);
      if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acknowledged) : reject(new Error(`The writer exited by itself (${code}): ${errors}`))));
  });

describe('a crash in mid-write loses no acknowledged append (group commit)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'crash-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['full', 'normal'])('with durability %s: every event acknowledged before SIGKILL is in the store after a restart, five times over', async (durability) => {
    const file = join(dir, `events-${durability}.db`);
    let acknowledgedInAll = 0;
    for (let run = 0; run < 5; run += 1) {
      const acknowledged = await killMidWrite(file, durability);
      const store = new SqliteEventStore({ filename: file, crossProcessCheckMs: 0 });
      const stored = new Set((await store.readAll()).map((event) => event.id));
      await store.close();
      expect(acknowledged.filter((id) => !stored.has(id))).toStrictEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);
      acknowledgedInAll += acknowledged.length;
    }
    expect(acknowledgedInAll).toBeGreaterThanOrEqual(5 * ACKNOWLEDGED_BEFORE_KILL);
  }, 120_000);
});
