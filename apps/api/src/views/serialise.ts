/** Positions are bigints inside; JSON has no bigint, so they travel as decimal strings. */
export const serialiseBigInts = <T>(value: T): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
