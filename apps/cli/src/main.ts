import 'reflect-metadata';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { issueToken, MAX_TOKEN_LIFETIME_SECONDS } from '#auth';
import { isId, isRole, ROLES } from '#shared-kernel';
import { loadConfig } from '#config';
import { HELP, parseCommandLine, required, UsageError } from './args';

/*
 * Each command loads what it needs when it runs (stores, views, the framework's logger), so a quick one such as
 * `token issue` starts in a fraction of a second.
 */

/** Output is for the user; the service's start-up log lines would only be noise here. */
const quietLogs = async (): Promise<void> => (await import('@nestjs/common')).Logger.overrideLogger(['error', 'warn']);

const tokenIssue = (options: Map<string, string | true>): void => {
  const sub = required(options, 'sub');
  const role = required(options, 'role');
  if (!isId(sub)) throw new UsageError(`--sub ${sub} is not a valid id`);
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const ttl = Number(options.get('ttl') ?? 8 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SECONDS} (30 days)`);
  }
  const config = loadConfig();
  process.stdout.write(`${issueToken({ id: sub, role }, config.authTokenSecret, Math.floor(Date.now() / 1000), ttl)}\n`);
};

const auditExport = async (options: Map<string, string | true>): Promise<void> => {
  const customerId = required(options, 'customer');
  if (!isId(customerId)) throw new UsageError(`--customer ${customerId} is not a valid id`);
  const out = options.get('out');
  const [{ streamName }, { CUSTOMER_CATEGORY }, { openEventStore }] = await Promise.all([import('#event-store'), import('#customer'), import('#engine')]);
  const store = await openEventStore(loadConfig());
  const sink = typeof out === 'string' ? createWriteStream(out) : process.stdout;
  let count = 0;
  try {
    const stream = streamName(CUSTOMER_CATEGORY, customerId);
    for (let from = 0n; ; ) {
      const page = await store.readStream(stream, { fromRevision: from, maxCount: 1000 });
      for (const event of page) {
        const line = JSON.stringify({
          stream,
          revision: event.revision.toString(),
          position: event.position.toString(),
          eventId: event.id,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
        });
        if (!sink.write(`${line}\n`)) await once(sink, 'drain');
        count += 1;
      }
      if (page.length < 1000) break;
      from = page[page.length - 1]!.revision + 1n;
    }
  } finally {
    await store.close();
    if (sink !== process.stdout) await new Promise<void>((resolve) => (sink as NodeJS.WritableStream).end(resolve));
  }
  if (count === 0) throw new UsageError(`Customer ${customerId} has no history (unknown customer)`);
  process.stderr.write(`Exported ${count} events of customer ${customerId}${typeof out === 'string' ? ` to ${out}` : ''}\n`);
};

export const run = async (argv: readonly string[]): Promise<void> => {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const { positional, options } = parsed;
  if (parsed.words === 'token issue') return tokenIssue(options);
  await quietLogs();
  switch (parsed.words) {
    case 'audit export':
      return auditExport(options);
    case 'demo load':
      return (await import('./demo')).demoLoad(options);
    case 'projections list':
      return (await import('./projections')).projectionsList();
    case 'projections rebuild':
      return (await import('./projections')).projectionsRebuild(positional, options);
    case 'projections verify':
      process.exitCode = await (await import('./projections')).projectionsVerify(positional, options);
      return;
    default:
      throw new UsageError(`Unknown command: ${parsed.words}\n\n${HELP}`);
  }
};

/** The version in the project's package.json (next to dist/ when compiled, next to apps/ in the sources). */
const version = (): string => {
  for (const file of [join(__dirname, '..', '..', '..', '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
};

// Started as the program: directly, or through scripts/run.js (`npm run cli`), which runs this file in its process.
if (require.main === module || process.argv[1] === __filename) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
