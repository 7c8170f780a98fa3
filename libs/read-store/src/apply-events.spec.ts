import type { RecordedEvent } from '#event-store';
import { applyEvents, docsOf, workingKey, type WorkingSet } from './apply-events';
import type { Projection } from './projection';
import type { Doc } from './read-store.port';

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
    { name: 'rows', indexes: [] },
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
      { name: 'copies', indexes: [{ name: 'by_meta_tag', fields: [['meta.tag', 1]] }] },
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
