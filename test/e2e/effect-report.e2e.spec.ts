import { seedTeam, signBody, visitBody } from '../support/fixtures';
import { call, Call, createTestApp, TestApp } from '../support/test-app';

const at = (day: string) => `${day}T02:00:00Z`;
const usage = (day: string, logins: number, inquiriesReceived: number) => ({
  customerId: 'c-3',
  day,
  logins,
  shopViews: 10,
  adClicks: 1,
  inquiriesReceived,
  inquiriesUnread: 0,
  messagesUnanswered: 0,
});
const spend = (day: string, amount: number, clicks: number, activeKeywords: number) => ({ customerId: 'c-3', day, spend: amount, clicks, activeKeywords });

const REPORT_FIELDS = `
  customerId companyName industry product grade keyAccount asOf basis comparisonNote headline
  serviceRep { id name }
  term { number start end days complete counted { from to days } }
  previousTerm { number start end days compared { from to days } }
  figures {
    logins { ...F } shopViews { ...F } adClicks { ...F } inquiriesReceived { ...F } reportedCalls { ...F } reportedInquiries { ...F }
    reportedDeals { ...F } spendFen { ...F } clicks { ...F } cpc { ...F } keywordsAtStart { ...F } keywordsAtEnd { ...F }
    keywordsAverage { ...F } visits { ...F } contacts { ...F } issuesRaised { ...F } issuesResolved { ...F }
    issuesCommunicated { ...F } buyerIntroductions { ...F } renewalReminders { ...F }
  }
  visitsByChannel { channel current previous change changePercent previousTerm noDataBefore }
  visitsByLevel { level current previous change changePercent previousTerm noDataBefore }
  months {
    current { month monthOfTerm from to days logins inquiriesReceived spendFen clicks cpc }
    previous { month monthOfTerm from to days logins inquiriesReceived spendFen clicks cpc }
  }`;
const QUERY = `query ($customerId: String!, $term: String, $asOf: String) { effectReport(customerId: $customerId, term: $term, asOf: $asOf) { ${REPORT_FIELDS} } }
fragment F on EffectFigure { current previous change changePercent previousTerm noDataBefore }`;

/**
 * Customer c-3 (rep-1, group g1) signed for 2025 and renewed for 2026, with visits, an issue, a buyer and telemetry in
 * both terms. On 2026-03-10 term 2 has run 69 days and is compared with 2025-01-01 – 2025-03-10.
 */
