import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm start` and `npm run cli` go through scripts/run.js: it compiles only when a source changed since the last
 * build, then runs the app in its own process. Checked on a small project of its own, so the real build is never
 * touched.
 */
describe('scripts/run.js: run the compiled app, compiling only when a source changed', () => {
  let root: string;
  const run = (...args: string[]) => {
    const out = spawnSync(process.execPath, [join(root, 'scripts', 'run.js'), ...args], { cwd: root, encoding: 'utf8' });
    return { status: out.status, stdout: out.stdout, compiled: out.stderr.includes('Compiling'), stderr: out.stderr };
  };
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** Moves a file's modification time into the past, as if written long before the last build. */
  const age = (path: string) => utimesSync(join(root, path), new Date('2020-01-01'), new Date('2020-01-01'));

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'launcher-'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(__dirname, '..', '..', 'scripts', 'run.js'), join(root, 'scripts', 'run.js'));
    symlinkSync(join(__dirname, '..', '..', 'node_modules'), join(root, 'node_modules'), 'dir');
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', outDir: './dist', rootDir: '.', types: ['node'] } }));
    write('tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', include: ['apps', 'libs'] }));
    write('apps/cli/src/main.ts', "import { greeting } from '../../../libs/greet/greet';\nprocess.stdout.write(`${greeting} ${process.argv.slice(2).join(' ')}\\n`);\n");
    write('libs/greet/greet.ts', "export const greeting = 'hello';\n");
    write('libs/greet/greet.spec.ts', 'export {};\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('compiles on the first run, then runs the compiled app with its arguments and without compiling', () => {
    expect(run('cli', 'a', '--b')).toMatchObject({ status: 0, stdout: 'hello a --b\n', compiled: true });
    expect(run('cli', 'again')).toStrictEqual({ status: 0, stdout: 'hello again\n', compiled: false, stderr: '' });
  });

  it('compiles again when a source is newer than the build, and runs the new code', () => {
    write('libs/greet/greet.ts', "export const greeting = 'hi';\n");
    expect(run('cli')).toMatchObject({ status: 0, stdout: 'hi \n', compiled: true });
    expect(run('cli').compiled).toBe(false);
  });

  it('compiles again when a file is added or renamed, even with an old modification time', () => {
    write('libs/greet/extra.ts', 'export const extra = 1;\n');
    age('libs/greet/extra.ts');
    expect(run('cli').compiled).toBe(true);
    renameSync(join(root, 'libs/greet/extra.ts'), join(root, 'libs/greet/more.ts'));
    expect(run('cli').compiled).toBe(true);
    expect(run('cli').compiled).toBe(false);
  });

  it('does not compile for a change to a file the build leaves out (a spec)', () => {
    write('libs/greet/greet.spec.ts', 'export const changed = true;\n');
    expect(run('cli').compiled).toBe(false);
  });

  it('starts nothing when the build fails, and says so; refuses an unknown app', () => {
    write('libs/greet/greet.ts', 'export const greeting: number = "not a number";\n');
    const failed = run('cli');
    expect(failed.status).not.toBe(0);
    // The compiler's own report, and not the app's output.
    expect(failed.stdout).toContain("error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(failed.stdout).not.toContain('hi');
    expect(failed.stderr).toContain('The build failed (above); nothing was started.');
    expect(run('web')).toMatchObject({ status: 2, stdout: '' });
    expect(run('web').stderr).toContain('Usage: node scripts/run.js <build|api|cli|projector> [arguments]');
  });
});
