/**
 * Lets a child process of a test run the TypeScript sources as Jest does (`node -r ./test/support/ts-register.js`):
 * each .ts file compiled by swc with the project's .swcrc, each lib alias (`#event-store`, …) resolved to its
 * index.ts as tsconfig.json's paths say. For tests that must kill a real process, such as a crash in mid-write.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.join(__dirname, '..', '..');
const options = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete options.$schema;
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')).compilerOptions;
const aliases = new Map(Object.entries(paths).map(([alias, [file]]) => [alias, path.join(root, file)]));

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  return resolve.call(this, aliases.get(request) ?? request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: false });
  module._compile(code, filename);
};