describe('effect report over REST and GraphQL', () => {
  let t: TestApp;
  const manager = () => t.token('mgr-1', 'manager');
  const rep1 = () => t.token('rep-1', 'rep');
  const get = (url: string, token?: string) => call(t, 'GET', url, { token });
  const gql = (variables: Record<string, unknown>, token?: string): Promise<Call> => call(t, 'POST', '/graphql', { token, body: { query: QUERY, variables } });
  const page = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    t = await createTestApp();
    await seedTeam(t);
    const ok = async (url: string, body: unknown, token = rep1()) => {
      const response = await call(t, 'POST', url, { token, body });
      if (response.status >= 300) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
    };
    await ok(
      '/customers',
      signBody('c-3', 'rep-1', { companyName: '<script>alert(1)</script> Valves', term: { start: '2025-01-01', end: '2025-12-31' }, occurredAt: at('2025-01-01') }),
      manager(),
    );
    await ok('/customers/c-3/visits', visitBody('v-25-1', { effect: { calls: 2, inquiries: 1, deals: 0 }, occurredAt: at('2025-02-01') }));
    await ok('/customers/c-3/renewal-reminders', { reminderId: 'r-25-1', channel: 'phone', occurredAt: at('2025-12-05') });
    await ok('/customers/c-3/renewals', { amount: 15000, newTerm: { start: '2026-01-01', end: '2026-12-31' }, paymentReference: 'BANK-2025-0001', occurredAt: at('2025-12-20') });
    await ok('/customers/c-3/visits', visitBody('v-26-1', { effect: { calls: 3, inquiries: 2, deals: 1 }, occurredAt: at('2026-01-20') }));
    await ok('/customers/c-3/issues', { issueId: 'i-1', category: 'content', description: 'Product titles do not draw buyers', visitId: 'v-26-1', occurredAt: at('2026-01-20') });
    await ok('/customers/c-3/issues/i-1/resolution', { resolution: 'Titles rewritten', occurredAt: at('2026-01-25') });
    await ok('/customers/c-3/issues/i-1/communication', { channel: 'phone', occurredAt: at('2026-01-26') });
    await ok('/customers/c-3/buyer-introductions', { introductionId: 'b-1', buyerName: 'Ningbo Pumps', occurredAt: at('2026-02-01') });
    await ok('/customers/c-3/visits', visitBody('v-26-2', { level: 2, occurredAt: at('2026-02-15') }), t.token('sup-1', 'supervisor'));
    const platform = t.token('b2b-site', 'platform');
    // The platform reports from the first day of term 1 (a quiet day): both terms can be compared.
    const usageRecords = [usage('2025-01-01', 0, 0), usage('2025-01-05', 3, 2), usage('2025-02-10', 1, 4), usage('2025-06-01', 5, 5), usage('2026-01-05', 4, 5), usage('2026-02-10', 2, 4)];
    await ok('/telemetry/usage', { records: usageRecords }, platform);
    await ok('/telemetry/spend', { records: [spend('2025-01-01', 0, 0, 3), spend('2025-01-05', 100, 30, 3), spend('2026-01-05', 200, 300, 3900), spend('2026-02-10', 100, 100, 4000)] }, platform);
    await t.caughtUp();
  });
  afterAll(async () => t?.close());

  it('compares the running term with the same days of the previous one, figure by figure', async () => {
    const response = await get('/customers/c-3/effect-report?asOf=2026-03-10', rep1());
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({
      customerId: 'c-3',
      asOf: '2026-03-10',
      basis: 'same_days',
      serviceRep: { id: 'rep-1', name: 'Zhang San' },
      term: { number: 2, start: '2026-01-01', end: '2026-12-31', complete: false, counted: { from: '2026-01-01', to: '2026-03-10', days: 69 } },
      previousTerm: { number: 1, compared: { from: '2025-01-01', to: '2025-03-10', days: 69 } },
    });
    // Inquiries 5 + 4 against 2 + 4 (the June day is outside the compared days): +50 %; whole term 1 = 11.
    expect(report.figures.inquiriesReceived).toEqual({ current: 9, previous: 6, change: 3, changePercent: 50, previousTerm: 11, noDataBefore: null });
    expect(report.figures.logins).toEqual({ current: 6, previous: 4, change: 2, changePercent: 50, previousTerm: 9, noDataBefore: null });
    // 300 CNY over 400 clicks = 0.75 against 100 CNY over 30 clicks = 3.33: −2.58 CNY, −77.5 %.
    expect(report.figures.spendFen).toEqual({ current: 30_000, previous: 10_000, change: 20_000, changePercent: 200, previousTerm: 10_000, noDataBefore: null });
    expect(report.figures.cpc).toEqual({ current: 0.75, previous: 3.33, change: -2.58, changePercent: -77.5, previousTerm: 3.33, noDataBefore: null });
    expect(report.figures.keywordsAtEnd).toMatchObject({ current: 4000, previous: 3 });
    expect(report.figures.reportedDeals).toEqual({ current: 1, previous: 0, change: 1, changePercent: null, previousTerm: 0, noDataBefore: null });
    expect(report.figures.visits).toMatchObject({ current: 2, previous: 1, previousTerm: 1 });
    expect(report.figures.issuesCommunicated).toMatchObject({ current: 1, previous: 0 });
    expect(report.figures.buyerIntroductions).toMatchObject({ current: 1, previous: 0 });
    expect(report.figures.renewalReminders).toMatchObject({ current: 0, previousTerm: 1 });
    expect(report.visitsByLevel).toEqual([
      { level: 1, current: 1, previous: 1, change: 0, changePercent: 0, previousTerm: 1, noDataBefore: null },
      { level: 2, current: 1, previous: 0, change: 1, changePercent: null, previousTerm: 0, noDataBefore: null },
    ]);
    expect(report.months.current.map((m: { month: string; inquiriesReceived: number }) => [m.month, m.inquiriesReceived])).toEqual([
      ['2026-01', 5],
      ['2026-02', 4],
      ['2026-03', 0],
    ]);
    expect(report.months.previous).toHaveLength(12);
    expect(report.headline[0]).toBe('Inquiries received: 9 (+50 % vs previous term)');
  });

  it('answers the same over GraphQL', async () => {
    const rest = await get('/customers/c-3/effect-report?asOf=2026-03-10&term=current', rep1());
    const graphql = await gql({ customerId: 'c-3', asOf: '2026-03-10', term: 'current' }, rep1());
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.effectReport).toEqual(rest.body);
    const first = await gql({ customerId: 'c-3', asOf: '2026-03-10', term: '1' }, manager());
    expect(first.body.data.effectReport).toEqual((await get('/customers/c-3/effect-report?asOf=2026-03-10&term=2025-01-01', manager())).body);
    expect(first.body.data.effectReport).toMatchObject({ basis: 'none', previousTerm: null, term: { number: 1, complete: true } });
  });

  it('serves the printable page as text/html with the figures, the charts and the company name escaped', async () => {
    const response = await page('/customers/c-3/effect-report.html?asOf=2026-03-10', rep1());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html).toContain('<li>Inquiries received: 9 (+50 % vs previous term)</li>');
    expect(html).toContain('<tr><td>Average cost per click (CNY)</td><td>0.75</td><td>3.33</td>');
    expect(html).toContain('<dt>Service rep</dt><dd>Zhang San (rep-1)</dd>');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(4);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Valves');
    expect(html).not.toContain('<script');
  });

  it('lets the own rep, their supervisor, managers and analysts read it; other reps, other supervisors and the platform not', async () => {
    const url = '/customers/c-3/effect-report?asOf=2026-03-10';
    expect((await get(url, t.token('sup-1', 'supervisor'))).status).toBe(200);
    expect((await get(url, manager())).status).toBe(200);
    expect((await get(url, t.token('ana-1', 'analyst'))).status).toBe(200);
    expect((await get(url, t.token('rep-2', 'rep'))).status).toBe(403);
    expect((await get(url, t.token('sup-2', 'supervisor'))).status).toBe(403);
    expect((await get(url, t.token('b2b-site', 'platform'))).status).toBe(403);
    expect((await get(url)).status).toBe(401);
    expect((await page('/customers/c-3/effect-report.html?asOf=2026-03-10', t.token('rep-2', 'rep'))).statusCode).toBe(403);
    expect((await page('/customers/c-3/effect-report.html?asOf=2026-03-10')).statusCode).toBe(401);
    const forbidden = await gql({ customerId: 'c-3', asOf: '2026-03-10' }, t.token('rep-2', 'rep'));
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers 404 for an unknown customer or term and 400 naming a bad parameter', async () => {
    const unknown = await get('/customers/ghost/effect-report?asOf=2026-03-10', manager());
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect((await gql({ customerId: 'ghost', asOf: '2026-03-10' }, manager())).body.errors[0].extensions.code).toBe('NOT_FOUND');
    const noTerm = await get('/customers/c-3/effect-report?asOf=2026-03-10&term=3', manager());
    expect(noTerm.status).toBe(404);
    expect(noTerm.body.message).toContain('no term 3');
    const badTerm = await get('/customers/c-3/effect-report?term=last', manager());
    expect(badTerm.status).toBe(400);
    expect(badTerm.body.message).toContain('term must be "current", a term number');
    const badDay = await get('/customers/c-3/effect-report?asOf=2026-02-30', manager());
    expect(badDay.status).toBe(400);
    expect(badDay.body.message).toContain('asOf must be a calendar date YYYY-MM-DD');
    expect((await get('/customers/c-3/effect-report?asOf=2026-03-10&format=pdf', manager())).status).toBe(400);
    expect((await page('/customers/c-3/effect-report.html?term=0', manager())).statusCode).toBe(400);
    const notStarted = await get('/customers/c-3/effect-report?asOf=2024-12-31', manager());
    expect(notStarted.status).toBe(400);
    expect(notStarted.body.code).toBe('TERM_NOT_STARTED');
    expect((await gql({ customerId: 'c-3', term: 'last' }, manager())).body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
  });

  it('defaults asOf to today in the business time zone', async () => {
    // 17:00 UTC on 2026-03-10 is already 2026-03-11 in Asia/Shanghai.
    t.clock.set(new Date('2026-03-10T17:00:00Z'));
    const token = t.token('mgr-1', 'manager');
    const rest = await get('/customers/c-3/effect-report', token);
    expect(rest.status).toBe(200);
    expect(rest.body.asOf).toBe('2026-03-11');
    expect(rest.body.term.counted.days).toBe(70);
    const graphql = await gql({ customerId: 'c-3' }, token);
    expect(graphql.body.data.effectReport.asOf).toBe('2026-03-11');
  });
});
