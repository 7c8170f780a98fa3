import { DEFAULT_SERVICE_RULES, periodBounds } from '#shared-kernel';
import { facts, visit } from '#testing';
import { visitQuality, type VisitQualityInput } from './visit-quality';

/**
 * The week of Monday 2026-06-15 to Sunday 2026-06-21, a 3-day multi-head window; groups: rep-1 and sup-1 in g1,
 * rep-2 and sup-2 in g2, rep-3 in g3 (another department).
 * c-1 (rep-1): v1 06-15 rep-1 (dm, 4); v2 06-16 sup-1 level 2 (dm, 5); v3 06-17 rep-3 (operator, 2), 2 days after v1:
 *   multi-head; v4 06-20 rep-1 not reached, 3 days after v3: outside the window.
 * c-2 (rep-2): v5 06-14 rep-2 (operator, 3), the Sunday before; v6 06-15 rep-1 (dm, 1), 1 day after v5: multi-head;
 *   v7 06-19 sup-2 level 2 (dm, 5).
 * c-3 (rep-2): v10 06-15 sup-2 level 2 (operator), before any level-1 visit; v8 06-16 rep-2 (dm, 4); v9 06-17 rep-2 not
 *   reached (the same rep twice is not multi-head).
 */
const GROUPS: Record<string, string> = { 'rep-1': 'g1', 'sup-1': 'g1', 'rep-2': 'g2', 'sup-2': 'g2', 'rep-3': 'g3' };
const by = (repId: string, serviceRepId: string) => ({ repId, serviceRepId });
const c1 = facts({
  visits: [
    visit('2026-06-15', { visitId: 'v1', contactRole: 'decision_maker', satisfaction: 4 }),
    visit('2026-06-16', { visitId: 'v2', ...by('sup-1', 'rep-1'), level: 2, contactRole: 'decision_maker', satisfaction: 5 }),
    visit('2026-06-17', { visitId: 'v3', ...by('rep-3', 'rep-1'), contactRole: 'operator', satisfaction: 2 }),
    visit('2026-06-20', { visitId: 'v4', reached: false }),
  ],
});
const c2 = facts({
  id: 'c-2',
  companyName: 'Ningbo Valves',
  serviceRepId: 'rep-2',
  visits: [
    visit('2026-06-14', { visitId: 'v5', ...by('rep-2', 'rep-2'), contactRole: 'operator', satisfaction: 3 }),
    visit('2026-06-15', { visitId: 'v6', ...by('rep-1', 'rep-2'), channel: 'onsite', contactRole: 'decision_maker', satisfaction: 1 }),
    visit('2026-06-19', { visitId: 'v7', ...by('sup-2', 'rep-2'), level: 2, contactRole: 'decision_maker', satisfaction: 5 }),
  ],
});
const c3 = facts({
  id: 'c-3',
  serviceRepId: 'rep-2',
  visits: [
    visit('2026-06-15', { visitId: 'v10', ...by('sup-2', 'rep-2'), level: 2, contactRole: 'operator' }),
    visit('2026-06-16', { visitId: 'v8', ...by('rep-2', 'rep-2'), contactRole: 'decision_maker', satisfaction: 4 }),
    visit('2026-06-17', { visitId: 'v9', ...by('rep-2', 'rep-2'), reached: false }),
  ],
});

const quality = (over: Partial<VisitQualityInput> = {}) =>
  visitQuality({
    period: periodBounds({ kind: 'week', of: '2026-06-18' }),
    customers: [c1, c2, c3],
    inScope: () => true,
    repIds: [],
    groupOf: (repId) => GROUPS[repId],
    rules: DEFAULT_SERVICE_RULES.visitQuality,
    ...over,
  });
const sat = (count: number, average: number | null, distribution: number[], low: number, lowShare: number | null) => ({ count, average, distribution, low, lowShare });

