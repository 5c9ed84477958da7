// How LevelDB reads its table files in this process. classic-level's LevelDB (1.20, POSIX Env) maps
// up to 1,000 table files into memory and reads them in place, and every page a read touches stays in
// the process's RSS for as long as the table is open: under a load that reads all over a big state
// the node's RSS grew with the database (100k accounts: +53 MiB after a minute, +153 after three;
// 1M accounts: +479), whatever its caches were set to. With the mapping off, LevelDB reads with pread
// into its block cache (`cacheSize`), as RocksDB does by default: the node holds only what its caches
// hold, and the table pages stay in the kernel's page cache, shared and reclaimable, outside the RSS.
// What it cost (nothing measurable on this machine) and bought: bench/README.md, "Thirteenth round".
//
// classic-level has no option for it. LevelDB's only switch is the static limit that
// `leveldb::EnvPosixTestHelper::SetReadOnlyMMapLimit` sets, which classic-level's binary exports; the
// POSIX Env reads it once, when it is created by the process's first database open, so this runs
// before that: the state store and the p2p batch store call it before they open, and in a node the
// state store opens first, so the node's other databases (the watcher's claims) read the same way.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import 'classic-level'; // loads its binary, whose path is read from this process's mappings below

const SET_MMAP_LIMIT = 'void _ZN7leveldb18EnvPosixTestHelper20SetReadOnlyMMapLimitEi(int)';

let tablesMapped: boolean | undefined;

/**
 * Makes this process's LevelDB read its tables with pread instead of mmap; false where it cannot (no
 * /proc, no koffi build for the platform, a classic-level binary without the symbol), and LevelDB maps
 * them as before. Idempotent; effective only before the process opens its first database.
 */
export function readTablesWithoutMmap(): boolean {
  if (tablesMapped === undefined) {
    tablesMapped = true;
    try {
      const binary = readFileSync('/proc/self/maps', 'utf8')
        .split('\n')
        .map((line) => line.slice(line.indexOf('/')))
        .find((path) => path.includes('/classic-level/') && path.endsWith('.node'));
      if (binary !== undefined) {
        const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
        // The binary is already loaded: dlopen hands back the same image, so this sets its limit.
        (koffi.load(binary).func(SET_MMAP_LIMIT) as (limit: number) => void)(0);
        tablesMapped = false;
      }
    } catch {
      // Left as LevelDB's default: reads are correct either way, only the RSS differs.
    }
  }
  return !tablesMapped;
}
