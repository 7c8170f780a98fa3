import type { Type } from '@nestjs/common';

/** REST controllers and GraphQL resolvers of the effect report. */
export const EFFECT_REPORT_CONTROLLERS: Type[] = [];
export const EFFECT_REPORT_RESOLVERS: Type[] = [];
