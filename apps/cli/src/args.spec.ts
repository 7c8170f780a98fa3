import { HELP, helpOf, parseCommandLine, UsageError } from './args';

const refusal = (argv: string[]): string => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message.split('\n')[0]!;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('the CLI command line', () => {
  it('reads a command with its options and names', () => {
    expect(parseCommandLine(['token', 'issue', '--sub', 'mgr-1', '--role', 'manager', '--ttl=60'])).toStrictEqual({
      kind: 'command',
      words: 'token issue',
      positional: ['token', 'issue'],
      options: new Map([
        ['sub', 'mgr-1'],
        ['role', 'manager'],
        ['ttl', '60'],
      ]),
    });
    expect(parseCommandLine(['projections', 'rebuild', 'churn_risk', 'rep_kpis'])).toMatchObject({ positional: ['projections', 'rebuild', 'churn_risk', 'rep_kpis'], options: new Map() });
    expect(parseCommandLine(['projections', 'verify', '--all'])).toMatchObject({ options: new Map([['all', true]]) });
  });

  it('refuses a string option without its value instead of reading it as a flag', () => {
    expect(refusal(['token', 'issue', '--sub', 'mgr-1', '--role', 'manager', '--ttl'])).toBe("token issue: --ttl needs a value");
  });

  it('refuses an option the command does not have, misspelt ones included', () => {
    expect(refusal(['demo', 'load', '--cusomers', '5'])).toBe('demo load: unknown option --cusomers');
    expect(refusal(['projections', 'list', '--all'])).toBe('projections list: unknown option --all');
  });

  it('refuses names where a command takes none, and a value given to a flag', () => {
    expect(refusal(['token', 'issue', 'extra'])).toBe("token issue: unexpected argument extra");
    expect(refusal(['projections', 'rebuild', '--all=yes'])).toBe('projections rebuild: --all takes no value');
  });

  it('refuses an unknown command, listing the commands', () => {
    const message = (() => {
      try {
        parseCommandLine(['token', 'revoke']);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message.startsWith('Unknown command: token revoke\n\nUsage: npm run cli -- <command> [options]')).toBe(true);
  });

  it('gives help for every command, for each command alone, and the version', () => {
    expect(parseCommandLine([])).toStrictEqual({ kind: 'help', text: HELP });
    expect(parseCommandLine(['--help'])).toStrictEqual({ kind: 'help', text: HELP });
    expect(parseCommandLine(['--version'])).toStrictEqual({ kind: 'version' });
    expect(parseCommandLine(['demo', 'load', '--help'])).toStrictEqual({ kind: 'help', text: helpOf('demo load') });
    expect(helpOf('demo load').startsWith('Usage: npm run cli -- demo load [--customers <n, default 300>]')).toBe(true);
    for (const words of ['token issue', 'audit export', 'projections list', 'projections rebuild', 'projections verify', 'demo load']) {
      expect(HELP).toContain(words);
      expect(parseCommandLine([...words.split(' '), '-h'])).toStrictEqual({ kind: 'help', text: helpOf(words) });
    }
  });
});
