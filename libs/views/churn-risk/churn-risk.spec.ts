import { addDays, DEFAULT_SERVICE_RULES as RULES, type ServiceRules } from '#shared-kernel';
import type { SpendSeries, UsageSeries } from '#telemetry';
import { type CustomerFactsDoc } from '#customer';
import { facts, issue, NO_SPEND, NO_USAGE, OTHER_REP, reminder, spendOf, usageOf, visit } from '#testing';
import { churnLevel, churnRisk, compareRisk, type ChurnRisk } from './churn-risk';

const ASOF = '2026-06-15';
/** The day `n` days before ASOF. */
const ago = (n: number): string => addDays(ASOF, -n);

/** Logged in and receiving inquiries every day, contacted 5 days ago, term ending far ahead: no signal at all. */
const activeUsage = usageOf({ from: '2026-04-01', to: ASOF, logins: 1, inquiriesReceived: 1 });
const healthy = (overrides: Partial<CustomerFactsDoc> = {}): CustomerFactsDoc => facts({ visits: [visit(ago(5))], ...overrides });
const steadySpend = spendOf({ from: '2026-04-01', to: ASOF, spendFen: 10_000 });

const risk = (doc: CustomerFactsDoc, usage: UsageSeries = activeUsage, spend: SpendSeries = NO_SPEND, rules: ServiceRules = RULES, asOf = ASOF): ChurnRisk =>
  churnRisk(doc, usage, spend, rules, asOf);
const codes = (result: ChurnRisk): string[] => result.reasons.map((reason) => `${reason.code}:${reason.points}`);
/** Usage with logins up to and including `lastLogin`, reported without logins after it. */
const loginsUntil = (lastLogin: string): UsageSeries =>
  usageOf({ from: '2026-01-01', to: ASOF, logins: 1, inquiriesReceived: 1 }, { from: addDays(lastLogin, 1), to: ASOF, logins: 0, inquiriesReceived: 1 });

