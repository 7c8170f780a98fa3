#!/usr/bin/env node
'use strict';
/*
 * Runs one of the apps from its compiled output (`node scripts/run.js api|cli|projector [arguments]`), compiling
 * first only when a source changed since the last build: `npm start` and `npm run cli` start in well under a
 * second when nothing changed, and never run code older than the sources. `node scripts/run.js build` compiles
 * (`npm run build`).
 *
 * "Changed" means: a source file is newer than the last build, or files were added, removed or renamed.
 */
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = join(__dirname, '..');
const APPS = ['api', 'cli', 'projector'];
const STAMP = join(ROOT, 'dist', '.sources');
/** What `tsconfig.build.json` compiles, and the files that change how it compiles. */
const SOURCE_DIRS = ['apps', 'libs', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** Left out of the build (tsconfig.build.json), so they never make it stale. */
const isBuilt = (path) => path.endsWith('.ts') && !/\.(spec|spec-helper|fixtures)\.ts$/.test(path) && !path.startsWith(join('libs', 'testing'));

/** Every compiled source and config file, with the newest modification time among them. */
const sources = () => {
  const files = [];
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(path);
      } else if (isBuilt(path)) {
        files.push(path);
        newest = Math.max(newest, statSync(join(ROOT, path)).mtimeMs);
      }
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) visit(dir);
  for (const file of CONFIG_FILES.filter((name) => existsSync(join(ROOT, name)))) {
    files.push(file);
    newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  }
  files.sort();
  return { list: createHash('sha256').update(files.join('\n')).digest('hex'), newest };
};

/** Whether the compiled output is of these sources: built after the newest of them, from the same files. */
const upToDate = (app, current) => {
  if (!existsSync(STAMP) || !existsSync(join(ROOT, 'dist', 'apps', app, 'src', 'main.js'))) return false;
  return readFileSync(STAMP, 'utf8').trim() === current.list && statSync(STAMP).mtimeMs >= current.newest;
};

const build = () => {
  const startedAt = new Date();
  process.stderr.write('Compiling (tsc -p tsconfig.build.json)…\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (tsc.status !== 0) {
    process.stderr.write('The build failed (above); nothing was started.\n');
    process.exit(tsc.status ?? 1);
  }
  // Stamped with the time the build began, so a file saved while it ran makes the next start build again.
  writeFileSync(STAMP, `${sources().list}\n`);
  utimesSync(STAMP, startedAt, startedAt);
  process.stderr.write(`Compiled in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s.\n`);
};

const [app] = process.argv.splice(2, 1);
if (app === 'build') {
  build();
  process.exit(0);
}
if (!APPS.includes(app)) {
  process.stderr.write(`Usage: node ${relative(process.cwd(), __filename)} <build|${APPS.join('|')}> [arguments]\n`);
  process.exit(2);
}
if (!upToDate(app, sources())) build();
// The app runs in this process, as if started directly: `node dist/apps/<app>/src/main.js [arguments]`.
const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
process.argv[1] = main;
require(main);
