import { GraphQLSchemaHost } from '@nestjs/graphql';
import { seedTeam, visitBody } from '../support/fixtures';
import { call, Call, createTestApp, TestApp } from '../support/test-app';

const at = (day: string) => `${day}T03:00:00Z`;

const FEEDBACK_COUNTS = 'raised raisedResolved raisedCommunicated raisedOpen resolvedInWeek communicatedInWeek backlog backlogAwaitingResolution backlogAwaitingCommunication oldestBacklogDays';
const ISSUE = 'issueId customerId companyName serviceRepId category description visitId raisedOn raisedBy status resolvedOn communicatedOn ageDays';
const FEEDBACK = `weeklyFeedback(week: $week, asOf: $asOf) {
  week { from to } through complete
  categories { category ${FEEDBACK_COUNTS} } totals { ${FEEDBACK_COUNTS} }
  feedback { day customerId companyName visitId repId serviceRepId level satisfaction categories issueIds feedback }
  issuesRaised { ${ISSUE} } backlog { ${ISSUE} }
}`;
const FIGURES = `visits levelOne levelTwo customersVisited levelOneCustomers verifiedCustomers verifiedShare reached reachedShare decisionMaker decisionMakerShare
  satisfaction { count average distribution low lowShare } multiHeadVisits`;
const QUALITY = `visitQuality(period: $period, of: $of, groupId: $groupId) {
  period { kind from to } groupId multiHeadWindowDays
  reps { repId repName groupId ${FIGURES} } scope { ${FIGURES} }
  multiHead { cases customers list { customerId companyName from to repIds crossGroup visits { visitId on repId groupId serviceRepId channel level multiHead } } }
}`;
const LOAD = 'customers capacity load headroom status';
const ADVICE = 'advice { customers serviceReps serviceRepsMin manager }';
const CAPACITY = `capacity(asOf: $asOf) {
  asOf customersPerRep
  reps { repId repName role groupId keyAccounts ${LOAD} }
  groups { groupId groupName reps ${LOAD} ${ADVICE} repsShort }
  scope { reps ${LOAD} ${ADVICE} repsShort }
}`;

/**
 * The week of Monday 2026-03-09. c-1 (rep-1, g1): rep-1 visits on 03-10 with feedback and raises a platform issue in
 * that visit, resolved on 03-11 and not yet told; sup-1 verifies at level 2 on 03-11; the manager calls c-1 at level 1
 * on 03-12, two days after rep-1: a multi-head visit. c-2 (rep-2, g2): rep-2 visits on 03-11 with feedback and raises
 * a billing issue, resolved 03-12 and told 03-13.
 */
