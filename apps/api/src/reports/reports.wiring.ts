import type { Type } from '@nestjs/common';

/** REST controllers and GraphQL resolvers of the operations reports (weekly feedback, visit quality, capacity). */
export const OPERATIONS_REPORT_CONTROLLERS: Type[] = [];
export const OPERATIONS_REPORT_RESOLVERS: Type[] = [];
