import { Type } from 'class-transformer';
import { IntField } from '#fields';

export const MAX_PAGE_SIZE = 500;

/** Query strings arrive as text: numbers are converted before they are validated. */
export class PagingQuery {
  @Type(() => Number) @IntField({ optional: true, min: 0, description: 'Rows to skip (default 0)' }) offset?: number;
  @Type(() => Number) @IntField({ optional: true, min: 1, max: MAX_PAGE_SIZE, description: `Rows per page, 1–${MAX_PAGE_SIZE} (default 50)` }) limit?: number;
}

export const paging = (query: PagingQuery) => ({ offset: query.offset ?? 0, limit: query.limit ?? 50 });
