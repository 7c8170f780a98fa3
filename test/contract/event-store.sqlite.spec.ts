import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { eventStoreContract } from '#testing';

eventStoreContract('SQLite (in memory)', async () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

eventStoreContract('SQLite (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'es-contract-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.db') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
