import type { CustomerFactsDoc } from '#customer';
import { DEFAULT_SERVICE_RULES as rules, type Period, periodBounds, type ServiceRules } from '#shared-kernel';
import { contact, customerFacts, renewal, term } from './rep-kpis.fixtures';
import { repKpis } from './rep-kpis';

const march = periodBounds({ kind: 'month', of: '2026-03-01' });
const kpis = (customers: CustomerFactsDoc[], period: Period = march, withRules: ServiceRules = rules, repId = 'rep-1') =>
  repKpis({ rep: { id: repId, role: 'service' }, period, days: [], customers, rules: withRules });

describe('monthly contact coverage, for the month holding the end of the period', () => {
  const customers = [
    customerFacts('a', { visits: [contact('2026-03-05'), contact('2026-03-12')] }),
    customerFacts('b', { visits: [contact('2026-03-06', 'sup-1')] }),
    customerFacts('c', { visits: [contact('2026-02-28')] }),
    customerFacts('d', { visits: [contact('2026-03-25')] }),
    customerFacts('e', { visits: [contact('2026-03-05', 'rep-1', false)] }),
    customerFacts('f', { visits: [contact('2026-03-05')], status: 'churned', churns: [{ on: '2026-03-01', kind: 'lapsed', termEnd: '2026-02-28' }] }),
    customerFacts('g', { visits: [contact('2026-03-05')], assignments: [{ repId: 'rep-1', from: '2025-01-01' }, { repId: 'rep-2', from: '2026-03-10' }] }),
    customerFacts('h', { visits: [contact('2026-03-16')], assignments: [{ repId: 'rep-2', from: '2025-01-01' }, { repId: 'rep-1', from: '2026-03-15' }] }),
  ];
  const day = periodBounds({ kind: 'day', of: '2026-03-20' });

  it('counts active customers assigned on the day, covered by a reached contact of this rep in the month so far', () => {
    expect(kpis(customers, day).monthlyCoverage).toEqual({ month: { from: '2026-03-01', to: '2026-03-20' }, covered: 2, assigned: 6, rate: 2 / 6 });
  });

  it('asks for two contacts under the stricter rule', () => {
    expect(kpis(customers, day, { ...rules, monthlyContactsPerCustomer: 2 }).monthlyCoverage).toMatchObject({ covered: 1, assigned: 6 });
  });

  it('has no rate when nothing is assigned', () => {
    expect(kpis([], day).monthlyCoverage).toEqual({ month: { from: '2026-03-01', to: '2026-03-20' }, covered: 0, assigned: 0, rate: null });
  });
});

describe('expiring customers under-contacted: term ends within 90 days, fewer than 2 contacts in 30 days', () => {
  const termTo = (end: string, renewedOn?: string) => [term('2025-07-01', end, renewedOn)];
  const customers = [
    customerFacts('a', { terms: termTo('2026-06-29'), visits: [contact('2026-03-10')] }),
    customerFacts('b', { terms: termTo('2026-06-30'), visits: [contact('2026-03-10')] }),
    customerFacts('c', { terms: termTo('2026-03-31'), visits: [contact('2026-03-10')] }),
    customerFacts('d', { terms: termTo('2026-04-15'), visits: [contact('2026-03-02', 'sup-1'), contact('2026-03-31')] }),
    customerFacts('e', { terms: termTo('2026-04-15'), visits: [contact('2026-03-01'), contact('2026-03-31')] }),
    customerFacts('f', { terms: termTo('2026-03-30') }),
    customerFacts('g', { terms: termTo('2026-04-10', '2026-03-20') }),
    customerFacts('h', { terms: termTo('2026-04-10'), assignments: [{ repId: 'rep-2', from: '2025-01-01' }] }),
  ];

  it('flags the customers at 90 days and at 0 days, and the one whose second contact fell out of the window', () => {
    expect(kpis(customers).expiringUnderContacted).toEqual({ count: 3, customerIds: ['a', 'c', 'e'] });
  });

  it('follows a shorter configured horizon', () => {
    expect(kpis(customers, march, { ...rules, expiring: { ...rules.expiring, horizonDays: 30 } }).expiringUnderContacted.customerIds).toEqual(['c', 'e']);
  });
});

