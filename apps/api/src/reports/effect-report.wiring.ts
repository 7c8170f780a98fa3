import type { Type } from '@nestjs/common';
import { EffectReportResolver } from '../graphql/effect-report.resolver';
import { EffectReportController } from './effect-report.controller';

/** REST controllers and GraphQL resolvers of the effect report. */
export const EFFECT_REPORT_CONTROLLERS: Type[] = [EffectReportController];
export const EFFECT_REPORT_RESOLVERS: Type[] = [EffectReportResolver];
