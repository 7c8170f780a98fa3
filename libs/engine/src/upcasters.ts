import type { Repair, Upcaster } from '#event-store';
import { visitWithoutIncompleteEffect } from '#customer';

/**
 * Every event type whose stored shape changed registers an upcaster from its old schemaVersion here, so old
 * logs replay into today's shape. None has changed yet.
 */
export const UPCASTERS: readonly Upcaster[] = [];

/**
 * Repairs on read of data a validation gap once let into logs (README, "An event a projection cannot apply").
 * What cannot be mended this way is parked, one event for one projection, by an admin.
 */
export const REPAIRS: readonly Repair[] = [
  { type: 'VisitRecorded', description: 'an effect that is not three counts is read as no effect reported', repair: visitWithoutIncompleteEffect },
];
