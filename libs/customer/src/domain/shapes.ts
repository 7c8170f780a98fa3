/** Shapes of the values customer events carry, checked at run time (the decider, and repairs on read). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
export const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** A reported effect: an object of three whole counts of 0 or more. */
export const isWholeEffect = (value: unknown): boolean => isRecord(value) && isCount(value.calls) && isCount(value.inquiries) && isCount(value.deals);
