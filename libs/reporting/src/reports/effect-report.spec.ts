import { NO_SPEND, NO_USAGE, REP, spendOf, usageOf } from '#testing';
import { parseTermSelector, selectTerm } from './effect-report-terms';
import { ASOF, customer, report, selected } from './effect-report.spec-helper';

describe('effect report: a running term compared day for day with the previous one', () => {
  const r = report();

  it('counts the current term up to asOf and the same 69 days of the previous term', () => {
    expect(r.term).toEqual({ number: 2, start: '2026-01-01', end: '2026-12-31', days: 365, counted: { from: '2026-01-01', to: ASOF, days: 69 }, complete: false });
    expect(r.previousTerm).toEqual({ number: 1, start: '2025-01-01', end: '2025-12-31', days: 365, compared: { from: '2025-01-01', to: '2025-03-10', days: 69 } });
    expect(r.basis).toBe('same_days');
    expect(r.comparisonNote).toContain('still running on 2026-03-10: its first 69 of 365 days');
    expect(r.serviceRep).toEqual({ id: REP, name: 'Zhang San' });
  });

  it('compares usage: current, same days before, change, % and the whole previous term', () => {
    // Logins 69 × 2 = 138 against 69 × 1 = 69: +69, +100 %; whole term 1 = 69 + 30 × 3 = 159.
    expect(r.figures.logins).toEqual({ current: 138, previous: 69, change: 69, changePercent: 100, previousTerm: 159, noDataBefore: null });
    // Inquiries 69 × 3 = 207 against 69 × 2 = 138: +50 %; whole term 1 = 138 + 30 = 168. Days after asOf are left out.
    expect(r.figures.inquiriesReceived).toEqual({ current: 207, previous: 138, change: 69, changePercent: 50, previousTerm: 168, noDataBefore: null });
    expect(r.figures.shopViews).toEqual({ current: 690, previous: 690, change: 0, changePercent: 0, previousTerm: 690, noDataBefore: null });
    expect(r.figures.adClicks).toEqual({ current: 207, previous: 138, change: 69, changePercent: 50, previousTerm: 138, noDataBefore: null });
  });

  it('compares spend, clicks and CPC (spend ÷ clicks, in CNY)', () => {
    // 31 × 20,000 + 38 × 15,000 = 1,190,000 fen against 690,000: +500,000 fen = +72.5 %; whole term 1 = 690,000 + 620,000.
    expect(r.figures.spendFen).toEqual({ current: 1_190_000, previous: 690_000, change: 500_000, changePercent: 72.5, previousTerm: 1_310_000, noDataBefore: null });
    // 69 × 300 = 20,700 clicks against 69 × 30 = 2,070: +900 %; whole term 1 = 2,070 + 9,300.
    expect(r.figures.clicks).toEqual({ current: 20_700, previous: 2_070, change: 18_630, changePercent: 900, previousTerm: 11_370, noDataBefore: null });
    // 1,190,000 / 20,700 = 57.5 fen → 0.57 CNY; 3.33 before: −2.76 CNY = −82.9 %; whole term 1: 1,310,000 / 11,370 = 115.2 fen → 1.15.
    expect(r.figures.cpc).toEqual({ current: 0.57, previous: 3.33, change: -2.76, changePercent: -82.9, previousTerm: 1.15, noDataBefore: null });
  });

  it('reads active keywords on the first and last reported day and averages them over the reported days', () => {
    expect(r.figures.keywordsAtStart).toMatchObject({ current: 3_900, previous: 3, previousTerm: 3 });
    expect(r.figures.keywordsAtEnd).toMatchObject({ current: 4_000, previous: 3, previousTerm: 3_900 });
    // (31 × 3,900 + 38 × 4,000) / 69 = 3,955.07; term 1 whole: (69 × 3 + 31 × 3,900) / 100 = 1,211.07.
    expect(r.figures.keywordsAverage).toMatchObject({ current: 3_955.1, previous: 3, previousTerm: 1_211.1 });
  });

  it('sums the effect customers reported in visits, and counts the service given', () => {
    // Term 2: 3 + 1 calls, 2 + 1 inquiries, 1 + 1 deals; compared days: the 2025-02-01 visit only; whole term adds 2025-08-01.
    expect(r.figures.reportedCalls).toEqual({ current: 4, previous: 2, change: 2, changePercent: 100, previousTerm: 7, noDataBefore: null });
    expect(r.figures.reportedInquiries).toEqual({ current: 3, previous: 1, change: 2, changePercent: 200, previousTerm: 5, noDataBefore: null });
    // No % from zero.
    expect(r.figures.reportedDeals).toEqual({ current: 2, previous: 0, change: 2, changePercent: null, previousTerm: 1, noDataBefore: null });
    expect(r.figures.visits).toEqual({ current: 3, previous: 2, change: 1, changePercent: 50, previousTerm: 3, noDataBefore: null });
    expect(r.figures.contacts).toEqual({ current: 3, previous: 1, change: 2, changePercent: 200, previousTerm: 2, noDataBefore: null });
    // Raised 2026-02-01 and 2026-03-01; resolved 2026-01-05 and 2026-02-03; told 2026-01-06. The 2025-12-20 issue counts where each step fell.
    expect(r.figures.issuesRaised).toMatchObject({ current: 2, previous: 1, previousTerm: 2 });
    expect(r.figures.issuesResolved).toMatchObject({ current: 2, previous: 1, previousTerm: 1 });
    expect(r.figures.issuesCommunicated).toMatchObject({ current: 1, previous: 1, previousTerm: 1 });
    expect(r.figures.buyerIntroductions).toEqual({ current: 2, previous: 1, change: 1, changePercent: 100, previousTerm: 1, noDataBefore: null });
    expect(r.figures.renewalReminders).toEqual({ current: 0, previous: 0, change: 0, changePercent: null, previousTerm: 2, noDataBefore: null });
  });

  it('breaks visits down by channel and level', () => {
    const channel = Object.fromEntries(r.visitsByChannel.map(({ channel, current, previous, previousTerm }) => [channel, [current, previous, previousTerm]]));
    expect(channel).toEqual({ phone: [2, 1, 1], onsite: [1, 0, 1], sms: [0, 1, 1], email: [0, 0, 0], chat: [0, 0, 0], meeting: [0, 0, 0] });
    expect(r.visitsByLevel.map(({ level, current, previous }) => [level, current, previous])).toEqual([
      [1, 2, 2],
      [2, 1, 0],
    ]);
  });

  it('gives a monthly series of the counted months, the last one partial, and the whole previous term by month', () => {
    expect(r.months.current).toEqual([
      { month: '2026-01', monthOfTerm: 1, from: '2026-01-01', to: '2026-01-31', days: 31, logins: 62, inquiriesReceived: 93, spendFen: 620_000, clicks: 9_300, cpc: 0.67 },
      { month: '2026-02', monthOfTerm: 2, from: '2026-02-01', to: '2026-02-28', days: 28, logins: 56, inquiriesReceived: 84, spendFen: 420_000, clicks: 8_400, cpc: 0.5 },
      { month: '2026-03', monthOfTerm: 3, from: '2026-03-01', to: ASOF, days: 10, logins: 20, inquiriesReceived: 30, spendFen: 150_000, clicks: 3_000, cpc: 0.5 },
    ]);
    expect(r.months.previous.map((m) => m.month)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    // April 2025 had no spend: no CPC.
    expect(r.months.previous[3]).toMatchObject({ logins: 0, spendFen: 0, clicks: 0, cpc: null });
    expect(r.months.previous[5]).toMatchObject({ logins: 90, inquiriesReceived: 30 });
  });

  it('headlines the changes', () => {
    expect(r.headline).toEqual([
      'Inquiries received: 207 (+50 % vs previous term)',
      'Deals the customer reported: 2 (up from 0 in the previous term)',
      'Logins: 138 (+100 % vs previous term)',
      'Shop views: 690 (0 % vs previous term)',
      'Spend (CNY): 11,900.00 (+72.5 % vs previous term)',
      'Paid clicks: 20,700 (+900 % vs previous term)',
      'Average cost per click (CNY): 0.57 (-82.9 % vs previous term)',
    ]);
  });
});

describe('effect report: an ended term and a first term', () => {
  it('compares a term that has ended with the whole previous term', () => {
    const r = report(customer(), { kind: 'current' }, '2027-01-15');
    expect(r.term).toMatchObject({ number: 2, complete: true, counted: { from: '2026-01-01', to: '2026-12-31', days: 365 } });
    expect(r.basis).toBe('full_terms');
    expect(r.previousTerm?.compared).toEqual({ from: '2025-01-01', to: '2025-12-31', days: 365 });
    // The two days after 2026-03-10 now count: 138 + 200 logins.
    expect(r.figures.logins).toEqual({ current: 338, previous: 159, change: 179, changePercent: 112.6, previousTerm: 159, noDataBefore: null });
    // Reassigned on 2026-03-20: rep-2 was responsible at the end of the term (no name known: the id stands in).
    expect(r.serviceRep).toEqual({ id: 'rep-2', name: 'rep-2' });
  });

  it('reports a first term without comparisons: previous figures and changes are null', () => {
    const r = report(customer(), { kind: 'number', number: 1 });
    expect(r.term).toMatchObject({ number: 1, complete: true, counted: { from: '2025-01-01', to: '2025-12-31', days: 365 } });
    expect(r.previousTerm).toBeNull();
    expect(r.basis).toBe('none');
    expect(r.figures.inquiriesReceived).toEqual({ current: 168, previous: null, change: null, changePercent: null, previousTerm: null, noDataBefore: null });
    expect(r.visitsByLevel[0]).toEqual({ level: 1, current: 3, previous: null, change: null, changePercent: null, previousTerm: null, noDataBefore: null });
    expect(r.months.previous).toEqual([]);
    expect(r.headline[0]).toBe('Inquiries received: 168');
    expect(r.comparisonNote).toContain('first term');
  });

  it('gives a customer without telemetry zero usage, no CPC and no keywords, and leaves spend out of a membership headline', () => {
    const r = report(customer({ product: 'membership' }), { kind: 'current' }, ASOF, NO_USAGE, NO_SPEND);
    expect(r.figures.logins).toEqual({ current: 0, previous: 0, change: 0, changePercent: null, previousTerm: 0, noDataBefore: null });
    expect(r.figures.cpc).toEqual({ current: null, previous: null, change: null, changePercent: null, previousTerm: null, noDataBefore: null });
    expect(r.figures.keywordsAtEnd.current).toBeNull();
    expect(r.headline.some((line) => line.startsWith('Spend'))).toBe(false);
  });
});

describe('effect report: choosing the term', () => {
  it('reads the term parameter: current, a number or a start date', () => {
    expect(parseTermSelector(undefined)).toEqual({ kind: 'current' });
    expect(parseTermSelector('current')).toEqual({ kind: 'current' });
    expect(parseTermSelector('2')).toEqual({ kind: 'number', number: 2 });
    expect(parseTermSelector('2025-01-01')).toEqual({ kind: 'start', start: '2025-01-01' });
    expect(parseTermSelector('0')).toBeUndefined();
    expect(parseTermSelector('2025-02-30')).toBeUndefined();
    expect(parseTermSelector('last')).toBeUndefined();
  });

  it('finds a term by its start date', () => {
    expect(selected(customer(), { kind: 'start', start: '2025-01-01' }, ASOF).term.number).toBe(1);
  });

  it('refuses a term that does not exist, or is not known yet on asOf', () => {
    expect(selectTerm(customer(), { kind: 'number', number: 3 }, ASOF)).toMatchObject({ ok: false, reason: 'no_such_term' });
    expect(selectTerm(customer(), { kind: 'start', start: '2025-06-01' }, ASOF)).toMatchObject({ ok: false, reason: 'no_such_term' });
    // Term 2 exists only from its renewal on 2025-12-20.
    const before = selectTerm(customer(), { kind: 'number', number: 2 }, '2025-12-15');
    expect(before).toMatchObject({ ok: false, reason: 'no_such_term' });
    expect(!before.ok && before.message).toContain('1: 2025-01-01 – 2025-12-31');
    expect(selected(customer(), { kind: 'current' }, '2025-12-15').term).toMatchObject({ number: 1, complete: false });
  });

  it('refuses a term that has not started on asOf', () => {
    expect(selectTerm(customer(), { kind: 'number', number: 2 }, '2025-12-25')).toMatchObject({ ok: false, reason: 'not_started' });
    expect(selectTerm(customer(), { kind: 'current' }, '2024-12-31')).toMatchObject({ ok: false, reason: 'not_started' });
  });

  it('compares with the whole previous term when it is shorter than the days counted so far', () => {
    const doc = customer({
      terms: [
        { start: '2025-10-01', end: '2025-12-31', renewedOn: '2025-12-20' },
        { start: '2026-01-01', end: '2026-12-31' },
      ],
    });
    expect(selected(doc, { kind: 'current' }, '2026-06-30').previous?.compared).toEqual({ from: '2025-10-01', to: '2025-12-31', days: 92 });
  });
});

describe('effect report: a compared period the log has no telemetry for', () => {
  // Term 2 is compared with 2025-01-01 – 2025-03-10. Usage from `first` on only; spend as in the other tests.
  const usageFrom = (first: string) => usageOf({ from: first, to: '2025-03-10', logins: 1, inquiriesReceived: 2 }, { from: '2026-01-01', to: '2026-03-10', logins: 2, inquiriesReceived: 3 });

  it('compares when the telemetry begins on the first compared day', () => {
    const r = report(customer(), { kind: 'current' }, ASOF, usageFrom('2025-01-01'));
    expect(r.figures.logins).toStrictEqual({ current: 138, previous: 69, change: 69, changePercent: 100, previousTerm: 69, noDataBefore: null });
    expect(r.comparisonNote).not.toContain('not compared');
  });

  it('compares nothing, and says since when the log has data, when it begins one day later; other figures are compared', () => {
    const r = report(customer(), { kind: 'current' }, ASOF, usageFrom('2025-01-02'));
    expect(r.figures.logins).toStrictEqual({ current: 138, previous: null, change: null, changePercent: null, previousTerm: null, noDataBefore: '2025-01-02' });
    expect(r.figures.inquiriesReceived.noDataBefore).toBe('2025-01-02');
    // Spend has data from the first compared day, the customer's own events from its signing.
    expect(r.figures.spendFen.noDataBefore).toBeNull();
    expect(r.figures.spendFen.changePercent).toBe(72.5);
    expect(r.figures.visits).toStrictEqual({ current: 3, previous: 2, change: 1, changePercent: 50, previousTerm: 3, noDataBefore: null });
    expect(r.headline).toContain('Logins: 138 (no data before 2025-01-02 to compare with)');
    expect(r.comparisonNote).toMatch(/ Platform figures are not compared: the log holds this customer's usage from 2025-01-02 only\.$/);
  });

  it('never sets a term with one day of data against another: the demo year’s “+32,200 %”', () => {
    const oneDay = usageOf({ from: '2025-03-10', to: '2025-03-10', logins: 1 }, { from: '2026-01-01', to: '2026-03-10', logins: 5 });
    const spendOneDay = spendOf({ from: '2025-03-10', to: '2025-03-10', spendFen: 100, clicks: 1, activeKeywords: 1 }, { from: '2026-01-01', to: '2026-03-10', spendFen: 10_000, clicks: 10, activeKeywords: 5 });
    const r = report(customer(), { kind: 'current' }, ASOF, oneDay, spendOneDay);
    expect([r.figures.logins.changePercent, r.figures.spendFen.changePercent, r.figures.cpc.changePercent]).toStrictEqual([null, null, null]);
    expect(r.comparisonNote).toContain("the log holds this customer's usage from 2025-03-10 and spend from 2025-03-10 only.");
  });

  it('a first term has nothing to compare, so nothing is missing', () => {
    const first = report(customer(), { kind: 'number', number: 1 }, ASOF, usageFrom('2025-02-01'));
    expect(first.figures.logins.noDataBefore).toBeNull();
    expect(first.comparisonNote).not.toContain('not compared');
  });
});
