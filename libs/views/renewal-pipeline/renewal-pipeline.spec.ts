import { addDays, DEFAULT_SERVICE_RULES as RULES, type ServiceRules } from '#shared-kernel';
import { type CustomerFactsDoc } from '#customer';
import { facts, OTHER_REP, reminder, REP, visit } from '#testing';
import { comparePipeline, renewalPipelineEntries, type PipelineEntry } from './renewal-pipeline';

const ASOF = '2026-06-15';
const ago = (n: number): string => addDays(ASOF, -n);
const ahead = (n: number): string => addDays(ASOF, n);
const twoContacts = () => [visit(ago(5)), visit(ago(10))];

/** A customer whose only term ends `daysToEnd` days after ASOF, contacted twice in the last 30 days. */
const ending = (daysToEnd: number, overrides: Partial<CustomerFactsDoc> = {}): CustomerFactsDoc =>
  facts({ terms: [{ start: addDays(ahead(daysToEnd), -364), end: ahead(daysToEnd) }], visits: twoContacts(), ...overrides });

const entries = (doc: CustomerFactsDoc, rules: ServiceRules = RULES, asOf = ASOF): PipelineEntry[] => renewalPipelineEntries(doc, rules, asOf);
const only = (doc: CustomerFactsDoc, rules: ServiceRules = RULES, asOf = ASOF): PipelineEntry => {
  const found = entries(doc, rules, asOf);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('renewal pipeline', () => {
  it('describes a pending term with its reminders and recent contacts as of asOf', () => {
    const doc = ending(20, {
      reminders: [reminder(ago(15), ahead(20)), reminder(ASOF, ahead(20)), reminder(ahead(1), ahead(20)), reminder(ago(3), '2025-12-31')],
      visits: [visit(ago(5)), visit(ago(29), { repId: OTHER_REP, level: 2 }), visit(ago(30)), visit(ago(1), { reached: false })],
    });
    expect(entries(doc)).toEqual([
      {
        customerId: 'c-1',
        companyName: 'Kangyu Air Services',
        serviceRepId: REP,
        product: 'membership',
        termEnd: '2026-07-05',
        daysToEnd: 20,
        window: 30,
        remindersSent: 2,
        lastReminderOn: ASOF,
        remindersOnTime: 1,
        contactsLast30Days: 2,
        lastContactOn: ago(5),
        flags: [],
        status: 'pending',
      },
    ]);
  });

  it('leaves out lastReminderOn and lastContactOn when there are none', () => {
    const entry = only(ending(60, { visits: [] }));
    expect(entry).not.toHaveProperty('lastReminderOn');
    expect(entry).not.toHaveProperty('lastContactOn');
    expect(entry).toMatchObject({ remindersSent: 0, remindersOnTime: 0, contactsLast30Days: 0 });
  });

  it.each([
    [0, 15],
    [15, 15],
    [16, 30],
    [30, 30],
    [31, 90],
    [90, 90],
    [-1, 'ended'],
    [-30, 'ended'],
  ] as const)('a term ending in %i days is in window %s', (daysToEnd, window) => {
    expect(only(ending(daysToEnd, { reminders: [reminder(ago(40), ahead(daysToEnd))] }))).toMatchObject({ daysToEnd, window, status: 'pending', flags: [] });
  });

  it('leaves out terms ending beyond the largest window or before the 30-day grace', () => {
    expect(entries(ending(91))).toEqual([]);
    expect(entries(ending(-31))).toEqual([]);
  });

  describe('flags', () => {
    it('flags reminder_due from 30 days before the end until a reminder for this term is sent', () => {
      expect(only(ending(31)).flags).toEqual([]);
      expect(only(ending(30)).flags).toEqual(['reminder_due']);
      expect(only(ending(-5)).flags).toEqual(['reminder_due']);
      expect(only(ending(30, { reminders: [reminder(ago(1), ahead(30))] })).flags).toEqual([]);
      expect(only(ending(30, { reminders: [reminder(ago(1), '2025-12-31')] })).flags).toEqual(['reminder_due']);
      expect(only(ending(30, { reminders: [reminder(ahead(1), ahead(30))] })).flags).toEqual(['reminder_due']);
    });

    it('flags under_contacted within 90 days with fewer than 2 contacts in the last 30', () => {
      expect(only(ending(90, { visits: [visit(ago(5))] })).flags).toEqual(['under_contacted']);
      expect(only(ending(90, { visits: [visit(ago(5)), visit(ago(30))] })).flags).toEqual(['under_contacted']);
      expect(only(ending(90, { visits: [visit(ago(5)), visit(ago(29))] })).flags).toEqual([]);
      expect(only(ending(0, { visits: [] })).flags).toEqual(['reminder_due', 'under_contacted']);
      expect(only(ending(-1, { visits: [] })).flags).toEqual(['reminder_due']);
    });

    it('takes the horizon, minimum and reminder window from the rules', () => {
      const rules: ServiceRules = { ...RULES, expiring: { horizonDays: 60, minContacts: 3, windowDays: 30 }, reminderWindow: { earliestDaysBefore: 45, latestDaysBefore: 15 } };
      expect(only(ending(61, { visits: [visit(ago(5))] }), rules).flags).toEqual([]);
      expect(only(ending(60), rules).flags).toEqual(['under_contacted']);
      expect(only(ending(45, { visits: [...twoContacts(), visit(ago(1))] }), rules).flags).toEqual(['reminder_due']);
      expect(only(ending(20, { reminders: [reminder(ago(20), ahead(20))] }), rules).remindersOnTime).toBe(1);
      expect(only(ending(20, { reminders: [reminder(ago(20), ahead(20))] })).remindersOnTime).toBe(0);
    });
  });

  describe('status', () => {
    it('is renewed once the renewal is collected by asOf, with no flags', () => {
      const doc = ending(10, { visits: [], terms: [{ start: '2025-06-26', end: ahead(10), renewedOn: ago(2) }, { start: ahead(11), end: '2027-06-25' }] });
      expect(only(doc)).toMatchObject({ status: 'renewed', renewedOn: ago(2), flags: [] });
      expect(only(doc, RULES, ago(3))).toMatchObject({ status: 'pending', flags: ['reminder_due', 'under_contacted'] });
      expect(only(doc, RULES, ago(3))).not.toHaveProperty('renewedOn');
    });

    it('is lapsed when a churn by asOf names this term end', () => {
      const churns = [{ on: ago(2), kind: 'lapsed' as const, termEnd: ago(3) }];
      expect(only(ending(-3, { churns }))).toMatchObject({ status: 'lapsed', window: 'ended', flags: [] });
      expect(only(ending(-3, { churns }), RULES, ago(3))).toMatchObject({ status: 'pending', daysToEnd: 0 });
      expect(only(ending(-3, { churns: [{ on: ago(2), kind: 'cancelled', termEnd: '2025-06-01' }] })).status).toBe('pending');
    });

    it('shows a win-back as renewed, and as lapsed between the churn and the renewal', () => {
      const doc = ending(-20, {
        terms: [{ start: '2025-05-27', end: ago(20), renewedOn: ago(2) }, { start: ago(2), end: ahead(362) }],
        churns: [{ on: ago(10), kind: 'lapsed', termEnd: ago(20) }],
      });
      expect(only(doc)).toMatchObject({ termEnd: ago(20), status: 'renewed', renewedOn: ago(2), window: 'ended' });
      expect(only(doc, RULES, ago(5))).toMatchObject({ termEnd: ago(20), status: 'lapsed', daysToEnd: -15 });
    });
  });

  it('lists a later term only once its renewal is known, and each term in range on its own', () => {
    const doc = facts({
      terms: [{ start: '2025-07-01', end: ahead(10), renewedOn: ahead(5) }, { start: ahead(11), end: ahead(80) }],
      visits: twoContacts(),
    });
    expect(entries(doc).map((entry) => entry.termEnd)).toEqual([ahead(10)]);
    expect(entries(doc, RULES, ahead(5)).map((entry) => [entry.termEnd, entry.status])).toEqual([
      [ahead(10), 'renewed'],
      [ahead(80), 'pending'],
    ]);
  });

  it('names the rep assigned on asOf and is empty before signing', () => {
    const doc = ending(20, { signedOn: '2026-01-01', assignments: [{ repId: REP, from: '2026-01-01' }, { repId: OTHER_REP, from: ahead(1) }] });
    expect(only(doc).serviceRepId).toBe(REP);
    expect(only(doc, RULES, ahead(1)).serviceRepId).toBe(OTHER_REP);
    expect(entries(ending(20, { assignments: [{ repId: REP, from: ahead(1) }] }))).toEqual([]);
  });

  it('takes the windows and the grace from the rules', () => {
    const rules: ServiceRules = { ...RULES, pipelineWindows: [60, 7], renewalGraceDays: 10 };
    expect(only(ending(8), rules).window).toBe(60);
    expect(only(ending(7), rules).window).toBe(7);
    expect(entries(ending(61), rules)).toEqual([]);
    expect(only(ending(-10), rules).window).toBe('ended');
    expect(entries(ending(-11), rules)).toEqual([]);
  });

  it('orders by term end, then customer id', () => {
    const a = only(ending(40, { id: 'c-2' }));
    const b = only(ending(10, { id: 'c-3' }));
    const c = only(ending(40, { id: 'c-1' }));
    expect([a, b, c].sort(comparePipeline).map((entry) => entry.customerId)).toEqual(['c-3', 'c-1', 'c-2']);
  });
});
