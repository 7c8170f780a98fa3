import type { Upcaster } from '../../event-store/src/upcasting';

/**
 * Every event type whose stored shape changed registers an upcaster from its old schemaVersion here, so old
 * logs replay into today's shape. None has changed yet.
 */
export const UPCASTERS: readonly Upcaster[] = [];
