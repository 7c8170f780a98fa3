import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLES } from '#shared-kernel';

export class UsageError extends Error {}

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** A command of the CLI: its words, its options (strings unless said), whether it takes names, and its help. */
interface CommandSpec {
  readonly words: string;
  readonly options: OptionSpecs;
  readonly positionals?: string;
  readonly usage: string;
  readonly help: string;
}

const text = (...names: string[]): OptionSpecs => Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));

export const COMMANDS: readonly CommandSpec[] = [
  {
    words: 'token issue',
    options: text('sub', 'role', 'ttl'),
    usage: `token issue --sub <id> --role <${ROLES.join('|')}> [--ttl <seconds, default 28800, at most 2592000 (30 days)>]`,
    help: 'Print a signed bearer token for local use (secret from AUTH_TOKEN_SECRET or ./data/auth-secret).',
  },
  {
    words: 'audit export',
    options: text('customer', 'out'),
    usage: 'audit export --customer <id> [--out <file.ndjson>]',
    help: "Write a customer's full history, one event per line with its metadata, straight from the event store.",
  },
  {
    words: 'projections list',
    options: {},
    usage: 'projections list',
    help: 'Each projection: state, generation, checkpoint, head of the log, lag in events and milliseconds.',
  },
  {
    words: 'projections rebuild',
    options: { all: { type: 'boolean' } },
    positionals: 'projection names',
    usage: 'projections rebuild <name>… | --all',
    help: 'Rebuild into a shadow copy while the live one keeps answering, then swap it in (progress: position, events/s, ETA).',
  },
  {
    words: 'projections verify',
    options: { all: { type: 'boolean' } },
    positionals: 'projection names',
    usage: 'projections verify <name>… | --all',
    help: 'Rebuild into a scratch copy and list every difference from the live one (exit code 1 if any).',
  },
  {
    words: 'demo load',
    options: text('customers', 'reps', 'days', 'seed', 'end'),
    usage: 'demo load [--customers <n, default 300>] [--reps <n, default 8>] [--days <n, default 365>] [--seed <n, default 42>] [--end <day, default yesterday>]',
    help:
      'Write a deterministic demo history (groups, reps, customers, visits, issues, renewals, churn, daily usage\n      and spend) into an empty event store, with a progress bar. The same seed always writes the same history.',
  },
];

const section = (command: CommandSpec): string => `  ${command.usage}\n      ${command.help}`;

export const HELP = `Usage: npm run cli -- <command> [options]   (--help after a command for its own help; --version)

${COMMANDS.map(section).join('\n\n')}

The same environment as the service applies (DATA_DIR, EVENTSTORE_URL, MONGODB_URL, AUTH_TOKEN_SECRET).`;

export const helpOf = (words: string): string => {
  const command = COMMANDS.find((c) => c.words === words);
  return command ? `Usage: npm run cli -- ${command.usage}\n\n  ${command.help.replace(/\n {6}/g, '\n  ')}` : HELP;
};

export type Parsed =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly words: string; readonly positional: string[]; readonly options: Map<string, string | true> };

/** Node's messages for the parse errors, said the CLI's way. */
const usageErrorOf = (error: unknown, command: CommandSpec): UsageError => {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`${command.words}: unknown option ${option ?? message}\n\n${helpOf(command.words)}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(`${command.words}: ${option ?? 'an option'} ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}\n\n${helpOf(command.words)}`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`${command.words}: unexpected argument ${/'([^']+)'/.exec(message)?.[1] ?? ''}\n\n${helpOf(command.words)}`);
  return new UsageError(`${command.words}: ${message}`);
};

/**
 * Parses the command line strictly (node:util parseArgs): the command's own options only, each string option
 * with its value (`--ttl` alone is an error, not a one-second token; `--cusomers 5` is an unknown option, not
 * the default demo), names only where a command takes them.
 */
export const parseCommandLine = (argv: readonly string[]): Parsed => {
  if (argv.length === 0) return { kind: 'help', text: HELP };
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return { kind: 'version' };
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return { kind: 'help', text: HELP };
  const words = argv.slice(0, 2).join(' ');
  const command = COMMANDS.find((c) => c.words === words);
  if (!command) throw new UsageError(`Unknown command: ${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ') || argv.join(' ')}\n\n${HELP}`);
  const rest = argv.slice(2);
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', text: helpOf(words) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: command.positionals !== undefined, strict: true });
  } catch (error) {
    throw usageErrorOf(error, command);
  }
  const options = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined || value === false) continue;
    options.set(name, value === true ? true : String(value));
  }
  return { kind: 'command', words, positional: [...words.split(' '), ...parsed.positionals], options };
};

export const required = (options: Map<string, string | true>, name: string): string => {
  const value = options.get(name);
  if (typeof value !== 'string') throw new UsageError(`--${name} <value> is required`);
  return value;
};
