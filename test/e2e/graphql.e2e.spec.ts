import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { seedTeam, visitBody } from '../support/fixtures';
import { call, Call, createTestApp, TestApp } from '../support/test-app';

const QUERIES = ['churnRisk', 'renewalPipeline', 'worklist', 'repKpis', 'teamKpis', 'spendLeaderboard'];
const spend = (customerId: string, day: string, amount: number) => ({ customerId, day, spend: amount, clicks: 300, activeKeywords: 3900 });

/** The read models over GraphQL answer what REST answers, through the same handlers, scopes and errors. */
describe('views over GraphQL', () => {
  let t: TestApp;
  const manager = () => t.token('mgr-1', 'manager');
  const rep1 = () => t.token('rep-1', 'rep');
  const gql = (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Call> =>
    call(t, 'POST', '/graphql', { token, body: { query, variables } });
  const errorOf = (response: Call) => response.body.errors?.[0] as { message: string; extensions: Record<string, unknown> } | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    await seedTeam(t);
    const visit = await call(t, 'POST', '/customers/c-1/visits', { token: rep1(), body: visitBody('v-1', { occurredAt: '2026-03-09T03:00:00Z' }) });
    expect(visit.status).toBe(201);
    const platform = t.token('b2b-site', 'platform');
    const spent = await call(t, 'POST', '/telemetry/spend', { token: platform, body: { records: [spend('c-1', '2026-03-02', 200), spend('c-1', '2026-03-09', 500)] } });
    expect(spent.status).toBeLessThan(300);
    await t.caughtUp();
  });
  afterAll(async () => t?.close());

  it('has the six queries in its schema, with summed money as Float', async () => {
    expect((await gql('{ __schema { queryType { fields { name } } } }')).status).toBe(401);
    const introspection = await gql('{ __schema { queryType { fields { name } } } }', {}, manager());
    expect(introspection.body.errors).toBeUndefined();
    // The reports add queries of their own, checked by their own e2e specs.
    expect(introspection.body.data.__schema.queryType.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(QUERIES));
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const signature = (name: string) => {
      const field = schema.getQueryType()!.getFields()[name]!;
      return `${field.args.map((arg) => `${arg.name}: ${String(arg.type)}`).join(', ')} -> ${String(field.type)}`;
    };
    expect(signature('churnRisk')).toBe('asOf: String!, groupId: String, level: ChurnRiskLevel, limit: Int!, offset: Int!, product: Product, repId: String -> ChurnRiskPage!');
    expect(signature('renewalPipeline')).toBe('asOf: String!, flag: PipelineFlag, groupId: String, limit: Int!, offset: Int!, repId: String, status: PipelineStatus, window: String -> RenewalPipelinePage!');
    expect(signature('worklist')).toBe('asOf: String!, repId: String! -> Worklist!');
    expect(signature('repKpis')).toBe('of: String!, period: PeriodKind!, repId: String! -> RepKpis!');
    expect(signature('teamKpis')).toBe('groupId: String, of: String!, period: PeriodKind! -> TeamKpis!');
    expect(signature('spendLeaderboard')).toBe('week: String! -> SpendLeaderboard!');
    const sdl = printSchema(schema);
    expect(sdl).toMatch(/type Renewals \{[^}]*amountFen: Float!/);
    expect(sdl).toMatch(/type LeaderboardGroupRow \{[^}]*incrementFen: Float!/);
    expect(sdl).toMatch(/type PipelineRow \{[^}]*window: String!/);
  });

  it('lists customers by churn risk with their reasons, scoped to the caller', async () => {
    const query = `query ($asOf: String!, $repId: String) {
      churnRisk(asOf: $asOf, repId: $repId) { asOf total offset limit items { customerId companyName serviceRepId groupId product keyAccount score level reasons { code points detail } } }
    }`;
    const all = await gql(query, { asOf: '2026-04-20' }, manager());
    expect(all.body.errors).toBeUndefined();
    const page = all.body.data.churnRisk;
    expect(page).toMatchObject({ asOf: '2026-04-20', total: 2, offset: 0, limit: 50 });
    const c2 = page.items.find((row: { customerId: string }) => row.customerId === 'c-2');
    expect(c2).toMatchObject({ companyName: 'Company c-2', serviceRepId: 'rep-2', groupId: 'g2', product: 'bidding', keyAccount: false });
    expect(c2.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['no_contact', 'no_login']));
    expect(c2.score).toBe(c2.reasons.reduce((sum: number, r: { points: number }) => sum + r.points, 0));
    expect(['high', 'medium', 'low']).toContain(c2.level);

    const rest = await call(t, 'GET', '/churn-risk?asOf=2026-04-20', { token: manager() });
    expect(page.items).toEqual(rest.body.items);

    const mine = await gql(query, { asOf: '2026-04-20' }, rep1());
    expect(mine.body.data.churnRisk.items.map((row: { customerId: string }) => row.customerId)).toEqual(['c-1']);
  });

  it("lists a rep's worklist, and refuses another rep's with FORBIDDEN", async () => {
    const query = `query ($repId: String!, $asOf: String!) {
      worklist(repId: $repId, asOf: $asOf) { repId asOf customersAssigned entries { customerId companyName repId risk { score level } items { kind detail dueOn } } }
    }`;
    const own = await gql(query, { repId: 'rep-2', asOf: '2026-04-20' }, t.token('rep-2', 'rep'));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.worklist).toMatchObject({ repId: 'rep-2', asOf: '2026-04-20', customersAssigned: 1 });
    expect(own.body.data.worklist.entries.map((e: { customerId: string }) => e.customerId)).toEqual(['c-2']);
    expect(own.body.data.worklist.entries[0].items.map((i: { kind: string }) => i.kind)).toEqual(expect.arrayContaining(['not_contacted', 'no_login']));

    const other = await gql(query, { repId: 'rep-2', asOf: '2026-04-20' }, rep1());
    const rest = await call(t, 'GET', '/reps/rep-2/worklist?date=2026-04-20', { token: rep1() });
    expect(rest.status).toBe(403);
    expect(other.body.data).toBeNull();
    expect(errorOf(other)).toMatchObject({ message: rest.body.message, extensions: { code: 'FORBIDDEN', status: 403 } });
  });

  it('refuses a malformed argument with a validation error naming it, as REST does', async () => {
    const query = 'query ($asOf: String!, $limit: Int!) { churnRisk(asOf: $asOf, limit: $limit) { total } }';
    const bad = await gql(query, { asOf: '2026-02-30', limit: 0 }, manager());
    const rest = await call(t, 'GET', '/churn-risk?asOf=2026-02-30&limit=0', { token: manager() });
    const error = errorOf(bad)!;
    expect(error.message).toContain('asOf must be a calendar date YYYY-MM-DD');
    expect(error.message).toContain('limit');
    expect(error.message).toBe(rest.body.message);
    expect(error.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: { fields: expect.arrayContaining([expect.objectContaining({ field: 'asOf' })]) } });

    const window = await gql('{ renewalPipeline(asOf: "2026-11-15", window: "7") { total } }', {}, manager());
    expect(errorOf(window)).toMatchObject({ message: 'window must be one of: 15, 30, 90, ended', extensions: { code: 'VALIDATION_FAILED' } });
    const missing = await gql('{ churnRisk { total } }', {}, manager());
    expect(errorOf(missing)?.message).toContain('asOf');
    expect(errorOf(missing)?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', status: 400 });
  });

  it('refuses a call without a token as UNAUTHENTICATED and the platform identity as FORBIDDEN', async () => {
    const query = '{ spendLeaderboard(week: "2026-03-11") { week { from } } }';
    const anonymous = await gql(query);
    expect(errorOf(anonymous)).toMatchObject({ message: 'A bearer token is required (Authorization: Bearer <token>)', extensions: { code: 'UNAUTHENTICATED', status: 401 } });
    const platform = await gql(query, {}, t.token('b2b-site', 'platform'));
    expect(errorOf(platform)?.extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('answers the renewal pipeline with windows as text', async () => {
    const query = `query ($window: String) {
      renewalPipeline(asOf: "2026-11-15", window: $window) {
        asOf total summary { byWindow { window pending renewed lapsed } reminderDue underContacted }
        items { customerId serviceRepId groupId product termEnd daysToEnd window remindersSent remindersOnTime contactsLast30Days lastContactOn flags status renewedOn }
      }
    }`;
    const pipeline = (await gql(query, {}, manager())).body.data.renewalPipeline;
    expect(pipeline.total).toBe(2);
    expect(pipeline.items[0]).toMatchObject({ customerId: 'c-1', termEnd: '2026-12-31', daysToEnd: 46, window: '90', status: 'pending', flags: ['under_contacted'], lastContactOn: '2026-03-09', renewedOn: null });
    expect(pipeline.summary.byWindow).toEqual([
      { window: 'ended', pending: 0, renewed: 0, lapsed: 0 },
      { window: '15', pending: 0, renewed: 0, lapsed: 0 },
      { window: '30', pending: 0, renewed: 0, lapsed: 0 },
      { window: '90', pending: 2, renewed: 0, lapsed: 0 },
    ]);
    expect((await gql(query, { window: '30' }, manager())).body.data.renewalPipeline.total).toBe(0);
    expect((await gql(query, { window: '90' }, manager())).body.data.renewalPipeline.total).toBe(2);
  });

  it("answers a rep's KPIs and the team's", async () => {
    const fields = 'repId repName role groupId period { kind from to } calls contacts visits distinctCustomersServed monthlyCoverage { assigned covered rate } renewals { count amountFen } workload { total points { phoneReached } fineFen } serviceCommission { amountFen } dailyTargets { summary { workingDays } }';
    const kpis = await gql(`{ repKpis(repId: "rep-1", period: day, of: "2026-03-09") { ${fields} } }`, {}, rep1());
    expect(kpis.body.errors).toBeUndefined();
    expect(kpis.body.data.repKpis).toMatchObject({
      repId: 'rep-1',
      repName: 'Zhang San',
      role: 'service',
      groupId: 'g1',
      period: { kind: 'day', from: '2026-03-09', to: '2026-03-09' },
      calls: 1,
      contacts: 1,
      visits: 1,
      distinctCustomersServed: 1,
      renewals: { count: 0, amountFen: 0 },
      workload: { total: 2, points: { phoneReached: 2 }, fineFen: null },
      dailyTargets: { summary: { workingDays: 1 } },
    });
    const refused = await gql(`{ repKpis(repId: "rep-2", period: month, of: "2026-03-10") { repId } }`, {}, t.token('sup-1', 'supervisor'));
    expect(errorOf(refused)?.extensions.code).toBe('FORBIDDEN');

    const team = await gql('{ teamKpis(period: month, of: "2026-03-09", groupId: "g1") { period from to reps { repId workload { fineFen } } } }', {}, manager());
    expect(team.body.data.teamKpis).toMatchObject({ period: 'month', from: '2026-03-01', to: '2026-03-31' });
    expect(team.body.data.teamKpis.reps.map((r: { repId: string }) => r.repId)).toEqual(['rep-1', 'sup-1']);
  });

  it('answers the spend-increase leaderboard in fen', async () => {
    const query = `{ spendLeaderboard(week: "2026-03-11") {
      week { from to }
      regular { rank repId repName customers spendFen previousSpendFen incrementFen incrementPercent deaths revivals }
      keyAccounts { repId }
      groups { rank groupId groupName reps customers incrementFen }
    } }`;
    const board = await gql(query, {}, rep1());
    expect(board.body.errors).toBeUndefined();
    const { week, regular, keyAccounts, groups } = board.body.data.spendLeaderboard;
    expect(week).toEqual({ from: '2026-03-09', to: '2026-03-15' });
    expect(regular[0]).toMatchObject({ rank: 1, repId: 'rep-1', repName: 'Zhang San', customers: 1, spendFen: 50_000, previousSpendFen: 20_000, incrementFen: 30_000, incrementPercent: 150 });
    expect(keyAccounts).toEqual([]);
    expect(groups[0]).toMatchObject({ rank: 1, groupId: 'g1', groupName: 'Bidding group 1', incrementFen: 30_000 });
  });
});
