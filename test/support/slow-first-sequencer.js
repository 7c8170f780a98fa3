const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites known to take the longest start first, so that on two workers none of them is left running alone at the
 * end. Jest orders by the durations it cached from the last run, which a fresh checkout (CI) does not have.
 */
const SLOWEST_FIRST = [
  '/test/fuzz/',
  '/test/equivalence/',
  '/test/e2e/ferretdb-views',
  '/test/contract/read-store.ferretdb',
  '/test/launcher/',
  '/test/reliability/live-equals-rebuilt',
  '/test/e2e/demo.e2e',
];

const rank = (test) => {
  const at = SLOWEST_FIRST.findIndex((part) => test.path.includes(part));
  return at === -1 ? SLOWEST_FIRST.length : at;
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    // A stable sort: within a rank, Jest's own order (failed first, then by cached duration or file size).
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowestFirst;
