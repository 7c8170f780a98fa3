import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth.guard';

/**
 * GraphiQL, the in-browser GraphQL editor, for a signed-in user: the page holds no data; every query it sends carries
 * the user's bearer token and goes through the same limits and scoping as any other GraphQL request. The token comes
 * from the link (`/graphiql#token=…`: a fragment never reaches the server or its logs) or from the sign-in form, and
 * is kept in the tab's session storage only. GraphiQL and React load from unpkg.com, pinned and checked by their
 * Subresource Integrity hashes (computed from the same versions' npm packages).
 */
export const GRAPHIQL_ASSETS = {
  css: { url: 'https://unpkg.com/graphiql@3.8.3/graphiql.min.css', integrity: 'sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM' },
  scripts: [
    { url: 'https://unpkg.com/react@18.3.1/umd/react.production.min.js', integrity: 'sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z' },
    { url: 'https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js', integrity: 'sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1' },
    { url: 'https://unpkg.com/graphiql@3.8.3/graphiql.min.js', integrity: 'sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie' },
  ],
} as const;

/** Scripts only from this service and the pinned assets; queries only to this service. */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self' https://unpkg.com",
  "style-src 'self' 'unsafe-inline' https://unpkg.com",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data: https://unpkg.com",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>GraphiQL · After-sales service</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSETS.css.url}" integrity="${GRAPHIQL_ASSETS.css.integrity}" crossorigin="anonymous">
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; }
  #graphiql { height: calc(100vh - 2.25rem); }
  header { height: 2.25rem; display: flex; align-items: center; justify-content: space-between; padding: 0 1rem; background: #0f172a; color: #e2e8f0; font-size: .875rem; }
  header button { background: none; border: 1px solid #64748b; color: inherit; border-radius: 4px; padding: .15rem .6rem; cursor: pointer; }
  .sign-in { max-width: 36rem; margin: 4rem auto; padding: 0 1rem; }
  .sign-in textarea { width: 100%; height: 6rem; font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<header><span>After-sales service · GraphQL</span><button id="sign-out" type="button" hidden>Sign out</button></header>
<div id="graphiql"></div>
${GRAPHIQL_ASSETS.scripts.map((s) => `<script src="${s.url}" integrity="${s.integrity}" crossorigin="anonymous"></script>`).join('\n')}
<script src="/graphiql/app.js"></script>
</body>
</html>
`;

const APP = `'use strict';
(function () {
  var KEY = 'after-sales-token';
  var fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) {
    sessionStorage.setItem(KEY, fromLink);
    history.replaceState(null, '', location.pathname + location.search);
  }
  var token = sessionStorage.getItem(KEY);
  var root = document.getElementById('graphiql');
  if (!token) {
    var form = document.createElement('div');
    form.className = 'sign-in';
    var title = document.createElement('h1');
    title.textContent = 'Sign in';
    var help = document.createElement('p');
    help.textContent = 'Paste a bearer token (npm run cli -- token issue --sub <id> --role <role>). It stays in this tab only.';
    var input = document.createElement('textarea');
    input.setAttribute('aria-label', 'Bearer token');
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Sign in';
    button.addEventListener('click', function () {
      var value = input.value.trim().replace(/^Bearer\\s+/i, '');
      if (value) { sessionStorage.setItem(KEY, value); location.reload(); }
    });
    form.append(title, help, input, button);
    root.replaceWith(form);
    return;
  }
  var signOut = document.getElementById('sign-out');
  signOut.hidden = false;
  signOut.addEventListener('click', function () { sessionStorage.removeItem(KEY); location.reload(); });
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString(), headers: { authorization: 'Bearer ' + token } });
  var query = '# Every query runs with your token, in your scope.\\n{\\n  churnRisk(asOf: "' + new Date().toISOString().slice(0, 10) + '", limit: 5) {\\n    total\\n    items { customerId companyName score level reasons { code } }\\n  }\\n}\\n';
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: query }));
})();
`;

@ApiExcludeController()
@Controller('graphiql')
export class GraphiqlController {
  @Public()
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', GRAPHIQL_CSP)
  @Header('cache-control', 'no-store')
  page(): string {
    return PAGE;
  }

  @Public()
  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-store')
  app(): string {
    return APP;
  }
}
