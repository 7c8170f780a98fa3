import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { MIN_SECRET_LENGTH, secretProblem } from '#auth';
import { connectionStringProblem, DURABILITIES, type Durability } from '#event-store';
import { DEFAULT_REBUILD_MEMORY_MB } from '#read-store';
import { ConfigurationError, DEFAULT_SERVICE_RULES, resolveServiceRules, type ServiceRules } from '#shared-kernel';

/**
 * Where the projections run: `process` (the embedded default) in a process of their own that the service starts and
 * watches (apps/projector), so commands and projections each have a core; `inline` in the service's own process;
 * `off` elsewhere (`npm run projector`, the default with MongoDB).
 */
export const PROJECTION_MODES = ['process', 'inline', 'off'] as const;
export type ProjectionMode = (typeof PROJECTION_MODES)[number];

/** The environment, validated once at start-up; the process refuses to start on anything wrong. */
class Environment {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  /** Checked by `connectionStringProblem`: the schemes the client reads, and no switched-off append failures. */
  @IsOptional() @IsString() EVENTSTORE_URL?: string;
  @IsOptional() @IsIn(DURABILITIES, { message: 'EVENTSTORE_DURABILITY must be full or normal' }) EVENTSTORE_DURABILITY?: Durability;
  @IsOptional() @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URL must be a mongodb:// or mongodb+srv:// connection string' })
  MONGODB_URL?: string;
  @IsOptional() @IsString() @MinLength(MIN_SECRET_LENGTH, { message: `AUTH_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters` })
  AUTH_TOKEN_SECRET?: string;
  @IsOptional() @IsString() BUSINESS_TIME_ZONE?: string;
  @IsOptional() @IsInt() @Min(0) @Max(20) COMMAND_RETRY_LIMIT?: number;
  @IsOptional() @IsIn(['error', 'warn', 'log', 'debug']) LOG_LEVEL?: string;
  @IsOptional() @IsIn(['json', 'text'], { message: 'LOG_FORMAT must be json or text' }) LOG_FORMAT?: string;
  @IsOptional() @IsString() RULES_FILE?: string;
  @IsOptional() @IsIn(PROJECTION_MODES, { message: 'PROJECTIONS must be process, inline or off' }) PROJECTIONS?: ProjectionMode;
  @IsOptional() @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be a whole number' }) @Min(0) @Max(1_000_000) RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @IsInt({ message: 'REBUILD_MEMORY_MB must be a whole number' }) @Min(0) @Max(65_536) REBUILD_MEMORY_MB?: number;
  @IsOptional() @IsInt({ message: 'REBUILD_THREADS must be a whole number' }) @Min(0, { message: 'REBUILD_THREADS must be 0 (rebuild in the process itself) or more' }) @Max(16, { message: 'REBUILD_THREADS must be at most 16' })
  REBUILD_THREADS?: number;
  @IsOptional() @IsIn(['on', 'off'], { message: 'DEMO must be on or off' }) DEMO?: string;
  @IsOptional() @IsInt({ message: 'DEMO_CUSTOMERS must be a whole number' }) @Min(1) @Max(200_000) DEMO_CUSTOMERS?: number;
  @IsOptional() @IsInt({ message: 'DEMO_REPS must be a whole number' }) @Min(1) @Max(2_000) DEMO_REPS?: number;
  @IsOptional() @IsInt({ message: 'DEMO_DAYS must be a whole number' }) @Min(1) @Max(1_100) DEMO_DAYS?: number;
  @IsOptional() @IsInt({ message: 'DEMO_SEED must be a whole number' }) @Min(0) @Max(2 ** 32 - 1) DEMO_SEED?: number;
}


/** The demo history `npm start` writes into an empty embedded event store (DEMO=off turns it off; DEMO=on for KurrentDB). */
export interface DemoConfig {
  readonly enabled: boolean;
  readonly customers: number;
  readonly reps: number;
  readonly days: number;
  readonly seed: number;
}

