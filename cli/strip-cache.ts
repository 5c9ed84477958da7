// A disk cache of Node's TypeScript type stripping for the `cairn` process. Node strips the types of
// every .ts file it loads, each time, and a node's start loads ~360 of them: stripping was a third
// of the CPU time a restarted node spent before it listened (bench/README.md, restart). Stripping is
// a pure function of the file's text and of this Node, so its output is kept under the user's
// cache directory, named by a hash of the text: an edited file has another name, so an entry is
// never stale, only unused. Whatever goes wrong with the cache (unwritable, removed meanwhile),
// the file is stripped as without it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the stripped files go: $XDG_CACHE_HOME (else ~/.cache)/cairn/strip-<node version>. */
export function stripCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'cairn', `strip-${process.version}`);
}

/** Installs the cache for every module this process loads from now on (the CLI's entry only). */
export function useStripCache(dir: string = stripCacheDir()): void {
  try {
    // Owner-only: another user must not be able to place code under a name this process would run.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return;
  }
  registerHooks({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      if (loaded.format !== 'module-typescript' || loaded.source === undefined) return loaded;
      const source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source);
      const file = join(dir, `${createHash('sha256').update(source).digest('hex')}.js`);
      try {
        return { format: 'module', source: readFileSync(file, 'utf8') };
      } catch {
        // Not cached yet.
      }
      const stripped = strip(source);
      try {
        // Written aside and renamed, so a concurrent `cairn` never reads half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, stripped, { mode: 0o600 });
        renameSync(tmp, file);
      } catch {
        // Unwritable: the next start strips it again.
      }
      return { format: 'module', source: stripped };
    },
  });
}

/**
 * The same stripping Node does itself ('strip' mode keeps every line and column, so stack traces
 * still point into the .ts file), without the one-time ExperimentalWarning that calling the API
 * prints: a `cairn` command's stderr must not depend on whether the cache was warm.
 */
function strip(source: string): string {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}
