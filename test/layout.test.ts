// The house's floors, checked from the code's own imports: a file imports only from its own floor
// or below, and no files import each other in a circle (cli/ excepted: its command table lists
// commands that print help from it). The linter enforces the same floors file by file.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FLOORS as LINT_FLOORS } from '../eslint.config.js';

const ROOT = resolve(import.meta.dirname, '..');

/** The linter's floors (eslint.config.js), with the folders that stand on all of them on top. */
const FLOORS: readonly (readonly string[])[] = [...LINT_FLOORS, ['bench', 'test', 'scripts']];

function floorOf(file: string): number {
  // A test beside the code, and the tool configs at the root, stand on the top floor.
  if (file.endsWith('.test.ts') || !file.includes('/')) return FLOORS.length - 1;
  const top = file.split('/')[0]!;
  const floor = FLOORS.findIndex((names) => names.includes(top));
  return floor === -1 ? FLOORS.length : floor;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every file's relative imports, as paths from the repository root. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const tops = FLOORS.flat();
  for (const file of tops.flatMap((top) => sourceFiles(top))) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
    graph.set(file, targets);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layout', () => {
  const graph = importGraph();

  it('reads the whole house', () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(graph.get('node/app.ts')).toContain('core/store/branch.ts');
  });

  it('imports only from the same floor or below', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (floorOf(target) > floorOf(file)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycles outside cli/', () => {
    const circles = cycles(graph).filter((component) => !component.every((f) => f.startsWith('cli/')));
    expect(circles).toEqual([]);
  });
});
