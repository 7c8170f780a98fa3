import type { Type } from '@nestjs/common';
import { GetEffectReportHandler } from './effect-report.query';

/** Query handlers of the effect report (per customer and term). */
export const EFFECT_REPORT_HANDLERS: Type[] = [GetEffectReportHandler];
