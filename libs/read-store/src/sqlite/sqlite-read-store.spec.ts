import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectionSpec, Doc } from '../read-store.port';
import { SqliteReadStore } from './sqlite-read-store';

const RISKS: CollectionSpec = { name: 'risks', indexes: [{ name: 'by_score', fields: [['listed', 1], ['score', -1]] }], publishedAs: 'churn_risk' };

describe('SQLite read store: tables made by an earlier version', () => {
  it('keeps a document’s internal field inside the document where the table has no column for it, and still never finds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'old-table-'));
    try {
      const raw = new Database(join(dir, 'rm.db'));
      raw.exec(`CREATE TABLE rm_projections (projection TEXT PRIMARY KEY, live_generation INTEGER NOT NULL DEFAULT 0, live_version INTEGER NOT NULL DEFAULT 0, last_generation INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE rm_checkpoints (projection TEXT NOT NULL, generation INTEGER NOT NULL, position TEXT NOT NULL, failure TEXT, updated_at TEXT, PRIMARY KEY (projection, generation));
        INSERT INTO rm_projections VALUES ('old', 1, 1, 1);
        INSERT INTO rm_checkpoints VALUES ('old', 1, '-1', NULL, NULL);
        CREATE TABLE "rm_old_g1_items" (id TEXT PRIMARY KEY, position TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;`);
      raw.close();
      const store = new SqliteReadStore({ filename: join(dir, 'rm.db') });
      const target = { projection: 'old', generation: 1 };
      const doc = { id: 'a', owner: 'rep-1', internal: { kept: true } } as unknown as Doc;
      await store.commit(target, [{ collection: 'items', doc, position: 3n }], 3n, null);
      expect((await store.load(target, 'items', ['a'])).get('a')).toStrictEqual({ doc, position: 3n });
      expect(await store.find(target, 'items', { owner: 'rep-1' })).toStrictEqual([{ id: 'a', owner: 'rep-1' }]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite read store: a stable view for readers outside the service', () => {
  let dir: string;
  let store: SqliteReadStore;
  let reader: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'published-'));
    store = new SqliteReadStore({ filename: join(dir, 'rm.db') });
    reader = new Database(join(dir, 'rm.db'), { readonly: true });
  });
  afterEach(async () => {
    reader.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = () => reader.prepare('SELECT id, listed, score, json_extract(doc, \'$.level\') AS level FROM churn_risk ORDER BY score DESC').all();
  const types = () => reader.prepare('SELECT DISTINCT typeof(listed) AS listed, typeof(score) AS score FROM churn_risk').all();

  it('reads the live generation under the published name, and the new one after a swap', async () => {
    const first = { projection: 'churn_risk', generation: await store.prepareGeneration('churn_risk', 1, [RISKS], true) };
    await store.commit(first, [{ collection: 'risks', doc: { id: 'c-1', listed: true, score: 40, level: 'medium' } as Doc, position: 1n }], 1n, null);
    expect(rows()).toStrictEqual([{ id: 'c-1', listed: 1, score: 40, level: 'medium' }]);
    expect(types()).toStrictEqual([{ listed: 'integer', score: 'integer' }]);

    const second = { projection: 'churn_risk', generation: await store.prepareGeneration('churn_risk', 1, [RISKS], false) };
    await store.commit(second, [{ collection: 'risks', doc: { id: 'c-1', listed: true, score: 70, level: 'high' } as Doc, position: 2n }, { collection: 'risks', doc: { id: 'c-2', listed: false, score: 0, level: 'low' } as Doc, position: 2n }], 2n, null);
    // A shadow being built is not what outside readers see.
    expect(rows()).toStrictEqual([{ id: 'c-1', listed: 1, score: 40, level: 'medium' }]);
    await store.activateGeneration('churn_risk', second.generation, 1);
    expect(rows()).toStrictEqual([
      { id: 'c-1', listed: 1, score: 70, level: 'high' },
      { id: 'c-2', listed: 0, score: 0, level: 'low' },
    ]);
    await store.dropGeneration(first, [RISKS]);
    expect(rows()).toHaveLength(2);
  });

  it('refuses a published name that is not a plain lower-case name', async () => {
    await expect(store.prepareGeneration('p', 1, [{ ...RISKS, publishedAs: 'Churn Risk; DROP' }], true)).rejects.toThrow('Invalid published name "Churn Risk; DROP"');
  });
});

describe('SQLite read store: fields of a declared type', () => {
  const TYPED: CollectionSpec = {
    name: 'rows',
    indexes: [{ name: 'by_rep', fields: [['repId', 1], ['score', 1], ['flag', 1]] }],
    fieldTypes: { repId: 'string', score: 'number', flag: 'boolean' },
  };

  it('are NOT NULL columns whose type the table checks: a row breaking the declaration is refused, with nothing stored', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const target = { projection: 'typed', generation: await store.prepareGeneration('typed', 1, [TYPED], true) };
      const ok = { id: 'a', repId: 'r1', score: 2, flag: true } as unknown as Doc;
      await store.commit(target, [{ collection: 'rows', doc: ok, position: 1n }], 1n, null);
      for (const [bad, message] of [
        [{ id: 'b', repId: 7, score: 1, flag: true }, `CHECK constraint failed: typeof("v:repId") = 'text'`],
        [{ id: 'b', repId: 'r1', score: true, flag: true }, `CHECK constraint failed: typeof("v:score") IN ('integer', 'real') AND "t:score" NOT IN ('true', 'false')`],
        [{ id: 'b', repId: 'r1', score: 1, flag: 1 }, 'CHECK constraint failed: t:flag'],
        [{ id: 'b', score: 1, flag: false }, 'NOT NULL constraint failed: rm_typed_g1_rows.v:repId'],
      ] as const) {
        // The driver's error comes from outside Jest's realm, so its message is compared, not its class.
        const refused = await store.commit(target, [{ collection: 'rows', doc: { ...ok, id: 'a', score: 3 } as Doc, position: 2n }, { collection: 'rows', doc: bad as unknown as Doc, position: 2n }], 2n, null).then(
          () => 'stored',
          (error: unknown) => String((error as Error).message),
        );
        expect(refused).toBe(message);
      }
      expect(await store.find(target, 'rows')).toStrictEqual([ok]);
      expect((await store.checkpoint(target)).position).toBe(1n);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite read store: table layout', () => {
  it('keeps a collection’s own documents in a rowid table and derived rows in a table WITHOUT ROWID, found the same way', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const own: CollectionSpec = { name: 'own', indexes: [{ name: 'by_rep', fields: [['repId', 1]] }] };
      const derived: CollectionSpec = { ...own, name: 'rows', derived: true };
      const target = { projection: 'layout', generation: await store.prepareGeneration('layout', 1, [own, derived], true) };
      const internal = { kept: 'x'.repeat(5000) };
      const docs = ['b', 'a'].map((id) => ({ id, repId: 'r1', internal }) as unknown as Doc);
      await store.commit(target, [...docs.map((doc) => ({ collection: 'own', doc, position: 1n })), ...docs.map((doc) => ({ collection: 'rows', doc, position: 1n }))], 1n, null);
      // Only the table's own statement tells the layouts apart; what a reader finds is the same.
      const layouts = (store as unknown as { db: Database.Database }).db
        .prepare(`SELECT name, sql LIKE '%WITHOUT ROWID' AS withoutRowid FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm_layout_%' ORDER BY name`)
        .all();
      expect(layouts).toStrictEqual([
        { name: 'rm_layout_g1_own', withoutRowid: 0 },
        { name: 'rm_layout_g1_rows', withoutRowid: 1 },
      ]);
      for (const collection of ['own', 'rows']) {
        expect(await store.find(target, collection, { repId: 'r1' }, { sort: [['id', 1]] })).toStrictEqual([
          { id: 'a', repId: 'r1' },
          { id: 'b', repId: 'r1' },
        ]);
        expect((await store.load(target, collection, ['a'])).get('a')).toStrictEqual({ doc: { id: 'a', repId: 'r1', internal }, position: 1n });
      }
    } finally {
      await store.close();
    }
  });
});

