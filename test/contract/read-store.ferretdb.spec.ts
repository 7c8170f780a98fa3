import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoReadStore } from '#read-store';
import { readStoreContract } from '#testing';
import { FERRETDB_VERSION, ferretdbBinary, startFerretdb, type RunningFerretdb } from '../support/ferretdb';

/**
 * The MongoDB adapter against a real MongoDB wire-protocol server: FerretDB, built and started by the test run.
 * The same suite runs against a MongoDB replica set with MONGODB_URL (read-store.mongodb.spec.ts).
 */
const found = ferretdbBinary();

/** What FerretDB 1.24 cannot do that the contract asks, found by running it here. */
const FERRETDB_CANNOT: Record<string, string> = {
  'counts and sums per group (in the JSON order of their keys), keys exact in type, a missing key as null, a missing summand as nothing':
    'FerretDB 1.24 computes only the first accumulator of a $group (every later $sum reads 0), so no sums can be checked',
  'sums per group of fields of a declared type': 'FerretDB 1.24 computes only the first accumulator of a $group (every later $sum reads 0), so no sums can be checked',
  'answers aggregates a rollup covers as from the documents, through inserts, moves between groups and replays':
    'FerretDB 1.24 computes only the first accumulator of a $group (every later $sum reads 0), so no sums can be checked',
  'lists the distinct values of a field per group, exact in type, leaving out null and missing':
    'FerretDB 1.24 computes only the first accumulator of a $group (every later $sum reads 0), so no sums can be checked',
  'keeps a rollup of a generation filled before its indexes were built, from then on':
    'FerretDB 1.24 computes only the first accumulator of a $group (every later $sum reads 0), so no sums can be checked',
};

if ('skip' in found) {
  describe(`ReadStore contract: FerretDB ${FERRETDB_VERSION}`, () => {
    it.skip(`SKIPPED: ${found.skip}`, () => undefined);
  });
  // eslint-disable-next-line no-console
  console.warn(`ReadStore contract suite on FerretDB SKIPPED: ${found.skip}`);
} else {
  let server: RunningFerretdb;
  beforeAll(async () => {
    server = await startFerretdb(found.binary);
  }, 30_000);
  afterAll(async () => server?.stop());

  readStoreContract(
    `FerretDB ${FERRETDB_VERSION} (MongoDB wire protocol over SQLite)`,
    async () => {
      const database = `rm_contract_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const store = await MongoReadStore.connect({ url: server.url, database, appName: 'read-store-contract' });
      return {
        store,
        dispose: async () => {
          await store.close();
          const admin = new MongoClient(server.url);
          try {
            await admin.db(database).dropDatabase();
          } finally {
            await admin.close();
          }
        },
      };
    },
    FERRETDB_CANNOT,
  );

  describe(`MongoReadStore on FerretDB ${FERRETDB_VERSION}`, () => {
    it('lets concurrent readers that keep the last position they saw miss no document, without transactions', async () => {
      const database = `rm_readers_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const store = await MongoReadStore.connect({ url: server.url, database });
      const readers = await Promise.all([1, 2, 3].map(() => MongoReadStore.connect({ url: server.url, database })));
      try {
        const projection = 'readers';
        const generation = await store.prepareGeneration(projection, 1, [{ name: 'items', indexes: [] }], true);
        const target = { projection, generation };
        // 20 commits of 20 documents; in each, the documents are written highest position first, so without a
        // bound a reader could see a later one, keep its position, and never see the earlier ones.
        const ids = new Set<string>();
        let writing = true;
        const writer = (async () => {
          for (let commit = 0; commit < 20; commit += 1) {
            const base = BigInt(commit * 100);
            const writes = Array.from({ length: 20 }, (_, i) => ({ collection: 'items', doc: { id: `d${commit}-${i}` }, position: base + BigInt(20 - i) }));
            for (const write of writes) ids.add(write.doc.id);
            await store.commit(target, writes, base + 20n, null);
          }
          writing = false;
        })();
        const follow = async (reader: MongoReadStore) => {
          const seen = new Set<string>();
          let mark = -1n;
          for (;;) {
            const done = !writing;
            for (const { doc, position } of await reader.changedSince(target, 'items', mark)) {
              seen.add(doc.id);
              if (position > mark) mark = position;
            }
            if (done) return seen;
          }
        };
        const [seen] = await Promise.all([Promise.all(readers.map(follow)), writer]);
        expect(ids.size).toBe(400);
        for (const reader of seen) expect([...ids].filter((id) => !reader.has(id))).toStrictEqual([]);
      } finally {
        await Promise.all(readers.map((reader) => reader.close()));
        await store.close();
        const admin = new MongoClient(server.url);
        await admin.db(database).dropDatabase().finally(() => admin.close());
      }
    }, 60_000);

    it('keeps the driver’s 30 s server selection for its operations, so an election is waited out (10 s was the whole client’s)', async () => {
      const store = await MongoReadStore.connect({ url: server.url, database: 'rm_selection' });
      try {
        const { client } = store as unknown as { client: MongoClient };
        expect(client.options.serverSelectionTimeoutMS).toBe(30_000);
        expect(store.transactional).toBe(false);
      } finally {
        await store.close();
      }
      const told = await MongoReadStore.connect({ url: `${server.url}?serverSelectionTimeoutMS=4000`, database: 'rm_selection' });
      expect((told as unknown as { client: MongoClient }).client.options.serverSelectionTimeoutMS).toBe(4000);
      await told.close();
    });
  });
}
