/** Pure handling of MongoDB connection strings and connection errors: database name, options, redaction, messages. */

export const DEFAULT_DATABASE = 'after_sales';

/** Where the user info ends: the last '@' before the query string (a password must not contain a raw '?'). */
const userInfoEnd = (url: string, start: number): number => {
  const query = url.indexOf('?', start);
  const at = url.lastIndexOf('@', query === -1 ? url.length : query);
  return at >= start ? at : -1;
};

const SCHEME = /^mongodb(\+srv)?:\/\//i;

/** The database named in the URL path, or undefined when it names none. */
export const databaseFromUrl = (url: string): string | undefined => {
  const scheme = SCHEME.exec(url);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  const at = userInfoEnd(url, start);
  const rest = url.slice(at === -1 ? start : at + 1).split('?')[0]!;
  const slash = rest.indexOf('/');
  if (slash === -1) return undefined;
  const name = decodeURIComponent(rest.slice(slash + 1));
  return name === '' ? undefined : name;
};

/** Whether the URL sets a connection option itself (option names are case-insensitive). */
export const hasUrlOption = (url: string, option: string): boolean => {
  const query = url.split('?')[1] ?? '';
  return query.split('&').some((pair) => pair.split('=')[0]!.toLowerCase() === option.toLowerCase());
};

const SECRET_OPTION = /(password|secret|token|key)/i;

/** The URL with its password and any secret-looking option masked, safe for logs and error messages. */
export const redactMongoUrl = (url: string): string => {
  const scheme = SCHEME.exec(url);
  if (!scheme) return '<not a mongodb:// URL>';
  const start = scheme[0].length;
  let out = url;
  const at = userInfoEnd(url, start);
  if (at !== -1) {
    const userInfo = url.slice(start, at);
    const colon = userInfo.indexOf(':');
    out = `${url.slice(0, start)}${colon === -1 ? userInfo : `${userInfo.slice(0, colon)}:***`}@${url.slice(at + 1)}`;
  }
  const [base, query] = [out.split('?')[0]!, out.split('?').slice(1).join('?')];
  if (!query) return out;
  const masked = query.split('&').map((pair) => {
    const [name] = pair.split('=');
    return SECRET_OPTION.test(name!) && pair.includes('=') ? `${name}=***` : pair;
  });
  return `${base}?${masked.join('&')}`;
};

const UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
]);

/** Errors that mean "cannot reach the server" rather than "the request was wrong". */
export const isUnavailableError = (error: unknown): boolean =>
  !!error && typeof error === 'object' && UNAVAILABLE.has(String((error as { name?: unknown }).name));

const passwordOf = (url: string): string | undefined => {
  const scheme = SCHEME.exec(url);
  const at = scheme ? userInfoEnd(url, scheme[0].length) : -1;
  if (!scheme || at === -1) return undefined;
  const userInfo = url.slice(scheme[0].length, at);
  const colon = userInfo.indexOf(':');
  return colon === -1 || colon === userInfo.length - 1 ? undefined : userInfo.slice(colon + 1);
};

/** A message that says what failed, where (credentials masked) and what to check. */
export const describeConnectionError = (error: unknown, url: string): string => {
  const name = error && typeof error === 'object' ? String((error as { name?: unknown }).name ?? 'Error') : 'Error';
  const password = passwordOf(url);
  const raw = error instanceof Error ? error.message : String(error);
  const reason = password ? raw.split(password).join('***') : raw;
  const code = (error as { code?: unknown } | null)?.code;
  const hint =
    code === 18 || /auth/i.test(reason)
      ? 'Check the user name, password and authSource in MONGODB_URL.'
      : 'Check that MongoDB is running and reachable at that address, that a replicaSet named in MONGODB_URL matches the ' +
        'server (or add directConnection=true when the replica set advertises a host name this machine cannot resolve), ' +
        'and, for local development, run `docker compose up -d mongodb`.';
  return `MongoDB read-model store unavailable at ${redactMongoUrl(url)} (${name}: ${reason}). ${hint}`;
};
