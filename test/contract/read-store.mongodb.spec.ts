import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoReadStore, redactMongoUrl } from '#read-store';
import { readStoreContract } from '#testing';

const url = process.env.MONGODB_URL;

if (url) {
  readStoreContract(`MongoDB (${redactMongoUrl(url)})`, async () => {
    // A database of its own per test, dropped afterwards, so runs never see each other's collections.
    const database = `rm_contract_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const store = await MongoReadStore.connect({ url, database, appName: 'read-store-contract' });
    return {
      store,
      dispose: async () => {
        await store.close();
        const admin = new MongoClient(url);
        try {
          await admin.db(database).dropDatabase();
        } finally {
          await admin.close();
        }
      },
    };
  });
} else {
  describe('ReadStore contract: MongoDB', () => {
    it.skip('SKIPPED: MONGODB_URL is not set, so no MongoDB server to run against (start one with `docker compose up -d mongodb`, then MONGODB_URL="mongodb://localhost:27017/?directConnection=true" npm test)', () => undefined);
  });
  // eslint-disable-next-line no-console
  console.warn(
    'ReadStore contract suite for MongoDB SKIPPED: MONGODB_URL is not set. ' +
      'Run `docker compose up -d mongodb` and set MONGODB_URL="mongodb://localhost:27017/?directConnection=true" to run it.',
  );
}
