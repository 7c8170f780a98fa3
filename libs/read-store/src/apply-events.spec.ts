import type { RecordedEvent } from '#event-store';
import { applyEvents, docsOf, settlePending, workingKey, type WorkingSet } from './apply-events';
import type { Projection } from './projection';
import type { Doc, Filter } from './read-store.port';

interface Counter extends Doc {
  readonly id: string;
  readonly count: number;
  /** Set by settle: whether the next `tick` selects it. */
  readonly due?: boolean;
  readonly ticks?: number;
}
interface Row extends Doc {
  readonly id: string;
  readonly owner: string;
  readonly shown: boolean;
}

let position = 0n;
const event = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ id: `e-${++position}`, type, data, metadata: {}, streamName: 's', revision: 0n, position, recordedAt: new Date(0) }) as unknown as RecordedEvent;

/** Counters bumped by `bump`; a `tick` moves every counter that settle marked due (count of 2 or more). */
const projection: Projection<Counter | Row> = {
  name: 'counters',
  version: 1,
  description: 'test',
  eventTypes: ['bump', 'tick'],
  collections: [
    { name: 'counters', indexes: [] },
    { name: 'rows', indexes: [], derived: true },
  ],
  touches: (e) => (e.type === 'tick' ? [{ collection: 'counters', where: { due: true } }] : [{ collection: 'counters', id: e.data.id as string }]),
  evolve: (current, e, ref) => {
    const doc = (current as Counter | null) ?? { id: ref.id, count: 0 };
    return e.type === 'tick' ? { ...doc, ticks: (doc.ticks ?? 0) + 1 } : { id: doc.id, count: doc.count + 1, ...(doc.ticks ? { ticks: doc.ticks } : {}) };
  },
  settle: (doc, collection) => (collection === 'counters' ? { ...(doc as Counter), due: (doc as Counter).count >= 2 } : doc),
  derive: (doc, collection) =>
    collection === 'counters'
      ? [0, 1].map((n) => ({ collection: 'rows', doc: { id: `${doc.id}:${n}`, owner: doc.id, shown: n < (doc as Counter).count } }))
      : [],
};

const run = (batches: readonly (readonly RecordedEvent[])[]): WorkingSet => {
  const working: WorkingSet = new Map();
  for (const batch of batches) applyEvents(projection, batch, working, new Set());
  return working;
};

describe('applyEvents: settling, selections and derived documents', () => {
  const log = [event('bump', { id: 'a' }), event('bump', { id: 'a' }), event('tick', {}), event('bump', { id: 'b' }), event('tick', {})];

  it('selects documents as settled, so one batch and one batch per event give the same documents', () => {
    const whole = run([log]);
    const oneByOne = run(log.map((e) => [e]));
    expect(docsOf(whole, 'counters')).toStrictEqual(docsOf(oneByOne, 'counters'));
    expect(docsOf(whole, 'counters').get('a')).toStrictEqual({ id: 'a', count: 2, ticks: 2, due: true });
    expect(docsOf(whole, 'counters').get('b')).toStrictEqual({ id: 'b', count: 1, due: false });
  });

  it('writes what a document derives beside it, at its position, and rewrites it when the document changes', () => {
    const working = run([log.slice(0, 1)]);
    expect(docsOf(working, 'rows')).toStrictEqual(
      new Map([
        ['a:0', { id: 'a:0', owner: 'a', shown: true }],
        ['a:1', { id: 'a:1', owner: 'a', shown: false }],
      ]),
    );
    applyEvents(projection, log.slice(1, 2), working, new Set());
    expect(working.get(workingKey('rows', 'a:1'))).toStrictEqual({ doc: { id: 'a:1', owner: 'a', shown: true }, position: log[1]!.position });
  });

  it('reports derived documents as changed, so the worker writes them', () => {
    const changed = new Set<string>();
    applyEvents(projection, log.slice(0, 1), new Map(), changed);
    expect([...changed].sort()).toStrictEqual([workingKey('counters', 'a'), workingKey('rows', 'a:0'), workingKey('rows', 'a:1')]);
  });
});

