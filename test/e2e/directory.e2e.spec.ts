import { seedTeam, signBody } from '../support/fixtures';
import { call, Call, createTestApp, TestApp } from '../support/test-app';

const at = (day: string) => `${day}T03:00:00Z`;

/**
 * seedTeam's c-1 (rep-1, g1) and c-2 (rep-2, g2), both sold by sales-1, and two more of rep-1's: c-3, a key account of
 * grade A whose name is written in full-width letters, and c-4, a membership customer whose term ends in June. c-1
 * has an open issue, a resolved one, an open complaint and two follow-ups.
 */
describe('the directory: customers listed, searched and paged, a customer profile, reps and groups', () => {
  let t: TestApp;
  const manager = () => t.token('mgr-1', 'manager');
  const get = (url: string, token: string) => call(t, 'GET', url, { token });
  const ids = (response: Call) => (response.body.items as { id: string }[]).map((item) => item.id);
  const gql = (query: string, token: string): Promise<Call> => call(t, 'POST', '/graphql', { token, body: { query } });
  const post = async (url: string, body: Record<string, unknown>) => {
    const response = await call(t, 'POST', url, { token: manager(), body });
    if (response.status !== 201) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedTeam(t);
    await post('/customers', signBody('c-3', 'rep-1', { companyName: 'ＨＡＮＧＺＨＯＵ Valve', grade: 'A', keyAccount: true, term: { start: '2026-02-01', end: '2027-01-31' } }));
    await post('/customers', signBody('c-4', 'rep-1', { companyName: 'hangzhou pumps', product: 'membership', term: { start: '2025-07-01', end: '2026-06-30' } }));
    await post('/customers/c-1/issues', { issueId: 'i-1', category: 'platform', description: 'Inquiry mails delayed', occurredAt: at('2026-03-02') });
    await post('/customers/c-1/issues', { issueId: 'i-2', category: 'billing', description: 'Double invoice', occurredAt: at('2026-03-03') });
    await post('/customers/c-1/issues/i-2/resolution', { resolution: 'Credit note', occurredAt: at('2026-03-04') });
    await post('/customers/c-1/complaints', { complaintId: 'k-1', category: 'service', description: 'Nobody called back', againstRepId: 'rep-1', occurredAt: at('2026-03-05') });
    await post('/customers/c-1/follow-ups', { followUpId: 'f-1', dueOn: '2026-03-20', occurredAt: at('2026-03-06') });
    await post('/customers/c-1/follow-ups', { followUpId: 'f-2', dueOn: '2026-03-15', occurredAt: at('2026-03-06') });
    await t.caughtUp();
  });
  afterAll(async () => t.close());

  it('lists every customer in name order for a manager, each row with what a list shows', async () => {
    const response = await get('/customers', manager());
    expect(response.status).toBe(200);
    expect(ids(response)).toStrictEqual(['c-1', 'c-2', 'c-4', 'c-3']);
    expect(response.body.total).toBe(4);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items[0]).toStrictEqual({
      id: 'c-1',
      companyName: 'Company c-1',
      industry: 'machinery',
      product: 'bidding',
      grade: 'B',
      keyAccount: false,
      status: 'active',
      serviceRepId: 'rep-1',
      salesRepId: 'sales-1',
      termStart: '2026-01-01',
      termEnd: '2026-12-31',
      openIssues: 1,
      openComplaints: 1,
      nextFollowUpOn: '2026-03-15',
    });
  });

  it('pages by cursor: every customer once, in order, the same total on each page, no cursor after the last', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const response: Call = await get(`/customers?limit=1${cursor ? `&cursor=${cursor}` : ''}`, manager());
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(4);
      seen.push(...ids(response));
      cursor = response.body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toStrictEqual(['c-1', 'c-2', 'c-4', 'c-3']);
    const two = await get('/customers?limit=2', manager());
    expect(ids(await get(`/customers?limit=2&cursor=${two.body.nextCursor}`, manager()))).toStrictEqual(['c-4', 'c-3']);
  });

  it('searches by the start of the name, whatever the case or full-width forms; not by a word inside it', async () => {
    expect(ids(await get('/customers?q=HANGZHOU', manager()))).toStrictEqual(['c-4', 'c-3']);
    expect(ids(await get(`/customers?q=${encodeURIComponent('Ｈangzhou v')}`, manager()))).toStrictEqual(['c-3']);
    expect(ids(await get('/customers?q=company%20c-2', manager()))).toStrictEqual(['c-2']);
    const inside = await get('/customers?q=zhou', manager());
    expect(inside.body).toStrictEqual({ total: 0, limit: 50, items: [], nextCursor: null });
  });

  it('filters by grade, key account, product, status, rep, group and the term end, each side of the range inclusive', async () => {
    expect(ids(await get('/customers?grade=A', manager()))).toStrictEqual(['c-3']);
    expect(ids(await get('/customers?keyAccount=true', manager()))).toStrictEqual(['c-3']);
    expect(ids(await get('/customers?keyAccount=false', manager()))).toStrictEqual(['c-1', 'c-2', 'c-4']);
    expect(ids(await get('/customers?product=membership', manager()))).toStrictEqual(['c-4']);
    expect(ids(await get('/customers?status=churned', manager()))).toStrictEqual([]);
    expect(ids(await get('/customers?repId=rep-2', manager()))).toStrictEqual(['c-2']);
    expect(ids(await get('/customers?groupId=g1', manager()))).toStrictEqual(['c-1', 'c-4', 'c-3']);
    expect(ids(await get('/customers?termEndTo=2026-06-30', manager()))).toStrictEqual(['c-4']);
    expect(ids(await get('/customers?termEndTo=2026-06-29', manager()))).toStrictEqual([]);
    expect(ids(await get('/customers?termEndFrom=2026-06-30&termEndTo=2026-12-31', manager()))).toStrictEqual(['c-1', 'c-2', 'c-4']);
    expect(ids(await get('/customers?termEndFrom=2027-01-31', manager()))).toStrictEqual(['c-3']);
  });

  it('scopes the list: a rep their own customers, a supervisor their group’s, a sales rep those they sold', async () => {
    expect(ids(await get('/customers', t.token('rep-1', 'rep')))).toStrictEqual(['c-1', 'c-4', 'c-3']);
    expect(ids(await get('/customers', t.token('rep-2', 'rep')))).toStrictEqual(['c-2']);
    expect(ids(await get('/customers', t.token('sup-2', 'supervisor')))).toStrictEqual(['c-2']);
    expect(ids(await get('/customers?groupId=g2', t.token('sup-1', 'supervisor')))).toStrictEqual([]);
    expect(ids(await get('/customers', t.token('sales-1', 'rep')))).toStrictEqual(['c-1', 'c-2', 'c-4', 'c-3']);
    const other = await get('/customers?repId=rep-2', t.token('rep-1', 'rep'));
    expect(other.status).toBe(403);
    expect(other.body).toStrictEqual({ statusCode: 403, code: 'FORBIDDEN', message: "You may not see rep rep-2's work" });
    const platform = await get('/customers', t.token('platform-1', 'platform'));
    expect(platform.status).toBe(403);
    expect(platform.body.message).toBe('The platform identity reports telemetry; it cannot read views');
  });

  it('refuses a cursor it did not give, a reversed term range and a page size out of bounds, saying which', async () => {
    const cursor = await get('/customers?cursor=bm90LWEtY3Vyc29y', manager());
    expect(cursor.status).toBe(400);
    expect(cursor.body.message).toBe('cursor is not one this service gave: pass the nextCursor of the previous page, or none for the first page');
    expect(cursor.body.details).toStrictEqual({ fields: [{ field: 'cursor', problems: [cursor.body.message] }] });
    const reversed = await get('/customers?termEndFrom=2026-07-01&termEndTo=2026-06-30', manager());
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toBe('termEndFrom (2026-07-01) is after termEndTo (2026-06-30)');
    expect(reversed.body.details).toStrictEqual({ fields: [{ field: 'termEndFrom', problems: ['termEndFrom (2026-07-01) is after termEndTo (2026-06-30)'] }] });
    const limit = await get('/customers?limit=201', manager());
    expect(limit.status).toBe(400);
    expect(limit.body.message).toContain('limit must not be greater than 200');
    const grade = await get('/customers?grade=Z', manager());
    expect(grade.status).toBe(400);
    expect(grade.body.message).toContain('grade must be one of: A, B, C, D, E');
  });

  it('gives a customer’s profile with its open issues and complaints, the next follow-up and its reps by name', async () => {
    const response = await get('/customers/c-1', manager());
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({
      id: 'c-1',
      companyName: 'Company c-1',
      industry: 'machinery',
      product: 'bidding',
      grade: 'B',
      keyAccount: false,
      contractAmountFen: 1200050,
      signedOn: '2026-03-10',
      status: 'active',
      churnedOn: null,
      serviceRep: { id: 'rep-1', name: 'Zhang San', groupId: 'g1', since: '2026-03-10' },
      salesRep: { id: 'sales-1', name: 'Sun Qi' },
      term: { start: '2026-01-01', end: '2026-12-31', renewedOn: null },
      termsSigned: 1,
      openIssues: [{ issueId: 'i-1', category: 'platform', description: 'Inquiry mails delayed', raisedOn: '2026-03-02', raisedBy: 'mgr-1' }],
      openComplaints: [{ complaintId: 'k-1', category: 'service', filedOn: '2026-03-05', againstRepId: 'rep-1' }],
      nextFollowUp: { followUpId: 'f-2', dueOn: '2026-03-15', repId: 'mgr-1' },
      lastVisit: null,
      visits: 0,
      renewals: 0,
    });
  });

  it('shows a profile to its rep, their supervisor and the rep who sold it, and to no other rep; an unknown customer is 404', async () => {
    expect((await get('/customers/c-1', t.token('rep-1', 'rep'))).status).toBe(200);
    expect((await get('/customers/c-1', t.token('sup-1', 'supervisor'))).status).toBe(200);
    expect((await get('/customers/c-1', t.token('sales-1', 'rep'))).status).toBe(200);
    const other = await get('/customers/c-1', t.token('rep-2', 'rep'));
    expect(other.status).toBe(403);
    expect(other.body).toStrictEqual({ statusCode: 403, code: 'FORBIDDEN', message: 'You may not see customer c-1: it is not served by you' });
    const supervisor = await get('/customers/c-1', t.token('sup-2', 'supervisor'));
    expect(supervisor.body.message).toBe('You may not see customer c-1: it is not served by you or your group');
    const unknown = await get('/customers/c-404', manager());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toStrictEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Customer c-404 does not exist' });
  });

  it('tells a customer’s history in words, newest first, to those who may see the customer', async () => {
    const response = await get('/customers/c-1/timeline', t.token('rep-1', 'rep'));
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({
      customerId: 'c-1',
      companyName: 'Company c-1',
      total: 5,
      offset: 0,
      limit: 50,
      items: [
        { on: '2026-03-10', kind: 'signed', by: 'sales-1', text: 'Signed by Sun Qi for bidding, term 2026-01-01 to 2026-12-31, 12,000.50 CNY; served by Zhang San' },
        { on: '2026-03-05', kind: 'complaint_filed', by: null, text: 'Complaint filed (service) about Zhang San' },
        { on: '2026-03-04', kind: 'issue_resolved', by: 'mgr-1', text: 'Issue of 2026-03-03 (billing) resolved by mgr-1' },
        { on: '2026-03-03', kind: 'issue_raised', by: 'mgr-1', text: 'Issue raised by mgr-1 (billing): Double invoice' },
        { on: '2026-03-02', kind: 'issue_raised', by: 'mgr-1', text: 'Issue raised by mgr-1 (platform): Inquiry mails delayed' },
      ],
    });
    expect((await get('/customers/c-1/timeline?offset=1&limit=1', manager())).body.items).toStrictEqual([response.body.items[1]]);
    const other = await get('/customers/c-1/timeline', t.token('rep-2', 'rep'));
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('You may not see customer c-1: it is not served by you');
    const gqlTimeline = await gql('{ customerTimeline(id: "c-1", limit: 1) { total items { kind text } } }', manager());
    expect(gqlTimeline.body.data.customerTimeline).toStrictEqual({ total: 5, items: [{ kind: 'signed', text: response.body.items[0].text }] });
  });

  it('lists the reps and groups in scope', async () => {
    const reps = await get('/reps', manager());
    expect((reps.body as { id: string }[]).map((rep) => rep.id)).toStrictEqual(['rep-1', 'rep-2', 'sales-1', 'sup-1', 'sup-2']);
    expect(reps.body[0]).toStrictEqual({ id: 'rep-1', name: 'Zhang San', role: 'service', groupId: 'g1', groupName: 'Bidding group 1', registeredOn: '2026-03-10' });
    expect((await get('/reps', t.token('rep-1', 'rep'))).body.map((rep: { id: string }) => rep.id)).toStrictEqual(['rep-1']);
    expect((await get('/reps', t.token('sup-1', 'supervisor'))).body.map((rep: { id: string }) => rep.id)).toStrictEqual(['rep-1', 'sup-1']);
    expect((await get('/groups', manager())).body).toStrictEqual([
      { id: 'g1', name: 'Bidding group 1', kind: 'bidding', reps: 2 },
      { id: 'g2', name: 'Bidding group 2', kind: 'bidding', reps: 2 },
      { id: 'sales', name: 'Sales department 1', kind: 'sales', reps: 1 },
    ]);
    expect((await get('/groups', t.token('rep-2', 'rep'))).body).toStrictEqual([{ id: 'g2', name: 'Bidding group 2', kind: 'bidding', reps: 2 }]);
  });

  it('answers the same over GraphQL, scoped the same way', async () => {
    const list = await gql('{ customers(q: "hang", limit: 1) { total items { id companyName } nextCursor } }', manager());
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.customers.total).toBe(2);
    expect(list.body.data.customers.items).toStrictEqual([{ id: 'c-4', companyName: 'hangzhou pumps' }]);
    const next = await gql(`{ customers(q: "hang", limit: 1, cursor: "${list.body.data.customers.nextCursor}") { items { id } nextCursor } }`, manager());
    expect(next.body.data.customers).toStrictEqual({ items: [{ id: 'c-3' }], nextCursor: null });
    const keyAccounts = await gql('{ customers(keyAccount: true) { items { id } } }', manager());
    expect(keyAccounts.body.data.customers.items).toStrictEqual([{ id: 'c-3' }]);
    const profile = await gql('{ customer(id: "c-1") { serviceRep { name } openIssues { issueId } nextFollowUp { dueOn } } }', t.token('rep-1', 'rep'));
    expect(profile.body.data.customer).toStrictEqual({ serviceRep: { name: 'Zhang San' }, openIssues: [{ issueId: 'i-1' }], nextFollowUp: { dueOn: '2026-03-15' } });
    const refused = await gql('{ customer(id: "c-1") { id } }', t.token('rep-2', 'rep'));
    expect(refused.body.errors[0].message).toBe('You may not see customer c-1: it is not served by you');
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const staff = await gql('{ reps { id groupName } groups { id reps } }', t.token('sup-2', 'supervisor'));
    expect(staff.body.data).toStrictEqual({ reps: [{ id: 'rep-2', groupName: 'Bidding group 2' }, { id: 'sup-2', groupName: 'Bidding group 2' }], groups: [{ id: 'g2', reps: 2 }] });
  });
});
