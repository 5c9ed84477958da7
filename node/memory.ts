// How the app's V8 heap is kept small. V8 (12.4, Node 22) keeps the pages of its heap that a full
// collection emptied, to reuse them, and only its "last resort" collection gives them back: a new
// chain's InitChain and first Commit of 100k accounts peak at ~700 MiB of heap and left the app at
// 1.6 GiB RSS with 80 MiB live (bench/README.md, memory). And between full collections it lets the
// old generation grow to up to 4× what survived the last one, so a node with ~100 MiB live sat at
// 220–260 MiB of heap under load.
//
// And glibc's malloc gives back only the top of its heap when memory is freed: the first commit of a
// big genesis fills ~130 MiB of it with small blocks (values, keys, LevelDB's memtable) that are all
// freed but sit below a few live ones, so a new 100k-account chain stayed at ~310 MiB RSS where a
// restarted node on the same state has ~155 (bench/README.md, "A new chain's freed memory back to the
// OS").
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import processSettings from './process.json' with { type: 'json' };

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let gc: Gc | undefined;

/** glibc's malloc_trim through koffi (an FFI with prebuilt binaries); null where there is none (macOS, musl). */
let mallocTrim: ((pad: number) => number) | null | undefined;

/** Hands the free pages anywhere in glibc's heaps back to the OS (~1 ms); false where there is no glibc. */
export function trimNativeHeap(): boolean {
  if (mallocTrim === undefined) {
    try {
      const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
      mallocTrim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
    } catch {
      mallocTrim = null;
    }
  }
  if (mallocTrim === null) return false;
  mallocTrim(0);
  return true;
}

/**
 * A full, synchronous collection that also releases V8's emptied pages, then glibc's free pages
 * (hundreds of ms on a big heap: call it rarely, after a big write).
 */
export function releaseFreedMemory(): void {
  if (gc === undefined) {
    // The collector is reachable from JS only as the `gc` global of a context made while --expose-gc is on.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
    setFlagsFromString('--no-expose-gc');
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  trimNativeHeap();
}

/**
 * The old generation may grow by this share of what survived the last full collection before the
 * next one (V8's own factor is 1.1–4 by its heuristics, and 4 on a machine with this much memory).
 * What it bought and cost (CPU): bench/README.md, "Fourth round".
 */
export const HEAP_GROWING_PERCENT = 30;

/** Unset until the node limits growth; a user's own --heap-growing-percent is left alone. */
let limited = false;

/** Bounds the old generation's growth for the rest of the process (the node calls it at start). */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) return;
  limited = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * While a big genesis is loaded (its heap grows from ~100 to ~700 MiB), V8's own growth: bounded at
 * 30 %, InitChain of 100k accounts took 18.8 s of CPU against 14.3 s. Until `restoreHeapGrowth`.
 */
export function relaxHeapGrowth(): void {
  if (limited) setFlagsFromString('--heap-growing-percent=0');
}

export function restoreHeapGrowth(): void {
  if (limited) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * The Node flags and environment a node process is started with (node/process.json: the young
 * generation's size, glibc's malloc with two arenas and blocks over 128 KiB mapped apart), for whatever
 * spawns one; cli/launcher.cjs applies the same file. A flag or variable the user already set wins.
 */
export function nodeProcessSettings(env: NodeJS.ProcessEnv = process.env): { flags: string[]; env: NodeJS.ProcessEnv } {
  const own = env['NODE_OPTIONS'] ?? '';
  const flags = processSettings.nodeFlags.filter((f) => !own.includes(f.slice(0, f.indexOf('='))));
  return { flags, env: { ...processSettings.env, ...env } };
}
