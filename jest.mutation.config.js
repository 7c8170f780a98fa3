/**
 * The Jest run of mutation testing: the project's configuration, with only the spec files stryker.config.json lists.
 * Stryker's Jest runner hands each mutant's run the names of the tests that cover it, but Jest would still load every
 * spec file of the project (and, finding tests related to a rule file, run the end-to-end suites) for each mutant:
 * every mutant then timed out, which Stryker counts as detected.
 */
const base = require('./jest.config.js');
const { testFiles } = require('./stryker.config.json');

module.exports = {
  ...base,
  testMatch: testFiles.map((file) => `<rootDir>/${file}`),
  reporters: ['default'],
};
