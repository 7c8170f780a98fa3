import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { abuseLines, runAbuseBench } from './abuse.bench';
import { runAppendBench } from './append.bench';
import { demoTelemetryLines, runDemoTelemetryBench } from './demo-telemetry.bench';
import { runHttpBench } from './http.bench';
import { ferretdbLines, runFerretdbBench } from './ferretdb.bench';
import { readSideLines, runReadSideBench } from './read-side.bench';

/** Runs every benchmark, prints a Markdown table with targets, and saves the raw figures in bench/results/. */
const pct = (a: number, b: number) => `${Math.round((a / b) * 100)} %`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

const main = async () => {
  const only = process.argv[2];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const lines = [`Machine: ${machine}; ${new Date().toISOString()}`, ''];
  const results: Record<string, unknown> = { machine };

  if (!only || only === 'append') {
    process.stderr.write('append benchmark…\n');
    const a = await runAppendBench();
    results.append = a;
    const rows = (durability: 'full' | 'normal') => {
      const r = a[durability];
      return [
        `| ${durability}: one event per transaction, one writer | ${n(r.rawSingle)}/s | ${n(r.storeSingle)}/s | ${pct(r.storeSingle, r.rawSingle)} | ${met(r.storeSingle >= 0.6 * r.rawSingle)} |`,
        `| ${durability}: one event per append, ${a.writers} concurrent writers (group commit) | ${n(r.rawSingle)}/s | ${n(r.storeConcurrent)}/s | ${pct(r.storeConcurrent, r.rawSingle)} | ${met(r.storeConcurrent >= 0.6 * r.rawSingle)} |`,
        `| ${durability}: 100 events per transaction | ${n(r.rawBatched)}/s | ${n(r.storeBatched)}/s | ${pct(r.storeBatched, r.rawBatched)} | ${met(r.storeBatched >= 0.6 * r.rawBatched)} |`,
      ];
    };
    lines.push(
      `| append (${n(a.events)} events, median of 3), durability | raw better-sqlite3 insert, same synchronous | event store append | ratio | target ≥ 60 % |`,
      '|---|---|---|---|---|',
      ...rows('full'),
      ...rows('normal'),
      '',
    );
  }
  if (!only || only === 'http') {
    process.stderr.write('HTTP benchmark…\n');
    const h = await runHttpBench();
    results.http = h;
    const v = h.recordVisit;
    const row = (name: string, f: typeof v) => `| ${name} | ${n(f.requestsPerSecond)} | ${f.p50Ms} ms | ${f.p99Ms} ms | ${f.non2xx} | ${f.errors} |`;
    lines.push(
      `| HTTP, ${h.durationSeconds} s each | requests/s | p50 | p99 | non-2xx | errors |`,
      '|---|---|---|---|---|---|',
      row(`bare Nest + Fastify POST, ${h.connections} connections`, h.bare),
      row(`RecordVisit (auth, validation, load–decide–append), ${h.connections} connections, as npm start runs it (projections in their own process, durability full)`, v),
      row(`RecordVisit, ${h.connections} connections, EVENTSTORE_DURABILITY=normal`, h.recordVisitNormal),
      row(`RecordVisit, ${h.connections} connections, PROJECTIONS=inline (in the service's process)`, h.recordVisitInline),
      row('RecordVisit, 200 connections, as npm start runs it', h.recordVisitMany),
      '',
      `RecordVisit at ${h.connections} connections, as npm start runs it: ${pct(v.requestsPerSecond, h.bare.requestsPerSecond)} of the bare endpoint (target ≥ 50 %: ${met(v.requestsPerSecond >= 0.5 * h.bare.requestsPerSecond)}); ` +
        `≥ 4,000/s: ${met(v.requestsPerSecond >= 4000)}; p99 ≤ 25 ms: ${met(v.p99Ms <= 25)}. ` +
        `At 200 connections: 0 errors: ${met(h.recordVisitMany.errors === 0 && h.recordVisitMany.non2xx === 0)}; p99 ≤ 100 ms: ${met(h.recordVisitMany.p99Ms <= 100)}.`,
      '',
    );
  }
  if (!only || only === 'demo') {
    process.stderr.write('demo and telemetry benchmark…\n');
    const d = await runDemoTelemetryBench();
    results.demoTelemetry = d;
    lines.push(...demoTelemetryLines(d));
  }
  if (!only || only === 'abuse') {
    process.stderr.write('abuse benchmark…\n');
    const r = await runAbuseBench();
    results.abuse = r;
    lines.push(...abuseLines(r));
  }
  // Minutes long (a million-event log): only when asked for by name.
  if (only === 'read') {
    process.stderr.write('read-side benchmark…\n');
    const r = await runReadSideBench();
    results.readSide = r;
    lines.push(...readSideLines(r));
  }
  // Builds FerretDB from the Go module proxy the first time: only when asked for by name.
  if (only === 'ferretdb') {
    process.stderr.write('FerretDB beside SQLite…\n');
    const r = await runFerretdbBench();
    results.ferretdb = r;
    lines.push(...ferretdbLines(r));
  }
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  process.stdout.write(`${lines.join('\n')}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
