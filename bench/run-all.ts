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
    lines.push(
      `| append (${n(a.events)} events, median of 3) | raw better-sqlite3 insert | event store append | ratio | target ≥ 60 % |`,
      '|---|---|---|---|---|',
      `| one event per transaction | ${n(a.rawSingle)}/s | ${n(a.storeSingle)}/s | ${pct(a.storeSingle, a.rawSingle)} | ${met(a.storeSingle >= 0.6 * a.rawSingle)} |`,
      `| 100 events per transaction | ${n(a.rawBatched)}/s | ${n(a.storeBatched)}/s | ${pct(a.storeBatched, a.rawBatched)} | ${met(a.storeBatched >= 0.6 * a.rawBatched)} |`,
      '',
    );
  }
  if (!only || only === 'http') {
    process.stderr.write('HTTP benchmark…\n');
    const h = await runHttpBench();
    results.http = h;
    const v = h.recordVisit;
    lines.push(
      `| HTTP, ${h.connections} connections, ${h.durationSeconds} s | requests/s | p50 | p99 | non-2xx | errors |`,
      '|---|---|---|---|---|---|',
      `| bare Nest + Fastify POST | ${n(h.bare.requestsPerSecond)} | ${h.bare.p50Ms} ms | ${h.bare.p99Ms} ms | ${h.bare.non2xx} | ${h.bare.errors} |`,
      `| RecordVisit (auth, validation, load–decide–append) | ${n(v.requestsPerSecond)} | ${v.p50Ms} ms | ${v.p99Ms} ms | ${v.non2xx} | ${v.errors} |`,
      '',
      `RecordVisit: ${pct(v.requestsPerSecond, h.bare.requestsPerSecond)} of the bare endpoint (target ≥ 50 %: ${met(v.requestsPerSecond >= 0.5 * h.bare.requestsPerSecond)}); ` +
        `≥ 4,000/s: ${met(v.requestsPerSecond >= 4000)}; p99 ≤ 25 ms: ${met(v.p99Ms <= 25)}.`,
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