describe('churn risk', () => {
  it('scores an active, recently contacted customer 0 / low with no reasons', () => {
    expect(risk(healthy())).toEqual({ customerId: 'c-1', score: 0, level: 'low', reasons: [] });
  });

  describe('no login (highest tier reached)', () => {
    it.each([
      [13, []],
      [14, ['no_login:20']],
      [29, ['no_login:20']],
      [30, ['no_login:30']],
    ])('%i days without login → %j', (days, expected) => {
      expect(codes(risk(healthy(), loginsUntil(ago(days))))).toEqual(expected);
    });

    it('says how many days and when the last login was', () => {
      expect(risk(healthy(), loginsUntil(ago(17))).reasons[0]).toEqual({ code: 'no_login', points: 20, detail: `no login for 17 days (last ${ago(17)})` });
    });

    it('counts from signing when the customer never logged in', () => {
      const result = risk(healthy({ signedOn: ago(20), assignments: [{ repId: 'rep-1', from: ago(20) }] }), usageOf({ from: ago(20), to: ASOF, inquiriesReceived: 1 }));
      expect(result.reasons[0]).toEqual({ code: 'no_login', points: 20, detail: 'no login for 20 days (none since signing)' });
    });

    it('gives the top tier when no login lies within the look-back', () => {
      expect(risk(healthy(), usageOf({ from: '2026-01-01', to: ASOF, inquiriesReceived: 1 })).reasons[0]).toEqual({
        code: 'no_login',
        points: 30,
        detail: 'no login for more than 30 days',
      });
    });

    it('takes its tiers from the rules', () => {
      const rules: ServiceRules = { ...RULES, churn: { ...RULES.churn, noLogin: [{ days: 10, points: 7 }] } };
      expect(codes(risk(healthy(), loginsUntil(ago(12)), NO_SPEND, rules))).toEqual(['no_login:7']);
      expect(codes(risk(healthy(), loginsUntil(ago(12))))).toEqual([]);
    });
  });

  describe('no contact by the service rep (strictly more than the tier)', () => {
    it.each([
      [30, []],
      [31, ['no_contact:20']],
      [45, ['no_contact:20']],
      [46, ['no_contact:25']],
    ])('last contact %i days ago → %j', (days, expected) => {
      expect(codes(risk(facts({ visits: [visit(ago(days))] })))).toEqual(expected);
    });

    it('ignores unreached visits and contacts by other reps', () => {
      const visits = [visit(ago(40)), visit(ago(2), { reached: false }), visit(ago(3), { repId: OTHER_REP, level: 2 })];
      expect(risk(facts({ visits })).reasons).toEqual([{ code: 'no_contact', points: 20, detail: `no contact by the service rep for 40 days (last ${ago(40)})` }]);
    });

    it('counts from signing when the service rep never made contact', () => {
      expect(risk(facts({ visits: [] })).reasons).toEqual([{ code: 'no_contact', points: 25, detail: 'no contact by the service rep for 165 days (none since signing)' }]);
    });
  });

  describe('expiring term', () => {
    const ending = (daysToEnd: number, overrides: Partial<CustomerFactsDoc> = {}): CustomerFactsDoc =>
      healthy({ terms: [{ start: '2026-01-01', end: addDays(ASOF, daysToEnd) }], ...overrides });

    it('adds 15 when the term ends within 90 days with fewer than 2 contacts in the last 30', () => {
      expect(risk(ending(90)).reasons).toEqual([
        { code: 'expiring_under_contacted', points: 15, detail: 'term ends 2026-09-13 in 90 days with 1 contacts in the last 30 days' },
      ]);
      expect(codes(risk(ending(91)))).toEqual([]);
    });

    it('is satisfied by 2 contacts inside the 30-day window, not by one just outside it', () => {
      expect(codes(risk(ending(60, { visits: [visit(ago(5)), visit(ago(29), { repId: OTHER_REP })] })))).toEqual([]);
      expect(codes(risk(ending(60, { visits: [visit(ago(5)), visit(ago(30))] })))).toEqual(['expiring_under_contacted:15']);
    });

    it('adds 10 within 30 days when no reminder for that term end was sent by asOf', () => {
      const twoContacts = [visit(ago(5)), visit(ago(10))];
      expect(codes(risk(ending(30, { visits: twoContacts })))).toEqual(['expiring_without_reminder:10']);
      expect(codes(risk(ending(31, { visits: twoContacts })))).toEqual([]);
      expect(codes(risk(ending(30, { visits: twoContacts, reminders: [reminder(ago(1), addDays(ASOF, 30))] })))).toEqual([]);
      expect(codes(risk(ending(30, { visits: twoContacts, reminders: [reminder(ago(1), '2025-12-31')] })))).toEqual(['expiring_without_reminder:10']);
      expect(codes(risk(ending(30, { visits: twoContacts, reminders: [reminder(addDays(ASOF, 1), addDays(ASOF, 30))] })))).toEqual([
        'expiring_without_reminder:10',
      ]);
    });

    it('applies both on the last day and neither after the end or once renewed', () => {
      expect(codes(risk(ending(0)))).toEqual(['expiring_under_contacted:15', 'expiring_without_reminder:10']);
      expect(codes(risk(ending(-1)))).toEqual([]);
      const renewed = healthy({ terms: [{ start: '2026-01-01', end: addDays(ASOF, 10), renewedOn: ago(1) }, { start: addDays(ASOF, 11), end: '2027-06-25' }] });
      expect(codes(risk(renewed))).toEqual([]);
    });
  });

  describe('inquiries', () => {
    it('adds 15 when nothing was received in the last 30 days (asOf−29 … asOf)', () => {
      const lastInquiry = (day: string) => usageOf({ from: '2026-04-01', to: ASOF, logins: 1 }, { from: day, inquiriesReceived: 2, logins: 1 });
      expect(codes(risk(healthy(), lastInquiry(ago(29))))).toEqual([]);
      expect(risk(healthy(), lastInquiry(ago(30))).reasons).toEqual([{ code: 'no_inquiry', points: 15, detail: 'no inquiry received in the last 30 days' }]);
    });

    it('adds 5 for more than 5 unread on the last reported day within 30 days', () => {
      const unread = (count: number, on: string) => usageOf({ from: '2026-04-01', to: on, logins: 1, inquiriesReceived: 1 }, { from: on, logins: 1, inquiriesReceived: 1, inquiriesUnread: count });
      expect(codes(risk(healthy(), unread(5, ASOF)))).toEqual([]);
      expect(risk(healthy(), unread(6, ago(4))).reasons).toEqual([{ code: 'unread_inquiries', points: 5, detail: `6 inquiries unread on ${ago(4)}` }]);
      expect(codes(risk(healthy(), unread(6, ago(30))))).toEqual(['no_login:30', 'no_inquiry:15']);
    });
  });

  describe('bidding spend', () => {
    // Seed 002's case: opened 2006-07-19 at 100 CNY/day, 200 CNY/day after adding keywords in October.
    const opened = facts({ product: 'bidding', signedOn: '2006-07-19', assignments: [{ repId: 'rep-1', from: '2006-07-19' }], terms: [{ start: '2006-07-19', end: '2007-07-18' }] });
    const kangyu = (novemberFen: number) =>
      spendOf(
        { from: '2006-07-19', to: '2006-09-30', spendFen: 10_000, clicks: 30, activeKeywords: 3 },
        { from: '2006-10-01', to: '2006-10-31', spendFen: 20_000, clicks: 300, activeKeywords: 3900 },
        { from: '2006-11-01', to: '2006-11-07', spendFen: novemberFen, clicks: 150, activeKeywords: 3900 },
      );
    const usage2006 = usageOf({ from: '2006-07-19', to: '2006-11-07', logins: 1, inquiriesReceived: 1 });
    const bidding = (asOf: string, spend: SpendSeries) => risk({ ...opened, visits: [visit(addDays(asOf, -3))] }, usage2006, spend, RULES, asOf);

    it('sees no drop while spend doubles from 100 to 200 CNY/day', () => {
      expect(codes(bidding('2006-10-31', kangyu(10_000)))).toEqual([]);
    });

    it('adds 20 when the last 7 days average below 50 % of the 28 days before', () => {
      expect(codes(bidding('2006-11-07', kangyu(10_000)))).toEqual([]);
      expect(bidding('2006-11-07', kangyu(9_900)).reasons).toEqual([
        { code: 'spend_drop', points: 20, detail: 'average daily spend 99.00 CNY in the last 7 days, 49.5 % of 200.00 CNY in the 28 days before' },
      ]);
    });

    it('needs a positive baseline', () => {
      expect(codes(bidding('2006-07-25', spendOf({ from: '2006-07-19', to: '2006-07-25', spendFen: 10_000 })))).toEqual([]);
    });

    it('adds 25 for no spend in the last 7 days, once signed 7 days', () => {
      const lastSpend = (day: string) => spendOf({ from: '2026-04-01', to: day, spendFen: 10_000 }, { from: addDays(day, 1), to: ASOF, spendFen: 0 });
      const doc = healthy({ product: 'bidding' });
      expect(codes(risk(doc, activeUsage, lastSpend(ago(6))))).toEqual(['spend_drop:20']);
      expect(codes(risk(doc, activeUsage, lastSpend(ago(7))))).toEqual(['spend_drop:20', 'dormant:25']);
      const young = (days: number) => healthy({ product: 'bidding', signedOn: ago(days), assignments: [{ repId: 'rep-1', from: ago(days) }] });
      expect(codes(risk(young(6), activeUsage, NO_SPEND))).toEqual([]);
      expect(risk(young(7), activeUsage, NO_SPEND).reasons).toEqual([{ code: 'dormant', points: 25, detail: 'no spend in the last 7 days' }]);
    });

    it('never applies to a membership customer', () => {
      expect(codes(risk(healthy({ product: 'membership' }), activeUsage, NO_SPEND))).toEqual([]);
      expect(codes(risk(healthy({ product: 'bidding' }), activeUsage, steadySpend))).toEqual([]);
    });
  });

  describe('service', () => {
    it('adds 10 once for issues open more than 7 days, unresolved by asOf', () => {
      expect(codes(risk(healthy({ issues: [issue(ago(7))] })))).toEqual([]);
      expect(risk(healthy({ issues: [issue(ago(8)), issue(ago(12), { issueId: 'i-2' }), issue(ago(2), { issueId: 'i-3' })] })).reasons).toEqual([
        { code: 'issue_open', points: 10, detail: '2 issue(s) open for more than 7 days (oldest 12 days)' },
      ]);
      expect(codes(risk(healthy({ issues: [issue(ago(20), { resolvedOn: ASOF, communicatedOn: ASOF })] })))).toEqual([]);
      expect(codes(risk(healthy({ issues: [issue(ago(20), { resolvedOn: addDays(ASOF, 1) })] })))).toEqual(['issue_open:10']);
    });

    it('adds 5 once for resolutions not communicated by asOf', () => {
      const resolved = (communicatedOn?: string) => issue(ago(20), { resolvedOn: ago(3), ...(communicatedOn ? { communicatedOn } : {}) });
      expect(codes(risk(healthy({ issues: [resolved(), { ...resolved(), issueId: 'i-2' }] })))).toEqual(['resolved_not_communicated:5']);
      expect(codes(risk(healthy({ issues: [resolved(ago(1))] })))).toEqual([]);
      expect(codes(risk(healthy({ issues: [resolved(addDays(ASOF, 1))] })))).toEqual(['resolved_not_communicated:5']);
    });

    it('adds 15 when the last satisfaction score is 2 or lower', () => {
      const scored = (...scores: [string, number][]) => healthy({ visits: [visit(ago(5)), ...scores.map(([on, satisfaction]) => visit(on, { satisfaction }))] });
      expect(risk(scored([ago(9), 4], [ago(8), 2])).reasons).toEqual([{ code: 'low_satisfaction', points: 15, detail: `last satisfaction score 2 on ${ago(8)}` }]);
      expect(codes(risk(scored([ago(9), 1], [ago(8), 3])))).toEqual([]);
      expect(codes(risk(scored([ago(9), 1], [addDays(ASOF, 1), 5])))).toEqual(['low_satisfaction:15']);
    });

    it('adds 10 for a complaint open on asOf', () => {
      const complaint = (resolvedOn?: string) => ({ complaintId: 'k-1', category: 'service' as const, filedOn: ago(4), ...(resolvedOn ? { resolvedOn } : {}) });
      expect(risk(healthy({ complaints: [complaint()] })).reasons).toEqual([{ code: 'open_complaint', points: 10, detail: '1 complaint(s) open' }]);
      expect(codes(risk(healthy({ complaints: [complaint(ago(1))] })))).toEqual([]);
      expect(codes(risk(healthy({ complaints: [complaint(addDays(ASOF, 2))] })))).toEqual(['open_complaint:10']);
    });
  });

  describe('score and level', () => {
    it('caps the sum of every signal at 100', () => {
      const doc = facts({
        product: 'bidding',
        terms: [{ start: '2026-01-01', end: addDays(ASOF, 10) }],
        issues: [issue(ago(30)), issue(ago(30), { issueId: 'i-2', resolvedOn: ago(1) })],
        complaints: [{ complaintId: 'k-1', category: 'billing', filedOn: ago(3) }],
        visits: [visit(ago(60), { satisfaction: 1 })],
      });
      const usage = usageOf({ from: '2026-03-01', to: ASOF, inquiriesUnread: 9 });
      const spend = spendOf({ from: ago(40), to: ago(8), spendFen: 10_000 });
      const result = risk(doc, usage, spend);
      expect(result.reasons.reduce((sum, reason) => sum + reason.points, 0)).toBe(185);
      expect(result.reasons).toHaveLength(12);
      expect(result).toMatchObject({ score: 100, level: 'high' });
    });

    it.each([
      [29, 'low'],
      [30, 'medium'],
      [59, 'medium'],
      [60, 'high'],
    ] as const)('a score of %i is %s', (score, level) => {
      expect(churnLevel(score, RULES)).toBe(level);
    });

    it('reaches medium at exactly 30 points from real signals', () => {
      expect(risk(healthy({ complaints: [{ complaintId: 'k-1', category: 'service', filedOn: ago(1) }] }), loginsUntil(ago(14)))).toMatchObject({ score: 30, level: 'medium' });
    });

    it('takes the cap and level thresholds from the rules', () => {
      const rules: ServiceRules = { ...RULES, churn: { ...RULES.churn, cap: 25, levels: { high: 25, medium: 10 } } };
      expect(risk(facts({ visits: [] }), NO_USAGE, NO_SPEND, rules)).toMatchObject({ score: 25, level: 'high' });
    });
  });

  it('answers for a past asOf as it stood then, ignoring later facts', () => {
    const doc = healthy({
      visits: [visit('2026-03-01'), visit('2026-06-10', { satisfaction: 1 })],
      complaints: [{ complaintId: 'k-1', category: 'service', filedOn: '2026-06-01' }],
      issues: [issue('2026-05-01')],
    });
    const usage = usageOf({ from: '2026-01-01', to: '2026-04-10', logins: 1, inquiriesReceived: 1 });
    expect(codes(risk(doc, usage, NO_SPEND, RULES, '2026-03-20'))).toEqual([]);
    expect(codes(risk(doc, usage))).toEqual(['no_login:30', 'no_inquiry:15', 'issue_open:10', 'low_satisfaction:15', 'open_complaint:10']);
  });

  it('orders by score descending, then customer id', () => {
    const rows = [
      { customerId: 'c-3', score: 40 },
      { customerId: 'c-2', score: 70 },
      { customerId: 'c-1', score: 40 },
    ];
    expect([...rows].sort(compareRisk).map((row) => row.customerId)).toEqual(['c-2', 'c-1', 'c-3']);
  });
});
