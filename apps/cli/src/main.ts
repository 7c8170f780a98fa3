import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { issueToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../../libs/auth/src/bearer-token';
import { streamName } from '../../../libs/event-store/src/stream-name';
import { CUSTOMER_CATEGORY } from '../../../libs/customer/src/domain/customer.events';
import { isId } from '../../../libs/shared-kernel/src/ids';
import { isRole, ROLES } from '../../../libs/shared-kernel/src/metadata';
import { loadConfig } from '../../../libs/engine/src/app-config';
import { openEventStore } from '../../../libs/engine/src/open-stores';
import { parseArgs, required, UsageError } from './args';
import { demoLoad } from './demo';
import { projectionsList, projectionsRebuild, projectionsVerify } from './projections';

const HELP = `Usage: npm run cli -- <command> [options]

  token issue --sub <id> --role <${ROLES.join('|')}> [--ttl <seconds, default 28800, at most 2592000 (30 days)>]
      Print a signed bearer token for local use (secret from AUTH_TOKEN_SECRET or ./data/auth-secret).

  audit export --customer <id> [--out <file.ndjson>]
      Write a customer's full history, one event per line with its metadata, straight from the event store.

  projections list
      Each projection: state, generation, checkpoint, head of the log, lag in events and milliseconds.

  projections rebuild <name> | --all
      Rebuild into a shadow copy while the live one keeps answering, then swap it in (progress: position, events/s, ETA).

  projections verify <name> | --all
      Rebuild into a scratch copy and list every difference from the live one (exit code 1 if any).

  demo load [--customers <n, default 300>] [--reps <n, default 8>] [--days <n, default 365>] [--seed <n, default 42>] [--end <day, default yesterday>]
      Write a deterministic demo history (groups, reps, customers, visits, issues, renewals, churn, daily usage
      and spend) into an empty event store, with a progress bar. The same seed always writes the same history.

The same environment as the service applies (DATA_DIR, EVENTSTORE_URL, MONGODB_URL, AUTH_TOKEN_SECRET).`;

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
  // Output is for the user; the service's start-up log lines would only be noise here.
  Logger.overrideLogger(['error', 'warn']);
  const { positional, options } = parseArgs(argv);
  const command = positional.slice(0, 2).join(' ');
  switch (command) {
    case 'token issue':
      return tokenIssue(options);
    case 'audit export':
      return auditExport(options);
    case 'demo load':
      return demoLoad(options);
    case 'projections list':
      return projectionsList();
    case 'projections rebuild':
      return projectionsRebuild(positional, options);
    case 'projections verify':
      process.exitCode = await projectionsVerify(positional, options);
      return;
    default:
      if (positional.length === 0 || options.has('help')) {
        process.stdout.write(`${HELP}\n`);
        return;
      }
      throw new UsageError(`Unknown command: ${positional.join(' ')}\n\n${HELP}`);
  }
};

if (require.main === module) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
