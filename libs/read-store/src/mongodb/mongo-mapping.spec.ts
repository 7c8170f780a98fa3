import type { Doc, DocWrite, IndexSpec } from '../read-store.port';
import {
  publishedView,
  checkpointId,
  checkpointUpdate,
  collectionName,
  emptyCheckpoint,
  freshWrites,
  insertOps,
  fromStoredDocument,
  groupWrites,
  indexesFor,
  isDuplicateKeyOnly,
  planWrites,
  replaceOps,
  supportsTransactions,
  writesPerCommand,
  FERRETDB_WRITES_PER_COMMAND,
  toCheckpointRecord,
  toIndexArgs,
  toMongoFilter,
  toMongoPath,
  toMongoSort,
  toPaging,
  toPortDoc,
  toRegistration,
  toStoredDocument,
  fromMongoGroup,
  mergeGroups,
  toMongoAggregation,
} from './mongo-mapping';

const P20 = '0000000000000000000000000000000000000020';
const write = (id: string, position: bigint, extra: Record<string, unknown> = {}, collection = 'items'): DocWrite => ({
  collection,
  doc: { id, ...extra } as Doc,
  position,
});

describe('MongoDB mapping', () => {
  describe('physical names', () => {
    it('names collections per projection, generation and collection, and checkpoints per generation', () => {
      expect(collectionName({ projection: 'churn_risk', generation: 3 }, 'customers')).toBe('rm.churn_risk.g3.customers');
      expect(checkpointId({ projection: 'churn_risk', generation: 3 })).toBe('churn_risk:g3');
    });

    it.each([
      ['projection', { projection: 'Bad', generation: 1 }, 'items'],
      ['projection', { projection: 'a.b', generation: 1 }, 'items'],
      ['projection', { projection: 'a$b', generation: 1 }, 'items'],
      ['collection', { projection: 'ok', generation: 1 }, '../x'],
      ['collection', { projection: 'ok', generation: 1 }, 'system.users'],
      ['generation', { projection: 'ok', generation: 0 }, 'items'],
      ['generation', { projection: 'ok', generation: 1.5 }, 'items'],
    ])('rejects an unsafe %s', (_what, target, collection) => {
      expect(() => collectionName(target, collection)).toThrow(RangeError);
    });
  });

  describe('filters', () => {
    it('maps the id to _id and keeps dotted paths', () => {
      expect(toMongoFilter({ id: 'a', 'meta.kind': 'x' })).toEqual({ _id: 'a', 'meta.kind': 'x' });
      expect(toMongoFilter({ id: { $in: ['a', 'c'] } })).toEqual({ _id: { $in: ['a', 'c'] } });
    });

    it('keeps scalar equality type-strict and null as is (MongoDB matches missing fields with null)', () => {
      expect(toMongoFilter({ active: true, amount: 1, label: '1', owner: null })).toEqual({ active: true, amount: 1, label: '1', owner: null });
      expect(toMongoFilter({ owner: { $in: ['rep-2', null] } })).toEqual({ owner: { $in: ['rep-2', null] } });
    });

    it('passes comparison operators through, several on one field', () => {
      expect(toMongoFilter({ amount: { $gte: 2.5, $lt: 30 }, owner: { $ne: 'rep-1' }, day: { $gt: '2026-01-02' } })).toEqual({
        amount: { $gte: 2.5, $lt: 30 },
        owner: { $ne: 'rep-1' },
        day: { $gt: '2026-01-02' },
      });
      expect(toMongoFilter({ owner: { $eq: null }, n: { $lte: 3 } })).toEqual({ owner: { $eq: null }, n: { $lte: 3 } });
    });

    it('treats no filter and an empty condition as "everything"', () => {
      expect(toMongoFilter(undefined)).toEqual({});
      expect(toMongoFilter({})).toEqual({});
      expect(toMongoFilter({ owner: {} })).toEqual({});
    });

    it('rejects unknown operators, invalid paths and the store’s own fields', () => {
      expect(() => toMongoFilter({ owner: { $regex: 'x' } as never })).toThrow(/Unsupported operator \$regex/);
      expect(() => toMongoFilter({ $where: 'x' } as never)).toThrow(RangeError);
      expect(() => toMongoFilter({ 'a..b': 1 })).toThrow(RangeError);
      expect(() => toMongoFilter({ _position: { $gt: '0' } })).toThrow(/reserved/);
      expect(() => toMongoFilter({ '_id.x': 1 })).toThrow(/reserved/);
      expect(() => toMongoFilter({ owner: { $eq: undefined } as never })).toThrow(/needs a value/);
    });
  });

  describe('aggregate', () => {
    const spec = { groupBy: ['repId', 'meta.kind'], sum: ['spendFen'] };

    it('matches, then groups by positional names (dotted paths may not name $group outputs), fields as they are', () => {
      expect(toMongoAggregation({ week: '2026-01-05', listed: true }, spec)).toStrictEqual([
        { $match: { week: '2026-01-05', listed: true } },
        { $group: { _id: { k0: '$repId', k1: '$meta.kind' }, n: { $sum: 1 }, s0: { $sum: '$spendFen' } } },
      ]);
      expect(() => toMongoAggregation({}, { groupBy: ['_id'], sum: [] })).toThrow(RangeError);
    });

    it('reads a group row back under the field paths, with numbers as numbers', () => {
      expect(fromMongoGroup({ _id: { k0: 'rep-1', k1: null }, n: 3, s0: 1250 }, spec)).toStrictEqual({ key: { repId: 'rep-1', 'meta.kind': null }, count: 3, sums: { spendFen: 1250 } });
      expect(fromMongoGroup({ _id: null, n: 2 }, { groupBy: [], sum: ['x'] })).toStrictEqual({ key: {}, count: 2, sums: { x: 0 } });
    });

    it('joins the group of documents without a key field with the group holding null there', () => {
      const missing = fromMongoGroup({ _id: { k0: 'rep-1' }, n: 2, s0: 100 }, spec);
      const holdsNull = fromMongoGroup({ _id: { k0: 'rep-1', k1: null }, n: 3, s0: 25 }, spec);
      const other = fromMongoGroup({ _id: { k0: 'rep-2', k1: 'x' }, n: 1, s0: 7 }, spec);
      expect(mergeGroups([missing, other, holdsNull])).toStrictEqual([
        { key: { repId: 'rep-1', 'meta.kind': null }, count: 5, sums: { spendFen: 125 } },
        { key: { repId: 'rep-2', 'meta.kind': 'x' }, count: 1, sums: { spendFen: 7 } },
      ]);
    });

    it('collects a field with $addToSet, lists no null, and joins the lists of joined groups', () => {
      const collecting = { ...spec, collect: 'customerId' };
      expect(toMongoAggregation({}, collecting)[1]).toStrictEqual({
        $group: { _id: { k0: '$repId', k1: '$meta.kind' }, n: { $sum: 1 }, s0: { $sum: '$spendFen' }, v: { $addToSet: '$customerId' } },
      });
      const missing = fromMongoGroup({ _id: { k0: 'rep-1' }, n: 2, s0: 100, v: ['c1', null, 1] }, collecting);
      expect(missing).toStrictEqual({ key: { repId: 'rep-1', 'meta.kind': null }, count: 2, sums: { spendFen: 100 }, values: ['c1', 1] });
      const holdsNull = fromMongoGroup({ _id: { k0: 'rep-1', k1: null }, n: 1, s0: 5, v: ['c2', 'c1', '1'] }, collecting);
      expect(mergeGroups([missing, holdsNull])).toStrictEqual([{ key: { repId: 'rep-1', 'meta.kind': null }, count: 3, sums: { spendFen: 105 }, values: ['c1', 1, 'c2', '1'] }]);
      expect(fromMongoGroup({ _id: { k0: 'rep-3' }, n: 1, s0: 0 }, collecting).values).toStrictEqual([]);
    });
  });

  describe('sort and paging', () => {
    it('sorts in the given order and breaks ties by _id', () => {
      expect(toMongoSort({ sort: [['amount', -1]] })).toEqual({ amount: -1, _id: 1 });
      expect(Object.keys(toMongoSort({ sort: [['owner', 1], ['meta.day', -1]] }))).toEqual(['owner', 'meta.day', '_id']);
      expect(toMongoSort({ sort: [['id', -1]] })).toEqual({ _id: -1 });
      expect(toMongoSort(undefined)).toEqual({ _id: 1 });
    });

    it('reads a zero limit as "none", since MongoDB reads limit(0) as unlimited', () => {
      expect(toPaging(undefined)).toEqual({ skip: 0, limit: 0, none: false });
      expect(toPaging({ skip: 1, limit: 2 })).toEqual({ skip: 1, limit: 2, none: false });
      expect(toPaging({ limit: 0 })).toEqual({ skip: 0, limit: 0, none: true });
      expect(() => toPaging({ skip: -1 })).toThrow(RangeError);
      expect(() => toPaging({ limit: 1.5 })).toThrow(RangeError);
    });
  });

  describe('indexes', () => {
    it('maps single, compound, nested and unique indexes with their names', () => {
      expect(toIndexArgs({ name: 'by_owner', fields: [['owner', 1]] })).toEqual({ key: { owner: 1 }, name: 'by_owner' });
      const compound = toIndexArgs({ name: 'by_owner_day', fields: [['owner', 1], ['day', -1]], unique: true });
      expect(compound).toEqual({ key: { owner: 1, day: -1 }, name: 'by_owner_day', unique: true });
      expect(Object.keys(compound!.key as object)).toEqual(['owner', 'day']);
      expect(toIndexArgs({ name: 'by_kind_id', fields: [['meta.kind', 1], ['id', 1]] })).toEqual({ key: { 'meta.kind': 1, _id: 1 }, name: 'by_kind_id' });
    });

    it('skips an index on the id alone and rejects bad names', () => {
      expect(toIndexArgs({ name: 'by_id', fields: [['id', 1]] })).toBeNull();
      expect(() => toIndexArgs({ name: 'Bad-Name', fields: [['owner', 1]] })).toThrow(RangeError);
      expect(() => toIndexArgs({ name: 'empty', fields: [] })).toThrow(RangeError);
    });

    it('always adds the position index first', () => {
      const indexes: IndexSpec[] = [{ name: 'by_owner', fields: [['owner', 1]] }, { name: 'by_id', fields: [['id', 1]] }];
      expect(indexesFor({ name: 'items', indexes })).toEqual([
        { key: { _position: 1 }, name: '_position' },
        { key: { owner: 1 }, name: 'by_owner' },
      ]);
    });
  });

  describe('documents', () => {
    it('stores the id as _id with the fixed-width position and reads both back', () => {
      const doc = { id: 'a', owner: 'rep-1', meta: { kind: 'x' } } as Doc;
      const stored = toStoredDocument(doc, 20n);
      expect(stored).toEqual({ _id: 'a', _position: P20, owner: 'rep-1', meta: { kind: 'x' } });
      expect(fromStoredDocument(stored)).toEqual({ doc, position: 20n });
      expect(toPortDoc({ _id: 'a', owner: 'rep-1' })).toEqual({ id: 'a', owner: 'rep-1' });
    });

    it('keeps positions beyond 64 bits exact', () => {
      const big = (1n << 64n) * 5n + 3n;
      expect(fromStoredDocument(toStoredDocument({ id: 'n' }, big)).position).toBe(big);
    });

    it('rejects documents that use the store’s own fields or have no id', () => {
      expect(() => toStoredDocument({ id: 'a', _position: 'x' } as Doc, 1n)).toThrow(/reserved/);
      expect(() => toStoredDocument({ id: 'a', _id: 'b' } as Doc, 1n)).toThrow(/reserved/);
      expect(() => toStoredDocument({ id: '' }, 1n)).toThrow(RangeError);
      expect(() => fromStoredDocument({ _id: 'a' })).toThrow(/no position/);
    });
  });

  describe('writes', () => {
    it('builds guarded upserts: replaced only where the stored position is lower', () => {
      expect(replaceOps([write('a', 20n, { v: 2 })])).toEqual([
        {
          replaceOne: {
            filter: { _id: 'a', _position: { $lt: P20 } },
            replacement: { _id: 'a', _position: P20, v: 2 },
            upsert: true,
          },
        },
      ]);
    });

    it('groups by collection and keeps the latest write of a document', () => {
      const groups = groupWrites([write('a', 5n, { v: 1 }), write('b', 6n), write('a', 7n, { v: 2 }), write('a', 4n, { v: 0 }), write('n', 8n, {}, 'notes')]);
      expect([...groups.keys()]).toEqual(['items', 'notes']);
      expect(groups.get('items')!.map((w) => [w.doc.id, w.position])).toEqual([
        ['a', 7n],
        ['b', 6n],
      ]);
    });

    it('leaves out writes not newer than what is stored (for transactions)', () => {
      const stored = new Map([
        ['a', P20],
        ['b', '0000000000000000000000000000000000000005'],
      ]);
      const fresh = freshWrites([write('a', 20n), write('b', 6n), write('c', 1n), write('a', 19n)], stored);
      expect(fresh.map((w) => [w.doc.id, w.position])).toEqual([
        ['b', 6n],
        ['c', 1n],
      ]);
    });
    it('inserts what is not stored, replaces what is stored and older, and leaves out what is not newer', () => {
      const stored = new Map([
        ['a', P20],
        ['b', '0000000000000000000000000000000000000005'],
      ]);
      const plan = planWrites([write('a', 20n), write('b', 6n, { v: 6 }), write('c', 1n, { v: 1 }), write('d', 21n)], stored);
      expect({ inserts: plan.inserts.map((w) => w.doc.id), replaces: plan.replaces.map((w) => w.doc.id) }).toStrictEqual({ inserts: ['c', 'd'], replaces: ['b'] });
      expect(planWrites([], stored)).toStrictEqual({ inserts: [], replaces: [] });
      expect(insertOps([write('c', 20n, { v: 1 })])).toStrictEqual([{ insertOne: { document: { _id: 'c', _position: P20, v: 1 } } }]);
    });
  });

  describe('duplicate keys', () => {
    const bulkError = (codes: number[], extra: Record<string, unknown> = {}) =>
      Object.assign(new Error('E11000 duplicate key error'), {
        name: 'MongoBulkWriteError',
        code: codes[0],
        writeErrors: codes.map((code, index) => ({ code, index, errmsg: 'x' })),
        result: { getWriteConcernError: () => undefined },
        ...extra,
      });

    it('is true when every write error is a duplicate key', () => {
      expect(isDuplicateKeyOnly(bulkError([11000]))).toBe(true);
      expect(isDuplicateKeyOnly(bulkError([11000, 11000, 11000]))).toBe(true);
      expect(isDuplicateKeyOnly({ name: 'MongoBulkWriteError', writeErrors: { code: 11000 } })).toBe(true);
    });

    it('is false for mixed errors, a write-concern error, no write errors, or another error', () => {
      expect(isDuplicateKeyOnly(bulkError([11000, 121]))).toBe(false);
      expect(isDuplicateKeyOnly(bulkError([11000], { err: { code: 64, errmsg: 'waiting for replication timed out' } }))).toBe(false);
      expect(isDuplicateKeyOnly(bulkError([11000], { result: { getWriteConcernError: () => ({ code: 64 }) } }))).toBe(false);
      expect(isDuplicateKeyOnly(bulkError([]))).toBe(false);
      expect(isDuplicateKeyOnly(Object.assign(new Error('E11000'), { name: 'MongoServerError', code: 11000 }))).toBe(false);
      expect(isDuplicateKeyOnly(new Error('boom'))).toBe(false);
      expect(isDuplicateKeyOnly(null)).toBe(false);
      expect(isDuplicateKeyOnly('E11000')).toBe(false);
    });
  });

  describe('checkpoints and registrations', () => {
    it('moves the checkpoint forward only, with $max on the fixed-width text', () => {
      const failure = { position: '7', eventId: 'e', eventType: 'T', streamName: 's', message: 'm', failedAt: '2026-01-01T00:00:00.000Z' };
      expect(checkpointUpdate(20n, failure, '2026-02-01T00:00:00.000Z')).toEqual({
        $max: { position: P20 },
        $set: { failure, updatedAt: '2026-02-01T00:00:00.000Z' },
      });
      // '-1' must sort before every encoded position for $max to be numeric.
      expect('-1' < P20 && '-1' < '0000000000000000000000000000000000000000').toBe(true);
    });

    it('reads checkpoint and registry documents', () => {
      expect(emptyCheckpoint()).toEqual({ position: '-1', failure: null, updatedAt: null });
      expect(toCheckpointRecord(emptyCheckpoint())).toEqual({ position: -1n, failure: null, updatedAt: null });
      expect(toCheckpointRecord({ position: P20, failure: null, updatedAt: 'now' })).toEqual({ position: 20n, failure: null, updatedAt: 'now' });
      expect(toRegistration({ _id: 'p', liveGeneration: 2, liveVersion: 3, lastGeneration: 4 })).toEqual({
        projection: 'p',
        liveGeneration: 2,
        liveVersion: 3,
        lastGeneration: 4,
      });
    });

    it('detects deployments that run transactions from the hello reply', () => {
      expect(supportsTransactions({ isWritablePrimary: true, setName: 'rs0' })).toBe(true);
      expect(supportsTransactions({ isWritablePrimary: true, msg: 'isdbgrid' })).toBe(true);
      expect(supportsTransactions({ isWritablePrimary: true })).toBe(false);
    });

    it('splits a batch into commands only on FerretDB 1.x, whose updates each hold a pooled connection until the command ends', () => {
      expect(FERRETDB_WRITES_PER_COMMAND).toBe(50);
      expect(writesPerCommand({ version: '7.0.77', ferretdbVersion: 'v1.24.2' })).toBe(50);
      expect(writesPerCommand({ version: '7.0.42', ferretdbVersion: '1.0.0' })).toBe(50);
      expect(writesPerCommand({ version: '7.0.77', ferretdbVersion: 'v2.2.0' })).toBeUndefined();
      expect(writesPerCommand({ version: '7.0.77', ferretdbVersion: 'v10.1.0' })).toBeUndefined();
      expect(writesPerCommand({ version: '8.0.4' })).toBeUndefined();
      expect(writesPerCommand({ version: '8.0.4', ferretdbVersion: 1 })).toBeUndefined();
      expect(writesPerCommand({})).toBeUndefined();
    });

    it('maps the path of a field for the store', () => {
      expect(toMongoPath('id')).toBe('_id');
      expect(toMongoPath('meta.kind')).toBe('meta.kind');
    });
  });
});

describe('publishedView', () => {
  it('is a view on the generation’s collection without the adapter’s position and the projection’s internal field', () => {
    expect(publishedView({ projection: 'churn_risk', generation: 3 }, 'risks')).toStrictEqual({ viewOn: 'rm.churn_risk.g3.risks', pipeline: [{ $project: { _position: 0, internal: 0 } }] });
  });
});
