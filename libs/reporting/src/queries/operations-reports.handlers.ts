import type { Type } from '@nestjs/common';

/** Query handlers of the operations reports (weekly feedback, visit quality, capacity). */
export const OPERATIONS_REPORT_HANDLERS: Type[] = [];
