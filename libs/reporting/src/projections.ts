import { customerFactsProjection } from '../../customer/src/read-models/customer-facts.projection';
import type { Projection } from '../../read-store/src/projection';
import { repActivityProjection } from '../../staff/src/read-models/rep-activity.projection';
import { staffProjection } from '../../staff/src/read-models/staff.projection';
import { telemetryDailyProjection } from '../../telemetry/src/read-models/telemetry-daily.projection';

/** Every projection the views are built from, in the order status lists them. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  customerFactsProjection as unknown as Projection,
  telemetryDailyProjection as unknown as Projection,
  staffProjection as unknown as Projection,
  repActivityProjection as unknown as Projection,
];

export const projectionNamed = (name: string): Projection | undefined => ALL_PROJECTIONS.find((projection) => projection.name === name);
