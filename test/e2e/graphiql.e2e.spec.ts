import { GRAPHIQL_ASSETS, GRAPHIQL_CSP } from '../../apps/api/src/graphql/graphiql.controller';
import { createTestApp, type TestApp } from '../support/test-app';

/** GraphiQL for a signed-in user: a page with no data, whose queries carry the user's token. */
describe('GraphiQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('serves the page without a token, locked down by its Content-Security-Policy, with pinned and checked assets', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/graphiql' });
    expect([page.statusCode, page.headers['content-type'], page.headers['content-security-policy'], page.headers['cache-control']]).toStrictEqual([
      200,
      'text/html; charset=utf-8',
      GRAPHIQL_CSP,
      'no-store',
    ]);
    for (const asset of [GRAPHIQL_ASSETS.css, ...GRAPHIQL_ASSETS.scripts]) {
      expect(asset.url).toMatch(/^https:\/\/unpkg\.com\/[a-z-]+@\d+\.\d+\.\d+\//);
      expect(page.body).toContain(`"${asset.url}" integrity="${asset.integrity}" crossorigin="anonymous"`);
    }
    expect(page.body).toContain('<script src="/graphiql/app.js"></script>');
    // No inline script: the policy allows scripts from this service and unpkg only.
    expect(page.body.match(/<script>/g)).toBeNull();
    expect(GRAPHIQL_CSP).toContain("script-src 'self' https://unpkg.com");
    expect(GRAPHIQL_CSP).toContain("connect-src 'self'");
  });

  it('serves the script that takes the token from the link or a form and sends it with every query', async () => {
    const app = await t.app.inject({ method: 'GET', url: '/graphiql/app.js' });
    expect([app.statusCode, app.headers['content-type']]).toStrictEqual([200, 'text/javascript; charset=utf-8']);
    expect(app.body).toContain("new URLSearchParams(location.hash.slice(1)).get('token')");
    expect(app.body).toContain('sessionStorage.setItem(KEY');
    expect(app.body).toContain("headers: { authorization: 'Bearer ' + token }");
    // The fragment is dropped from the address bar once read.
    expect(app.body).toContain("history.replaceState(null, '', location.pathname + location.search)");
    expect(() => new Function(app.body)).not.toThrow();
  });

  it('is not a way around the token: GraphQL itself still refuses a query without one', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ __typename }' } });
    expect(response.statusCode).toBe(401);
  });
});
