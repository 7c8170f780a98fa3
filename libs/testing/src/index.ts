/**
 * Test support: given/when/then for deciders, projection replay checks and both contract suites.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#testing`).
 */
export { deciderSpec } from './decider-spec';
export { eventStoreContract } from './event-store.contract';
export { expectReplaySafe, recorded } from './projection-spec';
export type { EventInput } from './projection-spec';
export { readStoreContract } from './read-store.contract';
export { withAppend } from './store-wrappers';
export { facts, issue, NO_SPEND, NO_USAGE, OTHER_REP, reminder, REP, spendOf, usageOf, visit } from './facts-builder';
