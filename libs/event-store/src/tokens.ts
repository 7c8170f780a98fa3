/** Injection tokens for the write side's infrastructure. */
export const COMMAND_EXECUTOR = Symbol('CommandExecutor');
