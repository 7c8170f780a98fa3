import type { CustomerFactsDoc } from '#customer';
import { monthEnd } from '#shared-kernel';
import type { GroupDoc, RepDoc } from '#staff';
import { customerFacts } from '../rep-kpis/rep-kpis.fixtures';
import { monthsCovering, type SpendMonthDoc, spendSeries, type SpendSeries } from '#telemetry';

/** Builders of hand-made spend series, bidding customers, reps and groups for the leaderboard specs. */
export interface SpendStretch {
  readonly from: string;
  readonly to: string;
  readonly spendFen: number;
  readonly clicks?: number;
}

/** A spend series reporting each stretch's daily figures on its days; later stretches win on overlaps. */
export const series = (...stretches: SpendStretch[]): SpendSeries => {
  const docs = new Map<string, { reported: number[]; spendFen: number[]; clicks: number[] }>();
  for (const stretch of stretches) {
    for (const month of monthsCovering(stretch.from, stretch.to)) {
      const length = Number(monthEnd(`${month}-01`).slice(8, 10));
      const doc = docs.get(month) ?? { reported: Array(length).fill(0), spendFen: Array(length).fill(0), clicks: Array(length).fill(0) };
      docs.set(month, doc);
      for (let index = 0; index < length; index += 1) {
        const day = `${month}-${String(index + 1).padStart(2, '0')}`;
        if (day < stretch.from || day > stretch.to) continue;
        doc.reported[index] = 1;
        doc.spendFen[index] = stretch.spendFen;
        doc.clicks[index] = stretch.clicks ?? 0;
      }
    }
  }
  const months: SpendMonthDoc[] = [...docs].map(([month, doc]) => ({
    id: `c:${month}`,
    customerId: 'c',
    month,
    ...doc,
    activeKeywords: doc.reported.map(() => 0),
    corrections: 0,
  }));
  return spendSeries(months);
};

export const bidder = (id: string, repId: string, overrides: Partial<Omit<CustomerFactsDoc, 'id'>> = {}): CustomerFactsDoc =>
  customerFacts(id, { product: 'bidding', assignments: [{ repId, from: overrides.signedOn ?? '2025-01-01' }], ...overrides });

export const rep = (id: string, groups: { groupId: string; from: string }[]): RepDoc => ({
  id,
  name: `Rep ${id}`,
  role: 'service',
  groupId: groups.at(-1)?.groupId ?? 'none',
  registeredOn: groups[0]?.from ?? '2025-01-01',
  groups,
});

export const group = (id: string, kind: GroupDoc['kind'] = 'bidding'): GroupDoc => ({ id, name: `Group ${id}`, kind });
