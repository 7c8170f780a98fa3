import { isWholeEffect } from './shapes';

/**
 * Repairs on read for customer events that a validation gap once let into logs (see `Repair` in the event store).
 * Pure functions of the stored data: undefined when the event is whole.
 */
/**
 * A visit whose reported effect is not an object of three counts (for example `[]`, stored before the API refused
 * arrays for objects) is read as a visit with no effect reported: nothing was reported that could be counted.
 */
export const visitWithoutIncompleteEffect = (data: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined => {
  if (!('effect' in data)) return undefined;
  if (isWholeEffect(data.effect)) return undefined;
  const { effect: _incomplete, ...rest } = data;
  return rest;
};
