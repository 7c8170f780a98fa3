import { assertRollups, type CollectionSpec, type FieldType, rollupCovers, type RollupSpec } from './read-store.port';

const TYPES: Record<string, FieldType> = { kind: 'string', from: 'string', repId: 'string', listed: 'boolean', assigned: 'number', fen: 'number', units: 'number', note: 'string' };
const ROLLUP: RollupSpec = { name: 'totals', where: { listed: true, assigned: 1 }, groupBy: ['kind', 'from', 'repId'], sum: ['fen', 'units'] };
const covers = (filter: Record<string, unknown>, groupBy: string[] = ['repId'], sum: string[] = ['fen']) => rollupCovers(ROLLUP, TYPES, filter as never, { groupBy, sum });
const BASE = { listed: true, assigned: 1 };

describe('rollupCovers: which aggregates a rollup answers', () => {
  it('answers a filter on its where values and group fields, grouped and summed by some of its fields', () => {
    expect(covers({ ...BASE, kind: 'week', from: '2026-11-23' })).toBe(true);
    expect(covers({ ...BASE, repId: { $in: ['r1', 'r2'] } }, ['kind', 'from'], ['fen', 'units'])).toBe(true);
    expect(covers(BASE, [], [])).toBe(true);
    expect(covers({ ...BASE, repId: { $in: [] } })).toBe(true);
  });

  it('needs every where value, of the same type', () => {
    expect(covers({ listed: true })).toBe(false);
    expect(covers({ assigned: 1 })).toBe(false);
    expect(covers({ listed: 1, assigned: 1 })).toBe(false);
    expect(covers({ listed: true, assigned: true })).toBe(false);
    expect(covers({ listed: true, assigned: 2 })).toBe(false);
    expect(covers({ listed: { $eq: true }, assigned: 1 })).toBe(false);
  });

  it('refuses a condition on a field it does not group by, or one other than a value or a list of values', () => {
    expect(covers({ ...BASE, note: 'x' })).toBe(false);
    expect(covers({ ...BASE, fen: 10 })).toBe(false);
    expect(covers({ ...BASE, from: { $gte: '2026-11-23' } })).toBe(false);
    expect(covers({ ...BASE, repId: { $in: ['r1'], $ne: 'r2' } })).toBe(false);
    expect(covers({ ...BASE, repId: { $ne: 'r2' } })).toBe(false);
    expect(covers({ ...BASE, repId: null })).toBe(false);
  });

  it('refuses a value of another type than the field is declared with (the documents would match none)', () => {
    expect(covers({ ...BASE, repId: 7 })).toBe(false);
    expect(covers({ ...BASE, repId: { $in: ['r1', 7] } })).toBe(false);
    expect(covers({ ...BASE, repId: { $in: ['r1', null] } })).toBe(false);
  });

  it('refuses grouping or summing by a field it does not', () => {
    expect(covers(BASE, ['note'])).toBe(false);
    expect(covers(BASE, ['repId', 'listed'])).toBe(false);
    expect(covers(BASE, ['repId'], ['fen', 'assigned'])).toBe(false);
  });

  it('refuses a group field of no declared type', () => {
    expect(rollupCovers({ ...ROLLUP, groupBy: ['repId', 'odd'] }, TYPES, { ...BASE, odd: 'x' }, { groupBy: [], sum: [] })).toBe(false);
  });
});

describe('assertRollups: a rollup a store can keep exactly', () => {
  const spec = (rollups: RollupSpec[]): CollectionSpec => ({ name: 'rows', indexes: [], fieldTypes: TYPES, rollups });

  it('takes rollups over declared fields, summing numbers, and a collection without any', () => {
    expect(() => assertRollups(spec([ROLLUP, { ...ROLLUP, name: 'other', where: {} }]))).not.toThrow();
    expect(() => assertRollups({ name: 'rows', indexes: [] })).not.toThrow();
  });

  it('names the rollup and what is wrong', () => {
    expect(() => assertRollups(spec([ROLLUP, ROLLUP]))).toThrow(new Error('Rollup rows.totals: the name is used twice'));
    expect(() => assertRollups(spec([{ ...ROLLUP, groupBy: [] }]))).toThrow(new Error('Rollup rows.totals: it groups by no field'));
    expect(() => assertRollups(spec([{ ...ROLLUP, where: { odd: 1 } }]))).toThrow(new Error('Rollup rows.totals: field odd is not declared in fieldTypes'));
    expect(() => assertRollups(spec([{ ...ROLLUP, groupBy: ['odd'] }]))).toThrow(new Error('Rollup rows.totals: field odd is not declared in fieldTypes'));
    expect(() => assertRollups(spec([{ ...ROLLUP, sum: ['odd'] }]))).toThrow(new Error('Rollup rows.totals: field odd is not declared in fieldTypes'));
    expect(() => assertRollups(spec([{ ...ROLLUP, sum: ['note'] }]))).toThrow(new Error('Rollup rows.totals: summed field note is declared a string, not a number'));
    expect(() => assertRollups(spec([{ ...ROLLUP, where: { listed: 'yes' } }]))).toThrow(new Error('Rollup rows.totals: field listed is declared a boolean; the rollup counts it at "yes"'));
    expect(() => assertRollups(spec([{ ...ROLLUP, name: 'Bad name' }]))).toThrow(/rollup/);
    expect(() => assertRollups({ name: 'rows', indexes: [], rollups: [ROLLUP] })).toThrow(new Error('Rollup rows.totals: field listed is not declared in fieldTypes'));
  });
});
