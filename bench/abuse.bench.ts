import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { issueToken } from '#auth';
import { startServer, stopServer } from './http.bench';

/**
 * The attacks of a hostile client against the real service (its own process, embedded store, demo data): how long
 * each takes to be answered, and how much the service's memory grows under them, against its RSS at rest measured
 * in the same run. Targets: each answered in < 100 ms, RSS growth < 50 MB.
 */
const SECRET = 'benchmark-secret-long-enough-for-hs256-0123456789';

export interface AttackFigures {
  readonly attack: string;
  readonly requests: number;
  readonly statuses: readonly number[];
  readonly slowestMs: number;
}

export interface AbuseFigures {
  readonly restRssMb: number;
  readonly peakRssMb: number;
  readonly attacks: readonly AttackFigures[];
  readonly healthDuringMs: number;
}

const rssMbOf = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : 0;
};

/** One request with a body of `bytes` bytes streamed in 64 KiB chunks; resolves with the status and the time to it. */
const send = (port: number, path: string, headers: Record<string, string>, body: Buffer | { bytes: number }): Promise<{ status: number; ms: number }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const length = Buffer.isBuffer(body) ? body.length : body.bytes;
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': String(length) } }, (res) => {
      const ms = performance.now() - started;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms }));
    });
    // The service answers and closes before it has the whole body: a write then fails, which is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < length) {
        const n = Math.min(chunk.length, length - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });

const attack = async (label: string, requests: (() => Promise<{ status: number; ms: number }>)[]): Promise<AttackFigures> => {
  const results = await Promise.all(requests.map((run) => run()));
  return { attack: label, requests: results.length, statuses: [...new Set(results.map((r) => r.status))].sort(), slowestMs: Math.round(Math.max(...results.map((r) => r.ms)) * 10) / 10 };
};

export const runAbuseBench = async (): Promise<AbuseFigures> => {
  const { child, port } = await startServer(['app']);
  try {
    const now = Math.floor(Date.now() / 1000);
    const manager = issueToken({ id: 'mgr-1', role: 'manager' }, SECRET, now, 3600);
    const json = { 'content-type': 'application/json' };
    const graphql = (query: string, token?: string) => () =>
      send(port, '/graphql', { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) }, Buffer.from(JSON.stringify({ query })));
    // At rest: warmed up by ordinary calls, then measured.
    for (let i = 0; i < 20; i += 1) await graphql('{ __typename }', manager)();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rest = rssMbOf(child.pid!);
    let peak = rest;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMbOf(child.pid!))), 20);

    const schemaBlocks = `{ ${Array.from({ length: 2000 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`;
    const churnAliases = `{ ${Array.from({ length: 200 }, (_, i) => `c${i}: churnRisk(asOf: "2026-03-10") { total items { customerId score } }`).join(' ')} }`;
    const attacks: AttackFigures[] = [];
    const health = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const started = performance.now();
      await fetch(`http://127.0.0.1:${port}/health`);
      return performance.now() - started;
    })();
    attacks.push(await attack('GraphQL: 2,000 aliased __schema blocks (100 KB), 4 at once, with a token', Array.from({ length: 4 }, () => graphql(schemaBlocks, manager))));
    const healthDuringMs = Math.round((await health) * 10) / 10;
    attacks.push(await attack('GraphQL: the same without a token, 4 at once', Array.from({ length: 4 }, () => graphql(schemaBlocks))));
    attacks.push(await attack('GraphQL: 200 aliased churnRisk fields, with a token', [graphql(churnAliases, manager)]));
    const big = { bytes: 27 * 1024 * 1024 };
    attacks.push(await attack('POST 27 MB without a token, 8 at once', Array.from({ length: 8 }, () => () => send(port, '/customers/c-1/visits', json, big))));
    attacks.push(
      await attack('POST 27 MB with a token, 8 at once', Array.from({ length: 8 }, () => () => send(port, '/customers/c-1/visits', { ...json, authorization: `Bearer ${manager}` }, big))),
    );
    clearInterval(sampler);
    peak = Math.max(peak, rssMbOf(child.pid!));
    return { restRssMb: rest, peakRssMb: peak, attacks, healthDuringMs };
  } finally {
    await stopServer(child);
  }
};

export const abuseLines = (r: AbuseFigures): string[] => [
  `| attack | requests | answered with | slowest answer | target |`,
  '|---|---|---|---|---|',
  ...r.attacks.map((a) => `| ${a.attack} | ${a.requests} | ${a.statuses.join(', ')} | ${a.slowestMs} ms | < 100 ms: ${a.slowestMs < 100 ? 'met' : '**not met**'} |`),
  '',
  `GET /health during the first attack: ${r.healthDuringMs} ms. Service RSS: ${r.restRssMb} MB at rest, ${r.peakRssMb} MB at most during the attacks ` +
    `(+${r.peakRssMb - r.restRssMb} MB; target < 50 MB: ${r.peakRssMb - r.restRssMb < 50 ? 'met' : '**not met**'}).`,
  '',
];