export const DEFAULT_DEMO = { customers: 300, reps: 8, days: 365, seed: 42 } as const;

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStore: { readonly engine: 'sqlite'; readonly file: string; readonly durability: Durability } | { readonly engine: 'kurrentdb'; readonly url: string };
  readonly readStore: { readonly engine: 'sqlite'; readonly file: string } | { readonly engine: 'mongodb'; readonly url: string };
  /** Where the projections run (see PROJECTION_MODES). */
  readonly projections: ProjectionMode;
  /** Heavy reads (views, reports, GraphQL) each caller may make a minute; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** How large (MB of JSON) a read model a rebuild may build in memory before it goes on through the store (0: never). */
  readonly rebuildMemoryMb: number;
  /** Rebuilds that run at once, each in a thread of its own; 0 rebuilds one at a time in the process itself. */
  readonly rebuildThreads: number;
  /** Every number the views use; defaults overridden by RULES_FILE. */
  readonly rules: ServiceRules;
  readonly rulesSource: string;
  readonly authTokenSecret: string;
  /** Where the secret came from, for the start-up log (never the secret itself). */
  readonly authTokenSecretSource: 'environment' | 'generated' | 'data-dir';
  readonly businessTimeZone: string;
  readonly commandRetryLimit: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** JSON lines or coloured text; unset, JSON unless the output is a terminal. */
  readonly logFormat?: 'json' | 'text';
  readonly demo: DemoConfig;
  /** The variables this configuration was read from: a process started with them (the projector) reads the same one. */
  readonly environment: Readonly<Record<string, string>>;
}

export const APP_CONFIG = Symbol('AppConfig');

/**
 * Rebuilds at once unless REBUILD_THREADS says otherwise: one, in a thread of its own (peak RSS 508 MB rebuilding
 * every projection at 10,000 customers). Two ran it 1.4 times as fast on two cores, with a peak 1.4 times as high.
 */
export const DEFAULT_REBUILD_THREADS = 1;

