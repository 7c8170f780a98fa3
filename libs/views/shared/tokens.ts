/** The validated service rules (every number the views use). */
export const SERVICE_RULES = Symbol('ServiceRules');
