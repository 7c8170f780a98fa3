import { type Clock, dateInZone } from '#shared-kernel';

/** Today in the business time zone: the default `asOf` of a view, read from the clock at the edge, never inside a view. */
export const businessToday = (clock: Clock, timeZone: string): string => dateInZone(clock.now().toISOString(), timeZone);