const NUMERIC = ['PORT', 'COMMAND_RETRY_LIMIT', 'REBUILD_MEMORY_MB', 'REBUILD_THREADS', 'RATE_LIMIT_PER_MINUTE', 'DEMO_CUSTOMERS', 'DEMO_REPS', 'DEMO_DAYS', 'DEMO_SEED'] as const;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') raw[key] = value;
  for (const key of NUMERIC) if (typeof raw[key] === 'string' && /^-?\d+$/.test(raw[key] as string)) raw[key] = Number(raw[key]);
  const parsed = plainToInstance(Environment, raw);
  const problems = validateSync(parsed, { skipMissingProperties: false }).flatMap((e) => Object.values(e.constraints ?? {}));
  const timeZone = parsed.BUSINESS_TIME_ZONE ?? 'Asia/Shanghai';
  if (!isTimeZone(timeZone)) problems.push(`BUSINESS_TIME_ZONE ${timeZone} is not an IANA time zone`);
  const weak = parsed.AUTH_TOKEN_SECRET && parsed.AUTH_TOKEN_SECRET.length >= MIN_SECRET_LENGTH ? secretProblem(parsed.AUTH_TOKEN_SECRET, 'AUTH_TOKEN_SECRET') : null;
  if (weak) problems.push(weak);
  const eventStoreProblem = parsed.EVENTSTORE_URL ? connectionStringProblem(parsed.EVENTSTORE_URL) : null;
  if (eventStoreProblem) problems.push(eventStoreProblem);
  if (parsed.EVENTSTORE_URL && !parsed.AUTH_TOKEN_SECRET) {
    problems.push('AUTH_TOKEN_SECRET is required when EVENTSTORE_URL is set (every instance must share it)');
  }
  const rules = loadRules(parsed.RULES_FILE, problems);
  if (problems.length > 0) throw new ConfigurationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);

  const dataDir = resolve(parsed.DATA_DIR ?? './data');
  const secret = parsed.AUTH_TOKEN_SECRET
    ? { value: parsed.AUTH_TOKEN_SECRET, source: 'environment' as const }
    : embeddedSecret(dataDir);
  return {
    port: parsed.PORT ?? 3000,
    host: parsed.HOST ?? '127.0.0.1',
    dataDir,
    eventStore: parsed.EVENTSTORE_URL
      ? { engine: 'kurrentdb', url: parsed.EVENTSTORE_URL }
      : { engine: 'sqlite', file: join(dataDir, 'events.db'), durability: parsed.EVENTSTORE_DURABILITY ?? 'full' },
    readStore: parsed.MONGODB_URL ? { engine: 'mongodb', url: parsed.MONGODB_URL } : { engine: 'sqlite', file: join(dataDir, 'read-models.db') },
    projections: parsed.PROJECTIONS ?? (parsed.MONGODB_URL ? 'off' : 'process'),
    rebuildMemoryMb: parsed.REBUILD_MEMORY_MB ?? DEFAULT_REBUILD_MEMORY_MB,
    rebuildThreads: parsed.REBUILD_THREADS ?? DEFAULT_REBUILD_THREADS,
    rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE ?? 600,
    rules,
    rulesSource: parsed.RULES_FILE ? resolve(parsed.RULES_FILE) : 'defaults',
    authTokenSecret: secret.value,
    authTokenSecretSource: secret.source,
    businessTimeZone: timeZone,
    commandRetryLimit: parsed.COMMAND_RETRY_LIMIT ?? 3,
    logLevel: (parsed.LOG_LEVEL as AppConfig['logLevel']) ?? 'log',
    ...(parsed.LOG_FORMAT ? { logFormat: parsed.LOG_FORMAT as 'json' | 'text' } : {}),
    environment: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    demo: {
      // Never into a production store unless asked for: DEMO=on.
      enabled: (parsed.DEMO ?? (parsed.EVENTSTORE_URL ? 'off' : 'on')) === 'on',
      customers: parsed.DEMO_CUSTOMERS ?? DEFAULT_DEMO.customers,
      reps: parsed.DEMO_REPS ?? DEFAULT_DEMO.reps,
      days: parsed.DEMO_DAYS ?? DEFAULT_DEMO.days,
      seed: parsed.DEMO_SEED ?? DEFAULT_DEMO.seed,
    },
  };
};

/**
 * With no configuration, the embedded default keeps a random secret in the data directory (mode 0600), so
 * tokens issued by the CLI on this machine stay valid across restarts.
 */
export const embeddedSecret = (dataDir: string): { value: string; source: 'generated' | 'data-dir' } => {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    const problem = secretProblem(value, `The secret in ${file}`);
    if (problem) throw new ConfigurationError(problem);
    return { value, source: 'data-dir' };
  }
  const events = join(dataDir, 'events.db');
  if (existsSync(events) && statSync(events).size > 0) {
    // A new secret would silently invalidate every token issued with the lost one.
    throw new ConfigurationError(
      `${file} is missing, but ${events} holds an event log: tokens issued before were signed with the missing secret. ` +
        `Restore the file, or set AUTH_TOKEN_SECRET; to start with a new secret on purpose (every earlier token stops working), ` +
        `create it: openssl rand -base64 32 > ${file} && chmod 600 ${file}`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { value, source: 'generated' };
};

/** Rules come from a JSON file of overrides, merged over the defaults and checked as a whole. */
const loadRules = (file: string | undefined, problems: string[]): ServiceRules => {
  if (!file) return DEFAULT_SERVICE_RULES;
  let overrides: unknown;
  try {
    // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
    overrides = JSON.parse(readFileSync(resolve(file), 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    problems.push(`RULES_FILE ${file} cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
    return DEFAULT_SERVICE_RULES;
  }
  const resolved = resolveServiceRules(overrides);
  problems.push(...resolved.problems.map((problem) => `RULES_FILE ${file}: ${problem}`));
  return resolved.rules;
};

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
