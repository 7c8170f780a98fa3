import type { Db, Document } from 'mongodb';
import type { Doc, DocWrite, Target } from '../read-store.port';
import { commitBatch } from './mongo-commit';
import { CHECKPOINT_COLLECTION, checkpointId, checkpointUpdate, collectionName, DUPLICATE_KEY, groupWrites, type StoredDocument, toStoredDocument } from './mongo-mapping';

const target: Target = { projection: 'race', generation: 1 };
const write = (id: string, position: bigint): DocWrite => ({ collection: 'items', doc: { id, v: Number(position) } as Doc, position });

/**
 * A collection as a server without transactions keeps it, written by a second writer between this writer's read of
 * the stored positions and its writes (`meanwhile`). Like FerretDB 1.x, an unordered bulk write stops at its first
 * duplicate key, so the writes after it are never made.
 */
/** The two writes a batch is made of: an insert, or a replace guarded by the stored position. */
type Op = { insertOne: { document: StoredDocument } } | { replaceOne: { filter: { _id: string; _position: { $lt: string } }; replacement: StoredDocument } };

const racingDb = (meanwhile: StoredDocument[], collidesOnAUniqueKey: readonly string[] = []) => {
  const docs = new Map<string, StoredDocument>();
  const commands: string[] = [];
  let raced = false;
  const duplicate = (index: number) =>
    Object.assign(new Error('E11000 duplicate key error'), {
      name: 'MongoBulkWriteError',
      code: DUPLICATE_KEY,
      writeErrors: [{ code: DUPLICATE_KEY, index, errmsg: 'duplicate key' }],
      result: { getWriteConcernError: () => undefined },
    });
  const items = {
    find: (filter: { _id: { $in: string[] } }) => ({
      toArray: async () => {
        commands.push(`read ${filter._id.$in.join(',')}`);
        return filter._id.$in.flatMap((id) => (docs.has(id) ? [{ _id: id, _position: docs.get(id)!._position }] : []));
      },
    }),
    bulkWrite: async (ops: readonly Op[]) => {
      if (!raced) {
        raced = true;
        for (const doc of meanwhile) docs.set(doc._id, doc);
      }
      commands.push(ops.map((op) => ('insertOne' in op ? `insert ${op.insertOne.document._id}` : `replace ${op.replaceOne.replacement._id}`)).join(','));
      for (const [index, op] of ops.entries()) {
        const id = 'insertOne' in op ? op.insertOne.document._id : op.replaceOne.filter._id;
        if (collidesOnAUniqueKey.includes(id)) throw duplicate(index);
        if ('insertOne' in op) {
          const doc = op.insertOne.document;
          if (docs.has(doc._id)) throw duplicate(index);
          docs.set(doc._id, doc);
        } else {
          const { filter, replacement } = op.replaceOne;
          const stored = docs.get(filter._id);
          if (stored && stored._position >= filter._position.$lt) throw duplicate(index);
          docs.set(filter._id, replacement);
        }
      }
      return {};
    },
  };
  const checkpoints = {
    findOne: async (filter: Document) => (filter._id === checkpointId(target) ? { _id: filter._id } : null),
    updateOne: async () => ({ matchedCount: 1 }),
  };
  const db = {
    collection: (name: string) => {
      if (name === CHECKPOINT_COLLECTION) return checkpoints;
      if (name === collectionName(target, 'items')) return items;
      throw new Error(`Unexpected collection ${name}`);
    },
  } as unknown as Db;
  return { db, docs, commands };
};

describe('commitBatch without transactions', () => {
  const commit = (db: Db, writes: DocWrite[]) => commitBatch(db, target, groupWrites(writes), checkpointUpdate(9n, null, '2026-12-01T00:00:00.000Z'));

  it('keeps the later write of a document another writer stored meanwhile, and writes the rest of the batch', async () => {
    const { db, docs, commands } = racingDb([toStoredDocument({ id: 'b', v: 30 } as Doc, 30n)]);
    expect(await commit(db, [write('a', 10n), write('b', 10n), write('c', 10n)])).toBe('committed');
    expect(Object.fromEntries([...docs].map(([id, doc]) => [id, doc.v]))).toStrictEqual({ a: 10, b: 30, c: 10 });
    // The first insert stopped at b; the chunk is read again, b is left out as older, c is written.
    expect(commands).toStrictEqual(['read a,b,c', 'insert a,insert b,insert c', 'read a,b,c', 'replace c']);
  });

  it('replaces an older document another writer stored meanwhile', async () => {
    const { db, docs, commands } = racingDb([toStoredDocument({ id: 'b', v: 5 } as Doc, 5n)]);
    expect(await commit(db, [write('a', 10n), write('b', 10n)])).toBe('committed');
    expect(Object.fromEntries([...docs].map(([id, doc]) => [id, doc.v]))).toStrictEqual({ a: 10, b: 10 });
    expect(commands).toStrictEqual(['read a,b', 'insert a,insert b', 'read a,b', 'replace b']);
  });

  it('plans a chunk again only once: a key that stays duplicate (a unique index) ends the write as before', async () => {
    const { db, docs, commands } = racingDb([], ['b']);
    expect(await commit(db, [write('a', 10n), write('b', 10n), write('c', 10n)])).toBe('committed');
    expect([...docs.keys()]).toStrictEqual(['a']);
    expect(commands).toStrictEqual(['read a,b,c', 'insert a,insert b,insert c', 'read a,b,c', 'replace b,replace c']);
  });

  it('reads stored positions first and writes only what is newer', async () => {
    const { db, docs, commands } = racingDb([]);
    docs.set('a', toStoredDocument({ id: 'a', v: 20 } as Doc, 20n));
    docs.set('b', toStoredDocument({ id: 'b', v: 1 } as Doc, 1n));
    expect(await commit(db, [write('a', 10n), write('b', 10n), write('c', 10n)])).toBe('committed');
    expect(Object.fromEntries([...docs].map(([id, doc]) => [id, doc.v]))).toStrictEqual({ a: 20, b: 10, c: 10 });
    expect(commands).toStrictEqual(['read a,b,c', 'replace b', 'insert c']);
  });
});