describe('indexed fields', () => {
  const tagged = (where: 'evolve' | 'derive'): Projection<Doc> => ({
    name: 'tagged',
    version: 1,
    description: 'test',
    eventTypes: ['tag'],
    collections: [
      { name: 'items', indexes: [{ name: 'by_tag', fields: [['tag', 1]] }] },
      { name: 'copies', indexes: [{ name: 'by_meta_tag', fields: [['meta.tag', 1]] }], derived: true },
    ],
    touches: (e) => [{ collection: 'items', id: e.data.id as string }],
    evolve: (_current, e, ref) => ({ id: ref.id, tag: where === 'evolve' ? e.data.tag : 'scalar' }) as Doc,
    derive: (doc) => [{ collection: 'copies', doc: { id: doc.id, meta: { tag: where === 'derive' ? ['a', 'b'] : 'scalar' } } as unknown as Doc }],
  });

  it('stops a projection at the event that puts an array into an indexed field, naming the document and the field', () => {
    const e = event('tag', { id: 'i-1', tag: ['a', 'b'] });
    const result = applyEvents(tagged('evolve'), [e], new Map(), new Set());
    expect(result.failed?.event).toBe(e);
    expect((result.failed?.error as Error).message).toBe('Document items/i-1: indexed field tag holds an array; an indexed field must hold a scalar');
  });

  it('stops it too where a derived document holds one, and lets scalars, null and missing fields through', () => {
    const e = event('tag', { id: 'i-2', tag: 'x' });
    const derived = applyEvents(tagged('derive'), [e], new Map(), new Set());
    expect((derived.failed?.error as Error).message).toBe('Document copies/i-2: indexed field meta.tag holds an array; an indexed field must hold a scalar');
    for (const tag of ['x', 1, true, null, undefined]) {
      const working: WorkingSet = new Map();
      expect(applyEvents(tagged('evolve'), [event('tag', { id: 'i-3', tag })], working, new Set()).failed).toBeUndefined();
      expect(working.has(workingKey('copies', 'i-3'))).toBe(true);
    }
  });
});

describe('applyEvents: settling left to the caller (a rebuild in memory)', () => {
  /** Counters without derived rows; `day` selects every counter, `tick` the ones settle marked due. */
  const settled = (doc: Counter): Counter => ({ ...doc, due: doc.count >= 2 });
  let settles = 0;
  const counting: Projection<Counter> = {
    ...(projection as unknown as Projection<Counter>),
    eventTypes: ['bump', 'tick', 'day'],
    collections: [{ name: 'counters', indexes: [] }],
    touches: (e) =>
      e.type === 'bump' ? [{ collection: 'counters', id: e.data.id as string }] : [{ collection: 'counters', where: e.type === 'tick' ? { due: true } : ({} as Filter) }],
    evolve: (current, e, ref) => {
      const doc = current ?? { id: ref.id, count: 0 };
      return e.type === 'bump' ? { ...doc, count: doc.count + 1 } : { ...doc, ticks: (doc.ticks ?? 0) + 1 };
    },
    settle: (doc) => {
      settles += 1;
      return settled(doc);
    },
  };
  delete (counting as { derive?: unknown }).derive;
  const log = [event('bump', { id: 'a' }), event('day', {}), event('bump', { id: 'a' }), event('bump', { id: 'b' }), event('day', {}), event('tick', {}), event('bump', { id: 'b' })];

  const applied = (batches: readonly (readonly RecordedEvent[])[], unsettled?: Set<string>) => {
    settles = 0;
    const working: WorkingSet = new Map();
    const changed = new Set<string>();
    for (const batch of batches) expect(applyEvents(counting, batch, working, changed, undefined, undefined, undefined, unsettled).failed).toBeUndefined();
    const settledBefore = settles;
    if (unsettled) expect(settlePending(counting, working, changed, unsettled)).toBeUndefined();
    return { working, changed, settledBefore, settles };
  };

  it('gives the documents, positions and changes that settling every batch gives, settling only before a filtering selection', () => {
    const eager = applied(log.map((e) => [e]));
    const unsettled = new Set<string>();
    const deferred = applied([log.slice(0, 3), log.slice(3)], unsettled);
    expect(deferred.working).toStrictEqual(eager.working);
    expect(deferred.changed).toStrictEqual(eager.changed);
    expect(docsOf(deferred.working, 'counters')).toStrictEqual(
      new Map([
        ['a', { id: 'a', count: 2, ticks: 3, due: true }],
        ['b', { id: 'b', count: 2, ticks: 1, due: true }],
      ]),
    );
    // `day` selects without settling; before the tick (which filters on `due`) both counters are settled; the tick
    // and the last bump change them again, so settlePending settles both once more.
    expect(deferred.settledBefore).toBe(2);
    expect(deferred.settles).toBe(4);
    expect(unsettled.size).toBe(0);
    expect(eager.settles).toBeGreaterThan(deferred.settles);
  });

  it('derives from a document once it settles, before a selection or when the caller settles it', () => {
    const log = [event('bump', { id: 'a' }), event('bump', { id: 'a' }), event('tick', {})];
    const unsettled = new Set<string>();
    const working: WorkingSet = new Map();
    const changed = new Set<string>();
    const derived = new Set<string>();
    applyEvents(projection, log.slice(0, 2), working, changed, derived, undefined, undefined, unsettled);
    expect([...unsettled]).toStrictEqual([workingKey('counters', 'a')]);
    expect(docsOf(working, 'rows').size).toBe(0);
    expect(settlePending(projection, working, changed, unsettled, derived)).toBeUndefined();
    expect(docsOf(working, 'rows')).toStrictEqual(
      new Map([
        ['a:0', { id: 'a:0', owner: 'a', shown: true }],
        ['a:1', { id: 'a:1', owner: 'a', shown: true }],
      ]),
    );
    expect([...derived].sort()).toStrictEqual([workingKey('rows', 'a:0'), workingKey('rows', 'a:1')]);
    // A tick selects: what came before is settled and derived first, as after a commit.
    const rest = new Set<string>();
    const whole: WorkingSet = new Map();
    applyEvents(projection, log.slice(0, 3), whole, new Set(), undefined, undefined, undefined, rest);
    expect(whole.get(workingKey('rows', 'a:1'))).toStrictEqual({ doc: { id: 'a:1', owner: 'a', shown: true }, position: log[1]!.position });
    expect(whole.get(workingKey('counters', 'a'))?.doc).toStrictEqual({ id: 'a', count: 2, ticks: 1, due: true });
  });

  /** Counters that fail to settle past a count of one. */
  const failing: Projection<Counter> = {
    ...counting,
    settle: (doc) => {
      if (doc.count > 1) throw new Error(`counter ${doc.id} overflows`);
      return settled(doc);
    },
  };

  it('reports a document that fails to settle with the position of the event that last changed it', () => {
    const unsettled = new Set<string>();
    const working: WorkingSet = new Map();
    const changed = new Set<string>();
    expect(applyEvents(failing, log.slice(0, 3), working, changed, undefined, undefined, undefined, unsettled).failed).toBeUndefined();
    const failure = settlePending(failing, working, changed, unsettled);
    expect(failure?.position).toBe(log[2]!.position);
    expect((failure?.error as Error).message).toBe('counter a overflows');
  });

  it('names the position of the document’s last event when a later call settles it before a filtering selection', () => {
    const unsettled = new Set<string>();
    const working: WorkingSet = new Map();
    expect(applyEvents(failing, log.slice(0, 3), working, new Set(), undefined, undefined, undefined, unsettled).failed).toBeUndefined();
    const tick = event('tick', {});
    const result = applyEvents(failing, [tick], working, new Set(), undefined, undefined, undefined, unsettled);
    expect(result.failed?.event).toBe(tick);
    expect((result.failed?.error as Error).message).toBe(`settling a document last changed at position ${log[2]!.position}: counter a overflows`);
    expect(result.applied).toBe(0);
  });
});