describe('operations reports over REST and GraphQL', () => {
  let t: TestApp;
  const manager = () => t.token('mgr-1', 'manager');
  const rep1 = () => t.token('rep-1', 'rep');
  const get = (url: string, token: string) => call(t, 'GET', url, { token });
  const gql = (query: string, variables: Record<string, unknown>, token: string): Promise<Call> => call(t, 'POST', '/graphql', { token, body: { query, variables } });
  const post = async (url: string, token: string, body: Record<string, unknown>) => {
    const response = await call(t, 'POST', url, { token, body });
    if (response.status !== 201) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedTeam(t);
    t.clock.set(new Date('2026-03-16T02:00:00Z'));
    await post('/customers/c-1/visits', rep1(), visitBody('v-1', { occurredAt: at('2026-03-10'), feedback: 'Inquiries arrive a day late' }));
    await post('/customers/c-1/issues', rep1(), { issueId: 'i-1', category: 'platform', description: 'Inquiry mails delayed', visitId: 'v-1', occurredAt: at('2026-03-10') });
    await post('/customers/c-1/issues/i-1/resolution', rep1(), { resolution: 'Mail queue fixed', occurredAt: at('2026-03-11') });
    await post('/customers/c-1/visits', t.token('sup-1', 'supervisor'), visitBody('v-2', { level: 2, satisfaction: 5, occurredAt: at('2026-03-11') }));
    await post('/customers/c-1/visits', manager(), visitBody('v-3', { contactRole: 'operator', satisfaction: 2, occurredAt: at('2026-03-12') }));
    const rep2 = t.token('rep-2', 'rep');
    await post('/customers/c-2/visits', rep2, visitBody('v-4', { occurredAt: at('2026-03-11'), feedback: 'Invoice came twice' }));
    await post('/customers/c-2/issues', rep2, { issueId: 'i-2', category: 'billing', description: 'Double invoice', visitId: 'v-4', occurredAt: at('2026-03-11') });
    await post('/customers/c-2/issues/i-2/resolution', rep2, { resolution: 'Credit note', occurredAt: at('2026-03-12') });
    await post('/customers/c-2/issues/i-2/communication', rep2, { channel: 'phone', occurredAt: at('2026-03-13') });
    await t.caughtUp();
  });
  afterAll(async () => t?.close());

  it('has the three report queries in the GraphQL schema with their arguments', async () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const signature = (name: string) => {
      const field = schema.getQueryType()!.getFields()[name]!;
      return `${field.args.map((arg) => `${arg.name}: ${String(arg.type)}`).join(', ')} -> ${String(field.type)}`;
    };
    expect(signature('weeklyFeedback')).toBe('asOf: String, week: String! -> WeeklyFeedback!');
    expect(signature('visitQuality')).toBe('groupId: String, of: String!, period: PeriodKind! -> VisitQuality!');
    expect(signature('capacity')).toBe('asOf: String -> Capacity!');
  });

  it('reports the week’s feedback and issues by category, the same over REST and GraphQL', async () => {
    const rest = await get('/reports/feedback?week=2026-03-11', manager());
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ week: { from: '2026-03-09', to: '2026-03-15' }, through: '2026-03-15', complete: true });
    expect(rest.body.totals).toMatchObject({ raised: 2, raisedResolved: 2, raisedCommunicated: 1, raisedOpen: 1, backlog: 1, backlogAwaitingCommunication: 1, oldestBacklogDays: 5 });
    expect(rest.body.categories.map((c: { category: string; raised: number }) => [c.category, c.raised])).toEqual([
      ['platform', 1], ['content', 0], ['promotion', 0], ['billing', 1], ['technical', 0], ['other', 0],
    ]);
    expect(rest.body.feedback.map((f: { visitId: string; categories: string[]; feedback: string }) => [f.visitId, f.categories, f.feedback])).toEqual([
      ['v-1', ['platform'], 'Inquiries arrive a day late'],
      ['v-4', ['billing'], 'Invoice came twice'],
    ]);
    expect(rest.body.backlog).toEqual([
      expect.objectContaining({ issueId: 'i-1', description: 'Inquiry mails delayed', status: 'resolved', resolvedOn: '2026-03-11', communicatedOn: null, ageDays: 5 }),
    ]);

    const graphql = await gql(`query ($week: String!, $asOf: String) { ${FEEDBACK} }`, { week: '2026-03-11' }, manager());
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.weeklyFeedback).toEqual(rest.body);

    // Without asOf a week still running counts up to today (the clock says Monday 2026-03-16); a week not begun is refused.
    const running = await get('/reports/feedback?week=2026-03-18', manager());
    expect(running.body).toMatchObject({ week: { from: '2026-03-16', to: '2026-03-22' }, through: '2026-03-16', complete: false, backlog: [expect.objectContaining({ issueId: 'i-1', ageDays: 6 })] });
    expect((await gql(`query ($week: String!, $asOf: String) { ${FEEDBACK} }`, { week: '2026-03-18' }, manager())).body.data.weeklyFeedback).toEqual(running.body);
    expect((await get('/reports/feedback?week=2026-03-23', manager())).status).toBe(400);

    const midweek = await get('/reports/feedback?week=2026-03-11&asOf=2026-03-11', manager());
    expect(midweek.body).toMatchObject({ through: '2026-03-11', complete: false, totals: { raised: 2, raisedResolved: 1, raisedCommunicated: 0, backlog: 2 } });
    const midweekGraphql = await gql(`query ($week: String!, $asOf: String) { ${FEEDBACK} }`, { week: '2026-03-11', asOf: '2026-03-11' }, manager());
    expect(midweekGraphql.body.data.weeklyFeedback).toEqual(midweek.body);
  });

  it('reports visit quality with level-2 verification and the multi-head visit, the same over REST and GraphQL', async () => {
    const rest = await get('/reports/visit-quality?period=week&date=2026-03-11', manager());
    expect(rest.status).toBe(200);
    expect(rest.body.period).toEqual({ kind: 'week', from: '2026-03-09', to: '2026-03-15' });
    // 4 visits; level-1 customers c-1 and c-2, c-1 verified by sup-1 on 03-11; 3 decision makers of 4 reached; scores 4 5 2 4.
    expect(rest.body.scope).toMatchObject({
      visits: 4, levelOne: 3, levelTwo: 1, levelOneCustomers: 2, verifiedCustomers: 1, verifiedShare: 0.5, reachedShare: 1,
      decisionMakerShare: 0.75, satisfaction: { count: 4, average: 3.75, distribution: [0, 1, 0, 2, 1], low: 1, lowShare: 0.25 }, multiHeadVisits: 1,
    });
    expect(rest.body.reps.map((r: { repId: string }) => r.repId)).toEqual(['mgr-1', 'rep-1', 'rep-2', 'sup-1', 'sup-2']);
    expect(rest.body.multiHead).toMatchObject({ cases: 1, customers: 1 });
    expect(rest.body.multiHead.list[0]).toMatchObject({ customerId: 'c-1', from: '2026-03-10', to: '2026-03-12', repIds: ['rep-1', 'mgr-1'], crossGroup: true });
    expect(rest.body.multiHead.list[0].visits.map((v: { visitId: string; multiHead: boolean }) => [v.visitId, v.multiHead])).toEqual([
      ['v-1', false],
      ['v-3', true],
    ]);

    const query = `query ($period: PeriodKind!, $of: String!, $groupId: String) { ${QUALITY} }`;
    const graphql = await gql(query, { period: 'week', of: '2026-03-11' }, manager());
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.visitQuality).toEqual(rest.body);

    const g2 = await get('/reports/visit-quality?period=month&date=2026-03-11&groupId=g2', manager());
    expect(g2.body.reps.map((r: { repId: string }) => r.repId)).toEqual(['rep-2', 'sup-2']);
    expect(g2.body.scope).toMatchObject({ visits: 1, multiHeadVisits: 0 });
    expect((await gql(query, { period: 'month', of: '2026-03-11', groupId: 'g2' }, manager())).body.data.visitQuality).toEqual(g2.body);
  });

  it('reports capacity per rep, group and scope with the recommended staffing, the same over REST and GraphQL', async () => {
    const rest = await get('/reports/capacity', manager());
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ asOf: null, customersPerRep: 200 });
    expect(rest.body.reps.map((r: { repId: string; customers: number; groupId: string }) => [r.repId, r.groupId, r.customers])).toEqual([
      ['rep-1', 'g1', 1],
      ['rep-2', 'g2', 1],
    ]);
    expect(rest.body.groups.map((g: { groupId: string; groupName: string }) => [g.groupId, g.groupName])).toEqual([['g1', 'Bidding group 1'], ['g2', 'Bidding group 2']]);
    // 2 customers: below the 40 that call for a dedicated rep.
    expect(rest.body.scope).toEqual({
      reps: 2, customers: 2, capacity: 400, load: 0.005, headroom: 398, status: 'under',
      advice: { customers: 2, serviceReps: 0, serviceRepsMin: 0, manager: 'not_needed' }, repsShort: -2,
    });
    const query = `query ($asOf: String) { ${CAPACITY} }`;
    const graphql = await gql(query, {}, manager());
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.capacity).toEqual(rest.body);

    const before = await get('/reports/capacity?asOf=2026-03-01', manager());
    expect(before.body.scope.customers).toBe(0);
    expect((await gql(query, { asOf: '2026-03-01' }, manager())).body.data.capacity).toEqual(before.body);
  });

  it('scopes every report: a rep sees their customers, a supervisor their group, the platform nothing', async () => {
    const mine = (await get('/reports/feedback?week=2026-03-11', rep1())).body;
    expect(mine.feedback.map((f: { customerId: string }) => f.customerId)).toEqual(['c-1']);
    expect(mine.totals.raised).toBe(1);
    const group2 = (await get('/reports/feedback?week=2026-03-11', t.token('sup-2', 'supervisor'))).body;
    expect(group2.feedback.map((f: { customerId: string }) => f.customerId)).toEqual(['c-2']);

    const quality = (await get('/reports/visit-quality?period=week&date=2026-03-11', rep1())).body;
    expect(quality.reps.map((r: { repId: string }) => r.repId)).toEqual(['rep-1']);
    expect(quality.scope.visits).toBe(3); // every visit to c-1, whoever made it
    expect(quality.multiHead.cases).toBe(1);
    const qualityGroup2 = (await get('/reports/visit-quality?period=week&date=2026-03-11', t.token('sup-2', 'supervisor'))).body;
    expect(qualityGroup2.reps.map((r: { repId: string }) => r.repId)).toEqual(['rep-2', 'sup-2']);
    expect(qualityGroup2.multiHead.cases).toBe(0);

    expect((await get('/reports/capacity', rep1())).body.reps.map((r: { repId: string }) => r.repId)).toEqual(['rep-1']);
    expect((await get('/reports/capacity', t.token('sup-1', 'supervisor'))).body.scope).toMatchObject({ reps: 1, customers: 1 });

    const platform = t.token('b2b-site', 'platform');
    for (const url of ['/reports/feedback?week=2026-03-11', '/reports/visit-quality?period=week&date=2026-03-11', '/reports/capacity']) {
      expect((await get(url, platform)).status).toBe(403);
    }
    const refused = await gql('query ($asOf: String) { capacity(asOf: $asOf) { asOf } }', {}, platform);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('refuses a bad parameter with a 400 naming it, over REST and GraphQL', async () => {
    const week = await get('/reports/feedback?week=2026-02-30', manager());
    expect(week.status).toBe(400);
    expect(week.body.message).toBe('week must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31');
    const early = await get('/reports/feedback?week=2026-03-11&asOf=2026-03-08', manager());
    expect(early.status).toBe(400);
    expect(early.body.message).toBe("asOf must not be before the week's Monday 2026-03-09");
    const period = await get('/reports/visit-quality?period=year&date=2026-03-11', manager());
    expect(period.status).toBe(400);
    expect(period.body.message).toContain('period must be one of: day, week, month');
    expect((await get('/reports/capacity?asOf=tomorrow', manager())).status).toBe(400);
    expect((await get('/reports/capacity?surprise=1', manager())).status).toBe(400);

    const graphql = await gql('query ($week: String!, $asOf: String) { weeklyFeedback(week: $week, asOf: $asOf) { through } }', { week: '2026-02-30' }, manager());
    expect(graphql.body.errors[0]).toMatchObject({ message: week.body.message, extensions: { code: 'VALIDATION_FAILED', status: 400 } });
    const graphqlEarly = await gql('query ($week: String!, $asOf: String) { weeklyFeedback(week: $week, asOf: $asOf) { through } }', { week: '2026-03-11', asOf: '2026-03-08' }, manager());
    expect(graphqlEarly.body.errors[0]).toMatchObject({ message: early.body.message, extensions: { code: 'VALIDATION_FAILED', status: 400 } });
  });
});
