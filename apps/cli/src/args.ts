/** Minimal `--name value` / `--flag` parsing: the CLI has few options and no dependency for it. */
export const parseArgs = (argv: readonly string[]): { positional: string[]; options: Map<string, string | true> } => {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) options.set(name, inline);
      else if (next !== undefined && !next.startsWith('--')) {
        options.set(name, next);
        i += 1;
      } else options.set(name, true);
    } else positional.push(arg);
  }
  return { positional, options };
};

export class UsageError extends Error {}

export const required = (options: Map<string, string | true>, name: string): string => {
  const value = options.get(name);
  if (typeof value !== 'string') throw new UsageError(`--${name} <value> is required`);
  return value;
};
