import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { issueToken } from '#auth';

/**
 * RecordVisit over HTTP at 50 connections against a bare Nest+Fastify endpoint measured in the same run, with the
 * service as `npm start` runs it (projections in a process of their own, appends acknowledged on disk), with
 * EVENTSTORE_DURABILITY=normal, and with the projections in the service's own process (PROJECTIONS=inline); and at
 * 200 connections as `npm start` runs it. Each server runs in its own process; the load generator runs here.
 */
const CONNECTIONS = 50;
const MANY_CONNECTIONS = 200;
const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CUSTOMERS = 500;
const SECRET = 'benchmark-secret-long-enough-for-hs256-0123456789';

export interface HttpFigures {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly bare: LoadFigures;
  /** 50 connections, as `npm start` runs the service: PROJECTIONS=process, durability full. */
  readonly recordVisit: LoadFigures;
  /** 50 connections, durability normal. */
  readonly recordVisitNormal: LoadFigures;
  /** 50 connections, PROJECTIONS=inline. */
  readonly recordVisitInline: LoadFigures;
  /** 200 connections, as `npm start` runs the service. */
  readonly recordVisitMany: LoadFigures;
}

export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

export const startServer = (args: string[]): Promise<{ child: ChildProcess; port: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'bench-server.js'), ...args], {
      env: { ...process.env, AUTH_TOKEN_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });

export const stopServer = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });

const load = async (options: autocannon.Options): Promise<LoadFigures> => {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
};

const post = async (port: number, token: string, path: string, body: unknown) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
};

const seed = async (port: number, manager: string) => {
  await post(port, manager, '/groups', { groupId: 'g1', name: 'Bidding group 1', kind: 'bidding' });
  await post(port, manager, '/groups', { groupId: 'sales', name: 'Sales', kind: 'sales' });
  await post(port, manager, '/reps', { repId: 'rep-1', name: 'Zhang San', role: 'service', groupId: 'g1' });
  await post(port, manager, '/reps', { repId: 'sales-1', name: 'Li Si', role: 'sales', groupId: 'sales' });
  for (let i = 0; i < CUSTOMERS; i += 1) {
    await post(port, manager, '/customers', {
      customerId: `c-${i}`,
      companyName: `Company ${i}`,
      contact: { name: 'Li Wei', phone: '+86 571 8888 0000' },
      industry: 'machinery',
      product: 'bidding',
      contractAmount: 12000,
      term: { start: '2026-01-01', end: '2026-12-31' },
      salesRepId: 'sales-1',
      serviceRepId: 'rep-1',
      grade: 'B',
    });
  }
};

/** RecordVisit on a fresh service: seeded, warmed up, then loaded at each number of connections in turn. */
const recordVisits = async (durability: 'full' | 'normal', projections: 'process' | 'inline', connections: readonly number[]): Promise<LoadFigures[]> => {
  const now = Math.floor(Date.now() / 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const appServer = await startServer(['app', dataDir, durability, projections]);
  try {
    await seed(appServer.port, issueToken({ id: 'mgr-1', role: 'manager' }, SECRET, now, 3600));
    const rep = issueToken({ id: 'rep-1', role: 'rep' }, SECRET, now, 3600);
    let n = 0;
    const visit = (prefix: string): autocannon.Options => ({
      url: `http://127.0.0.1:${appServer.port}`,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${rep}`, 'content-type': 'application/json' },
          setupRequest: (request) => {
            n += 1;
            return {
              ...request,
              path: `/customers/c-${n % CUSTOMERS}/visits`,
              body: JSON.stringify({
                visitId: `${prefix}-${n}`,
                level: 1,
                channel: 'phone',
                purpose: 'care',
                reached: true,
                contactRole: 'decision_maker',
                summary: 'Asked about inquiry volume and the new keywords',
                satisfaction: 4,
              }),
            };
          },
        },
      ],
    });
    await load({ ...visit('warm'), duration: 2 });
    const figures: LoadFigures[] = [];
    for (const count of connections) figures.push(await load({ ...visit(`v${count}`), connections: count }));
    return figures;
  } finally {
    await stopServer(appServer.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export const runHttpBench = async (): Promise<HttpFigures> => {
  const bareServer = await startServer(['bare']);
  let bare: LoadFigures;
  try {
    await load({ url: `http://127.0.0.1:${bareServer.port}/bare`, method: 'POST', duration: 2 });
    bare = await load({ url: `http://127.0.0.1:${bareServer.port}/bare`, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  } finally {
    await stopServer(bareServer.child);
  }

  const [recordVisit, recordVisitMany] = await recordVisits('full', 'process', [CONNECTIONS, MANY_CONNECTIONS]);
  const [recordVisitNormal] = await recordVisits('normal', 'process', [CONNECTIONS]);
  const [recordVisitInline] = await recordVisits('full', 'inline', [CONNECTIONS]);
  return { connections: CONNECTIONS, durationSeconds: DURATION_S, bare, recordVisit: recordVisit!, recordVisitNormal: recordVisitNormal!, recordVisitInline: recordVisitInline!, recordVisitMany: recordVisitMany! };
};
