/** A page of a list that was filtered and sorted in full. */
export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly T[];
}

export interface Paging {
  readonly offset: number;
  readonly limit: number;
}

export const pageOf = <T>(items: readonly T[], { offset, limit }: Paging): Page<T> => ({
  total: items.length,
  offset,
  limit,
  items: items.slice(offset, offset + limit),
});
