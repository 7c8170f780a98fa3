import { type Product, PRODUCTS } from '#customer';
import { DayField, EnumField, IdField } from '#fields';
import { PagingQuery } from '../shared/rest.dto';
import type { ChurnRiskLevel } from './churn-risk';

/** GET /churn-risk: its query string. */
export class ChurnRiskQuery extends PagingQuery {
  @DayField({ description: 'The day the score is computed for', example: '2026-03-10' }) asOf!: string;
  @IdField({ optional: true, description: 'Only customers assigned to this rep on asOf' }) repId?: string;
  @IdField({ optional: true, description: 'Only customers of reps in this group on asOf' }) groupId?: string;
  @EnumField(['high', 'medium', 'low'], { optional: true }) level?: ChurnRiskLevel;
  @EnumField(PRODUCTS, { optional: true }) product?: Product;
}
