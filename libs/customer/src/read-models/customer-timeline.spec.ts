import type { RenewalFact } from './customer-facts.doc';
import { contactsInWindow, isChurnedAsOf, lastContactOn, isServiceRepContact, repAssignedAt, termAt } from './customer-timeline';
import { facts, OTHER_REP, REP, visit } from '#testing';

const renewal = (on: string): RenewalFact => ({
  on,
  amountFen: 1_200_000,
  paymentReference: `p-${on}`,
  previousTerm: { start: '2026-01-01', end: '2026-12-31' },
  newTerm: { start: on, end: '2027-12-31' },
  collectedBy: REP,
  serviceRepId: REP,
  salesRepId: 'sales-1',
  daysAfterTermEnd: 0,
  winBack: true,
});

describe('customer timeline', () => {
  it('finds the rep assigned on a day, and none before signing', () => {
    const doc = facts({ assignments: [{ repId: REP, from: '2026-01-01' }, { repId: OTHER_REP, from: '2026-03-01' }] });
    expect(repAssignedAt(doc, '2025-12-31')).toBeUndefined();
    expect(repAssignedAt(doc, '2026-02-28')).toBe(REP);
    expect(repAssignedAt(doc, '2026-03-01')).toBe(OTHER_REP);
  });

  it('takes the latest started term known on the day, or the first before any started', () => {
    const doc = facts({ terms: [{ start: '2026-01-01', end: '2026-12-31', renewedOn: '2026-12-20' }, { start: '2026-12-01', end: '2027-12-31' }] });
    expect(termAt(doc, '2025-12-01')?.start).toBe('2026-01-01');
    expect(termAt(doc, '2026-12-10')?.start).toBe('2026-01-01');
    expect(termAt(doc, '2026-12-20')?.start).toBe('2026-12-01');
  });

  it('counts a customer churned until a later renewal wins it back; a same-day renewal wins', () => {
    const churns = [{ on: '2026-03-01', kind: 'cancelled' as const, termEnd: '2026-12-31' }];
    expect(isChurnedAsOf(facts({ churns }), '2026-02-28')).toBe(false);
    expect(isChurnedAsOf(facts({ churns }), '2026-03-01')).toBe(true);
    expect(isChurnedAsOf(facts({ churns, renewals: [renewal('2026-04-01')] }), '2026-03-31')).toBe(true);
    expect(isChurnedAsOf(facts({ churns, renewals: [renewal('2026-04-01')] }), '2026-04-01')).toBe(false);
    expect(isChurnedAsOf(facts({ churns, renewals: [renewal('2026-03-01')] }), '2026-03-01')).toBe(false);
    expect(isChurnedAsOf(facts({ churns: [...churns, { on: '2026-05-01', kind: 'lapsed', termEnd: '2027-12-31' }], renewals: [renewal('2026-04-01')] }), '2026-05-01')).toBe(true);
  });

  it('counts reached visits in an inclusive window and the latest contact by date', () => {
    const doc = facts({ visits: [visit('2026-06-10'), visit('2026-05-17'), visit('2026-05-16'), visit('2026-06-14', { reached: false }), visit('2026-06-01', { repId: OTHER_REP })] });
    expect(contactsInWindow(doc, '2026-06-15', 30)).toBe(3);
    expect(lastContactOn(doc, '2026-06-15')).toBe('2026-06-10');
    expect(lastContactOn(doc, '2026-06-05', isServiceRepContact)).toBe('2026-05-17');
  });
});
