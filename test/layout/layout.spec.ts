import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The dependency rules of the layout, checked on every test run: libs do not depend on each other in a cycle,
 * domain code imports no framework, driver or infrastructure, apps never import another app, and libs never import
 * an app. Each failure names the files and imports that break the rule.
 */
const ROOT = join(__dirname, '..', '..');

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
    const resolved = target.startsWith('.') ? relative(ROOT, normalize(join(dirname(file), target))).split(sep).join('/') : null;
    return { from, target, resolved };
  });

const everyImport = ['apps', 'libs'].flatMap((top) => sourceFiles(join(ROOT, top))).flatMap(importsOf);
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
      .filter(({ target, resolved }) => forbidden.test(target) || (resolved !== null && !/^libs\/[^/]+\/src\/domain\//.test(resolved) && !resolved.startsWith('libs/shared-kernel/')))
      .map(({ from, target }) => `${from} imports ${target}`);
    expect(offenders).toStrictEqual([]);
  });

  it('never lets an app import another app, nor a lib import an app', () => {
    const offenders = everyImport
      .filter(({ from, resolved }) => resolved !== null && appOf(resolved) !== null && appOf(resolved) !== appOf(from))
      .map(({ from, target }) => `${from} imports ${target}`);
    expect(offenders).toStrictEqual([]);
  });
});
