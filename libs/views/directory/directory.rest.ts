import { Type } from 'class-transformer';
import { GRADES, type Grade, type Product, PRODUCTS } from '#customer';
import { DayField, EnumField, IdField, IntField, TextField } from '#fields';
import { CUSTOMER_STATUSES, type CustomerStatus } from './directory.query';

export const MAX_DIRECTORY_PAGE = 200;

/** GET /customers: its query string. */
export class CustomersQuery {
  @TextField({ optional: true, max: 200, singleLine: true, description: 'The start of the company name (case and full-width forms ignored)', example: 'hangzhou' }) q?: string;
  @IdField({ optional: true, description: 'Only customers this service rep serves now' }) repId?: string;
  @IdField({ optional: true, description: 'Only customers served now by a rep of this group' }) groupId?: string;
  @EnumField(GRADES, { optional: true }) grade?: Grade;
  @EnumField(PRODUCTS, { optional: true }) product?: Product;
  @EnumField(CUSTOMER_STATUSES, { optional: true }) status?: CustomerStatus;
  @EnumField(['true', 'false'], { optional: true, description: 'Only key accounts (true) or only the others (false)' }) keyAccount?: 'true' | 'false';
  @DayField({ optional: true, description: 'Only customers whose current term ends on or after this day' }) termEndFrom?: string;
  @DayField({ optional: true, description: 'Only customers whose current term ends on or before this day' }) termEndTo?: string;
  @Type(() => Number) @IntField({ optional: true, min: 1, max: MAX_DIRECTORY_PAGE, description: `Customers per page, 1–${MAX_DIRECTORY_PAGE} (default 50)` }) limit?: number;
  @TextField({ optional: true, max: 1000, singleLine: true, description: 'The nextCursor of the previous page (none for the first page)' })
  cursor?: string;
}

/** The filter and page a query string asks for. */
export const customerListOf = (query: CustomersQuery) => ({
  filter: {
    ...(query.q !== undefined ? { q: query.q } : {}),
    ...(query.repId !== undefined ? { repId: query.repId } : {}),
    ...(query.groupId !== undefined ? { groupId: query.groupId } : {}),
    ...(query.grade !== undefined ? { grade: query.grade } : {}),
    ...(query.product !== undefined ? { product: query.product } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.keyAccount !== undefined ? { keyAccount: query.keyAccount === 'true' } : {}),
    ...(query.termEndFrom !== undefined ? { termEndFrom: query.termEndFrom } : {}),
    ...(query.termEndTo !== undefined ? { termEndTo: query.termEndTo } : {}),
  },
  page: { limit: query.limit ?? 50, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) },
});
