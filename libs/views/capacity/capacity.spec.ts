import { type CustomerFactsDoc } from '#customer';
import { facts } from '#testing';
import { DEFAULT_SERVICE_RULES } from '#shared-kernel';
import { capacity, staffingAdvice, type CapacityInput } from './capacity';
import type { GroupDoc, RepDoc } from '#staff';

const RULES = DEFAULT_SERVICE_RULES.capacity;

describe('staffingAdvice (seed 001)', () => {
  it.each([
    // customers, ⌈n ÷ 200⌉, ⌈n ÷ 250⌉, manager
    [0, 0, 0, 'not_needed'],
    [39, 0, 0, 'not_needed'], // below about 40 the work is done part-time
    [40, 1, 1, 'not_needed'], // a dedicated rep from about 40
    [200, 1, 1, 'not_needed'], // one rep handles about 200
    [201, 2, 1, 'not_needed'],
    [300, 2, 2, 'not_needed'], // 300 or 400 need 2
    [400, 2, 2, 'not_needed'],
    [500, 3, 2, 'not_needed'],
    [800, 4, 4, 'optional'], // more than 3 reps: a manager may be set up
    [1000, 5, 4, 'recommended'], // 1,000 and more: 4–5 reps and a manager
    [1200, 6, 5, 'recommended'],
  ] as const)('%i customers → %i service reps (at least %i), manager %s', (customers, serviceReps, serviceRepsMin, manager) => {
    expect(staffingAdvice(customers, RULES)).toEqual({ customers, serviceReps, serviceRepsMin, manager });
  });

  it('reads the numbers from the rules', () => {
    expect(staffingAdvice(300, { ...RULES, customersPerRep: 100, stretchedCustomersPerRep: 150, managerOptionalAboveReps: 2 })).toEqual({
      customers: 300, serviceReps: 3, serviceRepsMin: 2, manager: 'optional',
    });
  });
});

const rep = (id: string, role: RepDoc['role'], groups: RepDoc['groups']): RepDoc => ({
  id, name: `Name of ${id}`, role, groupId: groups[groups.length - 1]!.groupId, registeredOn: '2026-01-01', groups,
});
const many = (count: number, prefix: string, over: (i: number) => Partial<CustomerFactsDoc>): CustomerFactsDoc[] =>
  Array.from({ length: count }, (_, i) => facts({ id: `${prefix}-${i}`, ...over(i) }));
const heldBy = (repId: string) => ({ serviceRepId: repId, assignments: [{ repId, from: '2026-01-01' }] });

/**
 * rep-1 (g1): 210 active customers (10 key accounts), 3 churned on 2026-04-01, and 2 taken over from rep-2 on 2026-06-01.
 * rep-2 (g1, then g2 from 2026-05-01): 90 customers and 1 signed on 2026-04-01. rep-3 (g1, service): none.
 * sup-1 (g1, supervisor): 5. sales-1: none (no row). rep-x, unknown to staff: 1.
 */
const REPS = [
  rep('rep-1', 'service', [{ groupId: 'g1', from: '2026-01-01' }]),
  rep('rep-2', 'service', [{ groupId: 'g1', from: '2026-01-01' }, { groupId: 'g2', from: '2026-05-01' }]),
  rep('rep-3', 'service', [{ groupId: 'g1', from: '2026-01-01' }]),
  rep('sup-1', 'supervisor', [{ groupId: 'g1', from: '2026-01-01' }]),
  rep('sales-1', 'sales', [{ groupId: 'sales', from: '2026-01-01' }]),
];
const CUSTOMERS = [
  ...many(210, 'a', (i) => ({ ...heldBy('rep-1'), keyAccount: i < 10 })),
  ...many(3, 'churned', () => ({ ...heldBy('rep-1'), status: 'churned', churns: [{ on: '2026-04-01', kind: 'lapsed', termEnd: '2026-03-31' }] })),
  ...many(2, 'moved', () => ({ serviceRepId: 'rep-1', assignments: [{ repId: 'rep-2', from: '2026-01-01' }, { repId: 'rep-1', from: '2026-06-01' }] })),
  ...many(90, 'b', () => heldBy('rep-2')),
  facts({ id: 'late', signedOn: '2026-04-01', serviceRepId: 'rep-2', assignments: [{ repId: 'rep-2', from: '2026-04-01' }] }),
  ...many(5, 's', () => heldBy('sup-1')),
  facts({ id: 'x', ...heldBy('rep-x') }),
];
const GROUPS = new Map<string, GroupDoc>([
  ['g1', { id: 'g1', name: 'Bidding group 1', kind: 'bidding' }],
  ['g2', { id: 'g2', name: 'Bidding group 2', kind: 'bidding' }],
]);
const report = (over: Partial<CapacityInput> = {}) => capacity({ customers: CUSTOMERS, reps: REPS, groups: GROUPS, inScope: () => true, rules: RULES, ...over });

