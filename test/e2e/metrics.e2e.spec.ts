import { seedTeam, visitBody } from '../support/fixtures';
import { call, createTestApp, type TestApp } from '../support/test-app';

/** GET /metrics in the Prometheus text format: commands, answers, errors, projections and the process. */
describe('metrics', () => {
  let t: TestApp;
  let text: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedTeam(t);
    const rep = t.token('rep-1', 'rep');
    expect((await call(t, 'POST', '/customers/c-1/visits', { token: rep, body: visitBody('v-m1') })).status).toBe(201);
    expect((await call(t, 'POST', '/customers/c-1/visits', { token: rep, body: visitBody('v-m2', { level: 7 }) })).status).toBe(400);
    expect((await call(t, 'POST', '/customers/c-2/visits', { token: rep, body: visitBody('v-m3') })).status).toBe(403);
    await t.caughtUp();
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect([response.statusCode, response.headers['content-type']]).toStrictEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    text = response.body;
  });
  afterAll(async () => t.close());

  const sample = (name: string, labels: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it('counts commands by command and outcome, with their latency', () => {
    expect(sample('after_sales_command_duration_seconds_count', 'command="RecordVisit",outcome="ok"')).toBe(1);
    expect(sample('after_sales_command_duration_seconds_count', 'command="RecordVisit",outcome="FORBIDDEN"')).toBe(1);
    expect(sample('after_sales_command_duration_seconds_count', 'command="SignCustomer",outcome="ok"')).toBe(2);
    expect(sample('after_sales_command_duration_seconds_bucket', 'le="+Inf",command="RecordVisit",outcome="ok"')).toBe(1);
    expect(text).toContain('# TYPE after_sales_command_retries_total counter');
    expect(text).toContain('# TYPE after_sales_command_conflicts_total counter');
  });

  it('counts answers by route and status, and errors by code', () => {
    expect(sample('after_sales_http_request_duration_seconds_count', 'method="POST",route="/customers/:customerId/visits",status="201"')).toBe(1);
    expect(sample('after_sales_http_errors_total', 'status="400",code="VALIDATION_FAILED"')).toBe(1);
    expect(sample('after_sales_http_errors_total', 'status="403",code="FORBIDDEN"')).toBe(1);
    expect(text).toContain('# TYPE after_sales_store_errors_total counter');
  });

  it('gives each projection its checkpoint, lag, rate and state, read when scraped', async () => {
    const head = Number(await t.store.headPosition());
    for (const projection of ['customer_facts', 'churn_risk', 'rep_kpis']) {
      expect(sample('after_sales_projection_checkpoint', `projection="${projection}"`)).toBe(head);
      expect(sample('after_sales_projection_lag_events', `projection="${projection}"`)).toBe(0);
      expect(sample('after_sales_projection_up', `projection="${projection}"`)).toBe(1);
    }
    expect(text).toContain('after_sales_process_resident_memory_bytes');
    expect(text).toContain('after_sales_nodejs_eventloop_lag_seconds');
  });
});
