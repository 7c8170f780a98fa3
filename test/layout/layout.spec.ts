import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The dependency rules of the layout, checked on every test run: libs do not depend on each other in a cycle,
 * domain code imports no framework, driver or infrastructure, apps never import another app, and libs never import
 * an app; a lib is imported through its alias (`#engine`) and index.ts, never by a path into it, and the aliases
 * agree wherever they are declared. Each failure names the files and imports that break the rule.
 */
const ROOT = join(__dirname, '..', '..');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;
/** `#engine` → `libs/engine/src/index.ts`, as tsconfig.json declares them. */
const ALIASES = new Map(
  Object.entries(readJson<{ compilerOptions: { paths: Record<string, string[]> } }>('tsconfig.json').compilerOptions.paths).map(([alias, [file]]) => [
    alias,
    normalize(file!).split(sep).join('/'),
  ]),
);

interface Import {
  readonly from: string;
  readonly target: string;
  readonly resolved: string | null;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.includes('spec-helper') && !name.includes('.fixtures.') ? [path] : [];
  });

const importsOf = (file: string): Import[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)].map((match) => {
    const target = match[1]!;
    const from = relative(ROOT, file).split(sep).join('/');
    const resolved = target.startsWith('.') ? relative(ROOT, normalize(join(dirname(file), target))).split(sep).join('/') : (ALIASES.get(target) ?? null);
    return { from, target, resolved };
  });

const everyImport = ['apps', 'libs'].flatMap((top) => sourceFiles(join(ROOT, top))).flatMap(importsOf);
/** Specs, helpers, tests and benchmarks too: none of them reaches into a lib by path either. */
const allFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : allFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
const everyImportAnywhere = ['apps', 'libs', 'test', 'bench'].flatMap((top) => allFiles(join(ROOT, top))).flatMap(importsOf);
const libOf = (path: string): string | null => (path.startsWith('libs/') ? path.split('/')[1]! : null);
const appOf = (path: string): string | null => (path.startsWith('apps/') ? path.split('/')[1]! : null);

describe('the layout', () => {
  it('has imports to check', () => {
    expect(everyImport.length).toBeGreaterThan(500);
  });

  it('has no cycle between libs', () => {
    const edges = new Map<string, Map<string, string>>();
    for (const { from, resolved, target } of everyImport) {
      const a = libOf(from);
      const b = resolved ? libOf(resolved) : null;
      if (!a || !b || a === b) continue;
      const out = edges.get(a) ?? edges.set(a, new Map()).get(a)!;
      if (!out.has(b)) out.set(b, `${from} imports ${target}`);
    }
    const reaches = (start: string, goal: string): boolean => {
      const seen = new Set<string>();
      const stack = [start];
      while (stack.length > 0) {
        const lib = stack.pop()!;
        for (const next of edges.get(lib)?.keys() ?? []) {
          if (next === goal) return true;
          if (seen.has(next)) continue;
          seen.add(next);
          stack.push(next);
        }
      }
      return false;
    };
    const cycles: string[] = [];
    for (const [a, out] of edges) for (const [b, example] of out) if (reaches(b, a)) cycles.push(`${a} → ${b} (${example}) and back`);
    expect(cycles).toStrictEqual([]);
  });

  it('keeps domain code free of frameworks, drivers and infrastructure', () => {
    const forbidden = /^(@nestjs\/|mongodb$|@kurrent\/|@eventstore\/|better-sqlite3$|node:)/;
    const offenders = everyImport
      .filter(({ from }) => /^libs\/[^/]+\/src\/domain\//.test(from))
      .filter(
        ({ from, target, resolved }) =>
          forbidden.test(target) ||
          (resolved !== null && !resolved.startsWith(`libs/${libOf(from)}/src/domain/`) && !resolved.startsWith('libs/shared-kernel/')),
      )
      .map(({ from, target }) => `${from} imports ${target}`);
    expect(offenders).toStrictEqual([]);
  });

  it('never lets an app import another app, nor a lib import an app', () => {
    const offenders = everyImport
      .filter(({ from, resolved }) => resolved !== null && appOf(resolved) !== null && appOf(resolved) !== appOf(from))
      .map(({ from, target }) => `${from} imports ${target}`);
    expect(offenders).toStrictEqual([]);
  });

  it('imports another lib only through its alias, and a lib never through its own alias', () => {
    const offenders = everyImportAnywhere
      .filter(({ from, target, resolved }) => {
        const lib = resolved ? libOf(resolved) : null;
        if (lib === null) return target.startsWith('#') && !ALIASES.has(target);
        return target.startsWith('.') ? lib !== libOf(from) : lib === libOf(from);
      })
      .map(({ from, target }) => `${from} imports ${target}`);
    expect(offenders).toStrictEqual([]);
    expect(everyImport.filter(({ target }) => ALIASES.has(target)).length).toBeGreaterThan(300);
  });

  it('declares the same libs in tsconfig.json, package.json (compiled) and nest-cli.json, each alias naming the lib\'s index.ts', () => {
    const libs = readdirSync(join(ROOT, 'libs')).sort();
    expect([...ALIASES.keys()].sort()).toStrictEqual(libs.map((lib) => `#${lib}`));
    for (const [alias, file] of ALIASES) expect(file).toMatch(new RegExp(`^libs/${alias.slice(1)}/(src/)?index\\.ts$`));
    // The test-support lib is never compiled for production, so it has no runtime alias.
    const imports = readJson<{ imports: Record<string, string> }>('package.json').imports;
    expect(imports).toStrictEqual(
      Object.fromEntries([...ALIASES].filter(([alias]) => alias !== '#testing').map(([alias, file]) => [alias, `./dist/${file.replace(/\.ts$/, '.js')}`])),
    );
    const projects = readJson<{ projects: Record<string, { type: string }> }>('nest-cli.json').projects;
    expect(Object.keys(projects).filter((name) => projects[name]!.type === 'library').sort()).toStrictEqual(libs);
  });
});
