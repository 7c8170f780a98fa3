import { Writable } from 'node:stream';
import { ConsoleLogger } from '@nestjs/common';
import { createPino, logFormatOf, loggersFor, PinoNestLogger, requestIdOf } from './logging';

/** A destination that keeps every line pino writes. */
const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { stream, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

describe('logging', () => {
  it('keeps a caller’s request id that is 1–200 printable ASCII characters, and makes a UUID for any other', () => {
    expect(requestIdOf({ headers: { 'x-request-id': 'req-42' } })).toBe('req-42');
    expect(requestIdOf({ headers: { 'x-request-id': 'x'.repeat(200) } })).toBe('x'.repeat(200));
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const refused of ['x'.repeat(201), '', 'two words', 'line\nbreak', 'é', undefined]) {
      expect(requestIdOf({ headers: refused === undefined ? {} : { 'x-request-id': refused } })).toMatch(uuid);
    }
    expect(requestIdOf({ headers: { 'x-request-id': ['a', 'b'] } })).toMatch(uuid);
  });

  it('writes JSON lines with level, time, service and context, and never an authorization or cookie header', () => {
    const out = capture();
    const pino = createPino({ logLevel: 'log' }, out.stream);
    const nest = new PinoNestLogger(pino);
    nest.log('Projections running', 'ReadSide');
    nest.warn('Dropped generation 3', 'ReadSide');
    nest.error('boom', 'Error: boom\n    at x', 'Filter');
    nest.debug('not at level log', 'ReadSide');
    pino.info({ req: { method: 'GET', url: '/kpis', headers: { authorization: 'Bearer secret-token', cookie: 'a=b', accept: '*/*' } } }, 'incoming request');
    const lines = out.json();
    expect(lines.map(({ level, msg, context, service }) => ({ level, msg, context, service }))).toStrictEqual([
      { level: 'info', msg: 'Projections running', context: 'ReadSide', service: 'after-sales' },
      { level: 'warn', msg: 'Dropped generation 3', context: 'ReadSide', service: 'after-sales' },
      { level: 'error', msg: 'boom', context: 'Filter', service: 'after-sales' },
      { level: 'info', msg: 'incoming request', context: undefined, service: 'after-sales' },
    ]);
    expect(lines[2]!.stack).toBe('Error: boom\n    at x');
    expect(lines[3]!.req).toStrictEqual({ method: 'GET', url: '/kpis', headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' } });
    expect(typeof lines[0]!.time).toBe('string');
    expect(out.lines.join('\n')).not.toMatch(/secret-token/);
    expect(out.lines.join('\n')).not.toContain(String.fromCharCode(27));
  });

  it('logs an error with its stack, and debug lines at level debug', () => {
    const out = capture();
    const nest = new PinoNestLogger(createPino({ logLevel: 'debug' }, out.stream));
    nest.error(new Error('store closed'), 'Runner');
    nest.debug('batch of 2,000', 'Runner');
    const [error, debug] = out.json();
    expect([error!.level, error!.msg, (error!.err as { message: string }).message, typeof (error!.err as { stack: string }).stack]).toStrictEqual(['error', 'store closed', 'store closed', 'string']);
    expect([debug!.level, debug!.msg]).toStrictEqual(['debug', 'batch of 2,000']);
  });

  it('logs JSON when the output is not a terminal, text on a terminal, and what LOG_FORMAT says either way', () => {
    expect(logFormatOf({}, false)).toBe('json');
    expect(logFormatOf({}, true)).toBe('text');
    expect(logFormatOf({ logFormat: 'json' }, true)).toBe('json');
    expect(logFormatOf({ logFormat: 'text' }, false)).toBe('text');
    expect(loggersFor({ logLevel: 'log', logFormat: 'text' }).nest).toBeInstanceOf(ConsoleLogger);
    const json = loggersFor({ logLevel: 'warn', logFormat: 'json' }, capture().stream);
    expect([json.nest instanceof PinoNestLogger, json.fastify && json.fastify.level]).toStrictEqual([true, 'warn']);
  });
});
