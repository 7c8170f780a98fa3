import type { Type } from '@nestjs/common';
import { ReportsResolver } from '../graphql/reports.resolver';
import { ReportsController } from './reports.controller';

/** REST controllers and GraphQL resolvers of the operations reports (weekly feedback, visit quality, capacity). */
export const OPERATIONS_REPORT_CONTROLLERS: Type[] = [ReportsController];
export const OPERATIONS_REPORT_RESOLVERS: Type[] = [ReportsResolver];