describe('visitQuality', () => {
  const report = quality();

  it('sums every visit of the period in scope', () => {
    // 9 visits (v5 is last week); level 1: v1 v3 v4 v6 v8 v9; level 2: v2 v7 v10. Level-1 customers c-1, c-2, c-3; verified:
    // c-1 (v2 06-16 ≥ 06-15), c-2 (v7 06-19 ≥ 06-15), not c-3 (v10 06-15 precedes its first level-1 visit 06-16) → 2/3.
    // Reached 7 of 9 (not v4, v9); decision maker v1 v2 v6 v7 v8 = 5 of 7. Scores 4 5 2 1 5 4: 21/6 = 3.5, low (≤ 2) v3 v6.
    expect(report.scope).toEqual({
      visits: 9, levelOne: 6, levelTwo: 3, customersVisited: 3, levelOneCustomers: 3, verifiedCustomers: 2, verifiedShare: 2 / 3,
      reached: 7, reachedShare: 7 / 9, decisionMaker: 5, decisionMakerShare: 5 / 7,
      satisfaction: sat(6, 3.5, [1, 1, 0, 2, 2], 2, 2 / 6),
      multiHeadVisits: 2,
    });
  });

  it('gives each rep a row over the visits the rep made', () => {
    const row = (repId: string) => report.reps.find((r) => r.repId === repId);
    expect(report.reps.map((r) => r.repId)).toEqual(['rep-1', 'rep-2', 'rep-3', 'sup-1', 'sup-2']);
    // v1 v4 v6: both level-1 customers verified later in the week; 2 of 3 reached, both with the decision maker; scores 4 and 1.
    expect(row('rep-1')).toEqual({
      repId: 'rep-1', visits: 3, levelOne: 3, levelTwo: 0, customersVisited: 2, levelOneCustomers: 2, verifiedCustomers: 2, verifiedShare: 1,
      reached: 2, reachedShare: 2 / 3, decisionMaker: 2, decisionMakerShare: 1, satisfaction: sat(2, 2.5, [1, 0, 0, 1, 0], 1, 0.5), multiHeadVisits: 1,
    });
    // v3 on 06-17: c-1's level-2 visit was on 06-16, before it, so it verifies rep-1's work and not rep-3's.
    expect(row('rep-3')).toMatchObject({ visits: 1, levelOneCustomers: 1, verifiedCustomers: 0, verifiedShare: 0, decisionMakerShare: 0, multiHeadVisits: 1 });
    expect(row('rep-2')).toMatchObject({ visits: 2, verifiedShare: 0, reachedShare: 0.5, satisfaction: sat(1, 4, [0, 0, 0, 1, 0], 0, 0), multiHeadVisits: 0 });
    // A supervisor's verification visits: no level-1 customers, so no verified share.
    expect(row('sup-2')).toMatchObject({ visits: 2, levelOne: 0, levelTwo: 2, levelOneCustomers: 0, verifiedShare: null, reachedShare: 1, decisionMakerShare: 0.5 });
  });

  it('lists multi-head cases: level-1 visits by different reps within 3 days, across the period start, never a level-2 visit', () => {
    expect(report.multiHead.cases).toBe(2);
    expect(report.multiHead.customers).toBe(2);
    expect(report.multiHead.list).toEqual([
      {
        customerId: 'c-2', companyName: 'Ningbo Valves', from: '2026-06-14', to: '2026-06-15', repIds: ['rep-2', 'rep-1'], crossGroup: true,
        visits: [
          { visitId: 'v5', on: '2026-06-14', repId: 'rep-2', groupId: 'g2', serviceRepId: 'rep-2', channel: 'phone', level: 1, multiHead: false },
          { visitId: 'v6', on: '2026-06-15', repId: 'rep-1', groupId: 'g1', serviceRepId: 'rep-2', channel: 'onsite', level: 1, multiHead: true },
        ],
      },
      {
        // sup-1's level-2 visit v2 between them is the wanted second level, not a third head.
        customerId: 'c-1', companyName: 'Kangyu Air Services', from: '2026-06-15', to: '2026-06-17', repIds: ['rep-1', 'rep-3'], crossGroup: true,
        visits: [
          { visitId: 'v1', on: '2026-06-15', repId: 'rep-1', groupId: 'g1', serviceRepId: 'rep-1', channel: 'phone', level: 1, multiHead: false },
          { visitId: 'v3', on: '2026-06-17', repId: 'rep-3', groupId: 'g3', serviceRepId: 'rep-1', channel: 'phone', level: 1, multiHead: true },
        ],
      },
    ]);
  });

  it('reads the window from the rules: with 4 days, v4 (3 days after v3) joins the c-1 case', () => {
    const wide = quality({ rules: { ...DEFAULT_SERVICE_RULES.visitQuality, multiHeadWindowDays: 4 } });
    expect(wide.scope.multiHeadVisits).toBe(3);
    expect(wide.multiHead.list.find((c) => c.customerId === 'c-1')?.visits.map((v) => [v.visitId, v.multiHead])).toEqual([
      ['v1', false],
      ['v3', true],
      ['v4', true],
    ]);
    const strict = quality({ rules: { ...DEFAULT_SERVICE_RULES.visitQuality, lowSatisfactionAtMost: 1 } });
    expect(strict.scope.satisfaction).toMatchObject({ low: 1, lowShare: 1 / 6 });
  });

  it('keeps to the scope: a rep sees their own row, their customers’ visits and the cases that touch them', () => {
    const mine = quality({ inScope: (repId) => repId === 'rep-2', repIds: ['rep-2'] });
    expect(mine.reps.map((r) => r.repId)).toEqual(['rep-2']);
    // c-2 and c-3 visits in the week: v6 (rep-1 at rep-2's customer) v7 v10 v8 v9.
    expect(mine.scope).toMatchObject({ visits: 5, levelOne: 3, levelTwo: 2, multiHeadVisits: 1 });
    expect(mine.multiHead.list.map((c) => c.customerId)).toEqual(['c-2']);
    const idle = quality({ inScope: (repId) => repId === 'rep-9', repIds: ['rep-9'] });
    expect(idle.reps).toEqual([
      {
        repId: 'rep-9', visits: 0, levelOne: 0, levelTwo: 0, customersVisited: 0, levelOneCustomers: 0, verifiedCustomers: 0, verifiedShare: null,
        reached: 0, reachedShare: null, decisionMaker: 0, decisionMakerShare: null, satisfaction: sat(0, null, [0, 0, 0, 0, 0], 0, null), multiHeadVisits: 0,
      },
    ]);
    expect(idle.multiHead).toEqual({ cases: 0, customers: 0, list: [] });
  });

  it('treats two visits by different reps on the same day as multi-head, the later-recorded one flagged', () => {
    const sameDay = facts({ visits: [visit('2026-06-16', { visitId: 'a' }), visit('2026-06-16', { visitId: 'b', ...by('rep-2', 'rep-1') })] });
    const day = quality({ customers: [sameDay], period: periodBounds({ kind: 'day', of: '2026-06-16' }) });
    expect(day.multiHead.list[0]!.visits.map((v) => [v.visitId, v.multiHead])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(day.reps.map((r) => [r.repId, r.multiHeadVisits])).toEqual([
      ['rep-1', 0],
      ['rep-2', 1],
    ]);
  });
});