describe('renewal rate: due at term end for the rep assigned that day, renewed within 30 days', () => {
  const ended = (id: string, end: string, renewedOn?: string, assignments = [{ repId: 'rep-1', from: '2025-01-01' }]) =>
    customerFacts(id, { assignments, terms: [term('2025-03-01', end, renewedOn)] });

  it('counts a renewal on day 30 after the end and not one on day 31', () => {
    const result = kpis([ended('day-30', '2026-03-10', '2026-04-09'), ended('day-31', '2026-03-10', '2026-04-10')]);
    expect(result.renewalRate).toEqual({ due: 2, renewed: 1, rate: 0.5, awaitingGrace: 0 });
  });

  it('counts a term for the rep assigned on its end day, across a reassignment either side of it', () => {
    const customers = [
      ended('moved-away-after', '2026-03-10', '2026-03-12', [{ repId: 'rep-1', from: '2025-01-01' }, { repId: 'rep-2', from: '2026-03-11' }]),
      ended('moved-in-on-end-day', '2026-03-10', undefined, [{ repId: 'rep-2', from: '2025-01-01' }, { repId: 'rep-1', from: '2026-03-10' }]),
      ended('ends-in-february', '2026-02-28', '2026-03-01'),
    ];
    expect(kpis(customers).renewalRate).toEqual({ due: 2, renewed: 1, rate: 0.5, awaitingGrace: 1 });
    expect(kpis(customers, march, rules, 'rep-2').renewalRate).toEqual({ due: 0, renewed: 0, rate: null, awaitingGrace: 0 });
  });

  it('reports unrenewed terms whose grace has not ended by the period end as awaiting, not yet lost', () => {
    const customers = [ended('grace-ends-apr-19', '2026-03-20'), ended('grace-ends-mar-31', '2026-03-01'), ended('grace-ended-mar-30', '2026-02-28')];
    const februaryToMarch = { kind: 'month' as const, from: '2026-02-01', to: '2026-03-31' };
    expect(kpis(customers, februaryToMarch).renewalRate).toEqual({ due: 3, renewed: 0, rate: 0, awaitingGrace: 2 });
  });

  it('follows a configured grace of 10 days', () => {
    const result = kpis([ended('day-10', '2026-03-10', '2026-03-20'), ended('day-11', '2026-03-10', '2026-03-21')], march, { ...rules, renewalGraceDays: 10 });
    expect(result.renewalRate).toMatchObject({ due: 2, renewed: 1 });
  });
});

describe('commissions on renewals collected in the period', () => {
  const paid = customerFacts('paid', { renewals: [renewal('2026-03-15', 1_234_567), renewal('2026-04-01', 999_999)] });
  /** `due` terms ending in March, the first `renewed` of them renewed in time. */
  const dueTerms = (due: number, renewed: number) =>
    Array.from({ length: due }, (_, i) => customerFacts(`due-${i}`, { terms: [term('2025-03-16', '2026-03-15', i < renewed ? '2026-03-20' : undefined)] }));

  it.each([
    ['no term due', 0, 0, null, 3, 37_037],
    ['49.9 %', 1000, 499, 0.499, 3, 37_037],
    ['50 %', 10, 5, 0.5, 4, 49_383],
    ['69.9 %', 1000, 699, 0.699, 4, 49_383],
    ['70 %', 10, 7, 0.7, 5, 61_728],
    ['84.9 %', 1000, 849, 0.849, 5, 61_728],
    ['85 %', 20, 17, 0.85, 6, 74_074],
    ['100 %', 4, 4, 1, 6, 74_074],
  ])('at a renewal rate of %s pays the tier’s percent of 12,345.67 CNY', (_label, due, renewed, rate, ratePercent, amountFen) => {
    const result = kpis([paid, ...dueTerms(due, renewed)]);
    expect(result.renewalRate.rate).toBe(rate);
    expect(result.renewals).toEqual({ count: 1, amountFen: 1_234_567 });
    expect(result.serviceCommission).toEqual({ ratePercent, baseFen: 1_234_567, amountFen });
  });

  it('pays the sales rep 3 % of renewals of the customers it signed, apart from the service commission', () => {
    const signed = customerFacts('signed', {
      assignments: [{ repId: 'rep-2', from: '2025-01-01' }],
      salesRepId: 'rep-1',
      renewals: [
        renewal('2026-03-03', 500_000, { serviceRepId: 'rep-2', salesRepId: 'rep-1' }),
        renewal('2026-03-30', 333_333, { serviceRepId: 'rep-2', salesRepId: 'rep-1' }),
        renewal('2026-02-27', 700_000, { serviceRepId: 'rep-2', salesRepId: 'rep-1' }),
      ],
    });
    const result = kpis([signed]);
    expect(result.salesCommission).toEqual({ baseFen: 833_333, percent: 3, amountFen: 25_000 });
    expect(result.renewals).toEqual({ count: 0, amountFen: 0 });
    expect(result.serviceCommission).toEqual({ ratePercent: 3, baseFen: 0, amountFen: 0 });
    expect(kpis([signed], march, { ...rules, salesCommissionPercent: 4 }).salesCommission).toEqual({ baseFen: 833_333, percent: 4, amountFen: 33_333 });
  });
});
