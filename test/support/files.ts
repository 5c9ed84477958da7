// The repository's own files, for tests that check the tree itself (layout, conventions).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Paths (from the repository root) of the files under `dir` whose names end with `suffix`; node_modules and dot-folders skipped. */
export function repoFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(join(REPO_ROOT, path)).isDirectory()) out.push(...repoFiles(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}
