import { randomUUID } from 'node:crypto';
import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import type { AppConfig } from '#config';

/**
 * Logs: JSON lines through pino (one object per line, no colour codes) whenever the output is not a terminal or
 * LOG_FORMAT=json; Nest's coloured text on a terminal otherwise. Every request gets an id: the caller's
 * `X-Request-Id` when it is 1–200 printable ASCII characters, a new UUID otherwise. It is logged with the request (`reqId`),
 * sent back in `X-Request-Id`, and becomes the correlation id of the events the request causes when the caller sends
 * no `X-Correlation-Id`. The `authorization` and `cookie` headers are never logged.
 */

const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/** The id of a request: the caller's, if it is one the logs can carry safely, or a new one. */
export const requestIdOf = (request: { readonly headers: Readonly<Record<string, string | string[] | undefined>> }): string => {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

const PINO_LEVEL: Record<AppConfig['logLevel'], string> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug' };

const NEST_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export type LogFormat = 'json' | 'text';

/** JSON unless the output is a terminal (or LOG_FORMAT says otherwise). */
export const logFormatOf = (config: Pick<AppConfig, 'logFormat'>, isTerminal: boolean = process.stdout.isTTY === true): LogFormat =>
  config.logFormat ?? (isTerminal ? 'text' : 'json');

export const createPino = (config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Pino =>
  pino(
    {
      level: PINO_LEVEL[config.logLevel],
      base: { service: 'after-sales' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );

/** Nest's logger interface over pino: the context becomes a field, an error's stack another. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    if (context !== undefined) this.pino.error({ context, stack: stackOrContext }, String(message));
    else this.write('error', message, stackOrContext);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string): void {
    const fields = context === undefined ? {} : { context };
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

/** The loggers of the application: Nest's, and Fastify's (request logs), both JSON, or Nest's text and no request logs. */
export const loggersFor = (config: Pick<AppConfig, 'logLevel' | 'logFormat'>, destination?: DestinationStream): { nest: LoggerService; fastify: Pino | false } => {
  if (logFormatOf(config) === 'text') return { nest: new ConsoleLogger({ logLevels: NEST_LEVELS[config.logLevel] }), fastify: false };
  const root = createPino(config, destination);
  return { nest: new PinoNestLogger(root), fastify: root };
};
