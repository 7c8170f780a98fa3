import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '#read-store';
import { readStoreContract } from '#testing';

readStoreContract('SQLite in memory', async () => {
  const store = new SqliteReadStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

readStoreContract('SQLite file (WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-store-'));
  const store = new SqliteReadStore({ filename: join(dir, 'read-models.db') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
