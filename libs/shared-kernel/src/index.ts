export * from './errors';
export * from './metadata';
export * from './dates';
export * from './clock';
export * from './ids';
export * from './command-context';
export * from './service-rules';