describe('declared field types', () => {
  const declared: Projection<Doc> = {
    name: 'declared',
    version: 1,
    description: 'test',
    eventTypes: ['put'],
    collections: [{ name: 'items', indexes: [{ name: 'by_rep', fields: [['repId', 1]] }], fieldTypes: { repId: 'string', score: 'number' } }],
    touches: (e) => [{ collection: 'items', id: e.data.id as string }],
    evolve: (_current, e, ref) => ({ id: ref.id, ...(e.data.doc as object) }) as Doc,
  };

  it.each([
    [{ score: 1 }, 'Document items/i: field repId holds nothing; it is declared to hold a string'],
    [{ repId: null, score: 1 }, 'Document items/i: field repId holds null; it is declared to hold a string'],
    [{ repId: 7, score: 1 }, 'Document items/i: field repId holds a number; it is declared to hold a string'],
    [{ repId: 'r', score: '1' }, 'Document items/i: field score holds a string; it is declared to hold a number'],
    [{ repId: 'r', score: Number.NaN }, 'Document items/i: field score holds NaN; it is declared to hold a number'],
    [{ repId: 'r', score: [1] }, 'Document items/i: field score holds an array; it is declared to hold a number'],
  ])('stops the projection at an event whose document breaks the declaration: %j', (doc, message) => {
    const e = event('put', { id: 'i', doc });
    const working: WorkingSet = new Map();
    const result = applyEvents(declared, [e], working, new Set());
    expect(result.failed?.event).toBe(e);
    expect((result.failed?.error as Error).message).toBe(message);
    expect(working.size).toBe(0);
  });

  it('lets a document that keeps it through', () => {
    const working: WorkingSet = new Map();
    expect(applyEvents(declared, [event('put', { id: 'i', doc: { repId: 'r', score: 0, other: null } })], working, new Set()).failed).toBeUndefined();
    expect(docsOf(working, 'items').get('i')).toStrictEqual({ id: 'i', repId: 'r', score: 0, other: null });
  });
});
