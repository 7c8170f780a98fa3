/** One Jest run: unit specs next to the code, contract and e2e suites under test/. */
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

/** Each lib's alias (`#engine`, …) resolves to its index.ts, as tsconfig.json's paths say (package.json's imports map the compiled output). */
const { paths } = JSON.parse(fs.readFileSync(`${__dirname}/tsconfig.json`, 'utf8')).compilerOptions;
const moduleNameMapper = Object.fromEntries(Object.entries(paths).map(([alias, [file]]) => [`^${alias}$`, `<rootDir>/${file.replace(/^\.\//, '')}`]));

/**
 * A few CommonJS dependencies of @fastify/static require ESM-only packages; Jest on Node 20 cannot
 * require(esm), so those packages are compiled to CommonJS by swc during tests. Mercurius loads the
 * ESM-only quick-lru with import(), which Jest's VM refuses without a flag: compiled, it becomes require().
 */
const ESM_ONLY = ['content-disposition', 'cookie', 'file-type', 'mime', 'glob', 'minimatch', 'mercurius', 'quick-lru'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper,
  setupFiles: ['reflect-metadata'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 20000,
  // Every core but one, and at least two (Jest's default leaves one of two idle); the slowest suites start first.
  maxWorkers: Math.max(2, require('node:os').availableParallelism() - 1),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  // Whatever a failed suite leaves open (a server's socket, a timer), the run ends when its tests have: Jest says so
  // ("Force exiting Jest"), and a run that would otherwise wait forever reports its results instead.
  forceExit: true,
};
