import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ConfigurationError } from '#shared-kernel';
import { loadConfig } from '#config';
import { openEventStore, openReadStore } from './open-stores';

const SECRET = 'a-shared-secret-for-every-instance-0123456789';

describe('opening the embedded stores', () => {
  let dir: string;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const failure = async (open: () => Promise<unknown>): Promise<Error> => {
    try {
      await open();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return error as Error;
    }
    throw new Error('opened');
  };

  it('names the file and the fix when the event store path is a directory', async () => {
    mkdirSync(join(dir, 'events.db'));
    const error = await failure(() => openEventStore(loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: SECRET })));
    expect(error.message).toBe(
      `Cannot open the event store at ${join(dir, 'events.db')}: unable to open database file (SQLITE_CANTOPEN); check that the path is a file, not a directory, and that its directory exists and can be written`,
    );
  });

  it('names the file and the fix when the read-model file is not a database', async () => {
    writeFileSync(join(dir, 'read-models.db'), Buffer.alloc(20_000, 7));
    const error = await failure(() => openReadStore(loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: SECRET })));
    expect(error.message).toBe(
      `Cannot open the read-model store at ${join(dir, 'read-models.db')}: file is not a database (SQLITE_NOTADB); the file is not a SQLite database (replaced or damaged): restore it from a backup, or move it away to start empty`,
    );
  });

  it('opens both on an empty data directory', async () => {
    const config = loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: SECRET });
    const events = await openEventStore(config);
    const store = await openReadStore(config);
    expect(await events.headPosition()).toBe(-1n);
    expect(await store.registrations()).toStrictEqual([]);
    await Promise.all([events.close(), store.close()]);
  });
});