describe('SQLite read store: live checkpoints read again only when the file changed', () => {
  /** The next turn of the event loop, where requests arriving later are served. */
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('sees a commit of another connection (another process) from the next turn and its own at once, and answers the same while nothing moves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-checkpoints-'));
    const api = new SqliteReadStore({ filename: join(dir, 'rm.db') });
    const projector = new SqliteReadStore({ filename: join(dir, 'rm.db') });
    try {
      const target = { projection: 'risks', generation: await projector.prepareGeneration('risks', 1, [RISKS], true) };
      const live = async () => Object.fromEntries([...(await api.liveCheckpoints(['risks', 'none']))].map(([name, { generation, position }]) => [name, `${generation}@${position}`]));
      expect(await live()).toStrictEqual({ risks: '1@-1' });
      await projector.commit(target, [], 7n, null);
      // Requests served in one turn share one read of the file's state, as if they had arrived at the same instant.
      expect(await live()).toStrictEqual({ risks: '1@-1' });
      await nextTurn();
      expect(await live()).toStrictEqual({ risks: '1@7' });
      expect(await live()).toStrictEqual({ risks: '1@7' });
      await api.commit(target, [], 9n, null);
      expect(await live()).toStrictEqual({ risks: '1@9' });
      const next = await projector.prepareGeneration('risks', 2, [RISKS], false);
      await projector.commit({ projection: 'risks', generation: next }, [], 12n, null);
      await nextTurn();
      expect(await live()).toStrictEqual({ risks: '1@9' });
      await projector.activateGeneration('risks', next, 2);
      await nextTurn();
      expect(await live()).toStrictEqual({ risks: '2@12' });
    } finally {
      await api.close();
      await projector.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite read store: rollups', () => {
  const SPEC: CollectionSpec = {
    name: 'rows',
    derived: true,
    indexes: [],
    fieldTypes: { week: 'string', repId: 'string', open: 'boolean', fen: 'number' },
    rollups: [{ name: 'open', where: { open: true }, groupBy: ['week', 'repId'], sum: ['fen'] }],
  };
  const row = (id: string, repId: string, open: boolean, fen: number) => ({ id, week: 'w1', repId, open, fen }) as unknown as Doc;
  const db = (store: SqliteReadStore) => (store as unknown as { db: Database.Database }).db;

  it('keeps a table of groups in the commit and answers a covered aggregate from it, an uncovered one from the rows', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const target = { projection: 'rolled', generation: await store.prepareGeneration('rolled', 1, [SPEC], true) };
      await store.commit(target, [row('a', 'r1', true, 10), row('b', 'r1', true, 5), row('c', 'r2', false, 7)].map((doc, i) => ({ collection: 'rows', doc, position: BigInt(i + 1) })), 3n, null);
      await store.commit(target, [{ collection: 'rows', doc: row('b', 'r2', true, 6), position: 4n }], 4n, null);
      const groups = () => db(store).prepare('SELECT * FROM "rm_rolled_g1_rows__rollup_open" ORDER BY "g:repId"').all();
      expect(groups()).toStrictEqual([
        { 'g:week': 'w1', 'g:repId': 'r1', n: 1, 's:fen': 10 },
        { 'g:week': 'w1', 'g:repId': 'r2', n: 1, 's:fen': 6 },
      ]);
      // A group whose last row leaves it is removed.
      await store.commit(target, [{ collection: 'rows', doc: row('a', 'r1', false, 10), position: 5n }], 5n, null);
      expect(groups()).toStrictEqual([{ 'g:week': 'w1', 'g:repId': 'r2', n: 1, 's:fen': 6 }]);
      // Changed behind the store's back, the table of groups shows which aggregates it answers.
      db(store).prepare('UPDATE "rm_rolled_g1_rows__rollup_open" SET n = 40').run();
      expect(await store.aggregate(target, 'rows', { open: true, week: 'w1' }, { groupBy: ['repId'], sum: ['fen'] })).toStrictEqual([
        { key: { repId: 'r2' }, count: 40, sums: { fen: 6 } },
      ]);
      expect(await store.aggregate(target, 'rows', { open: true, fen: 6 }, { groupBy: ['repId'], sum: ['fen'] })).toStrictEqual([
        { key: { repId: 'r2' }, count: 1, sums: { fen: 6 } },
      ]);
    } finally {
      await store.close();
    }
  });

  it('leaves no table of groups behind a dropped generation', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const live = await store.prepareGeneration('rolled', 1, [SPEC], true);
      const shadow = { projection: 'rolled', generation: await store.prepareGeneration('rolled', 1, [SPEC], false) };
      await store.commit(shadow, [{ collection: 'rows', doc: row('a', 'r1', true, 1), position: 1n }], 1n, null);
      await store.dropGeneration(shadow, [SPEC]);
      const left = db(store).prepare("SELECT name FROM sqlite_master WHERE name LIKE 'rm_rolled_%' ORDER BY name").all();
      expect(left).toStrictEqual([
        { name: `rm_rolled_g${live}_rows` },
        { name: `rm_rolled_g${live}_rows__position` },
        { name: `rm_rolled_g${live}_rows__rollup_open` },
        { name: `rm_rolled_g${live}_rows__rollup_open__delete` },
        { name: `rm_rolled_g${live}_rows__rollup_open__insert` },
        { name: `rm_rolled_g${live}_rows__rollup_open__update_new` },
        { name: `rm_rolled_g${live}_rows__rollup_open__update_old` },
      ]);
      expect(db(store).prepare('SELECT tbl FROM rm_rollups').all()).toStrictEqual([{ tbl: `rm_rolled_g${live}_rows` }]);
    } finally {
      await store.close();
    }
  });
});
