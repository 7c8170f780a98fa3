import type { Type } from '@nestjs/common';
import { GetCapacityHandler, GetVisitQualityHandler, GetWeeklyFeedbackHandler } from './operations-reports.query';

/** Query handlers of the operations reports (weekly feedback, visit quality, capacity). */
export const OPERATIONS_REPORT_HANDLERS: Type[] = [GetWeeklyFeedbackHandler, GetVisitQualityHandler, GetCapacityHandler];