describe('capacity', () => {
  it('counts the active customers each rep holds now against 200', () => {
    const now = report();
    expect(now.asOf).toBeNull();
    expect(now.customersPerRep).toBe(200);
    expect(now.reps.map((r) => [r.repId, r.groupId, r.customers, r.keyAccounts, r.headroom, r.status])).toEqual([
      ['rep-1', 'g1', 212, 10, -12, 'over'], // 210 + 2 taken over; the 3 churned do not count
      ['rep-2', 'g2', 91, 0, 109, 'under'],
      ['rep-3', 'g1', 0, 0, 200, 'under'],
      ['rep-x', null, 1, 0, 199, 'under'],
      ['sup-1', 'g1', 5, 0, 195, 'under'],
    ]);
    expect(now.reps[0]).toEqual({
      repId: 'rep-1', repName: 'Name of rep-1', role: 'service', groupId: 'g1', keyAccounts: 10,
      customers: 212, capacity: 200, load: 1.06, headroom: -12, status: 'over',
    });
    expect(now.reps[3]).toMatchObject({ repName: null, role: null });
  });

  it('sums groups and the scope, each with the staffing the seed recommends for its customers', () => {
    const now = report();
    // g1: rep-1, rep-3, sup-1 = 212 + 0 + 5 = 217 customers on 3 × 200; 217 customers call for 2 reps (at least 1).
    expect(now.groups).toEqual([
      {
        groupId: 'g1', groupName: 'Bidding group 1', reps: 3, customers: 217, capacity: 600, load: 217 / 600, headroom: 383, status: 'under',
        advice: { customers: 217, serviceReps: 2, serviceRepsMin: 1, manager: 'not_needed' }, repsShort: -1,
      },
      {
        groupId: 'g2', groupName: 'Bidding group 2', reps: 1, customers: 91, capacity: 200, load: 91 / 200, headroom: 109, status: 'under',
        advice: { customers: 91, serviceReps: 1, serviceRepsMin: 1, manager: 'not_needed' }, repsShort: 0,
      },
    ]);
    // 309 customers on 5 reps; ⌈309 ÷ 200⌉ = 2, ⌈309 ÷ 250⌉ = 2.
    expect(now.scope).toEqual({
      reps: 5, customers: 309, capacity: 1000, load: 0.309, headroom: 691, status: 'under',
      advice: { customers: 309, serviceReps: 2, serviceRepsMin: 2, manager: 'not_needed' }, repsShort: -3,
    });
  });

  it('reads the assignment and group history on asOf', () => {
    const march = report({ asOf: '2026-03-15' });
    expect(march.asOf).toBe('2026-03-15');
    // rep-1: 210 + 3 not yet churned; rep-2 still holds the 2 it later hands over, not yet the one signed in April, and is in g1.
    expect(march.reps.map((r) => [r.repId, r.groupId, r.customers])).toEqual([
      ['rep-1', 'g1', 213],
      ['rep-2', 'g1', 92],
      ['rep-3', 'g1', 0],
      ['rep-x', null, 1],
      ['sup-1', 'g1', 5],
    ]);
    expect(march.groups.map((g) => [g.groupId, g.reps, g.customers, g.advice.serviceReps])).toEqual([['g1', 4, 310, 2]]);
  });

  it('keeps to the scope', () => {
    const mine = report({ reps: REPS.filter((r) => r.id === 'rep-2'), inScope: (repId) => repId === 'rep-2' });
    expect(mine.reps.map((r) => [r.repId, r.customers])).toEqual([['rep-2', 91]]);
    expect(mine.groups.map((g) => g.groupId)).toEqual(['g2']);
    expect(mine.scope).toMatchObject({ reps: 1, customers: 91 });
  });
});
