// classic-level, as every LevelDB of this project is opened: importing ClassicLevel from here makes
// the process's LevelDB read its table files with pread before any database can be opened.
//
// classic-level's LevelDB (1.20, POSIX Env) maps up to 1,000 table files into memory and reads them
// in place, and every page a read touches stays in the process's RSS for as long as the table is
// open: under a load that reads all over a big state the node's RSS grew with the database (100k
// accounts: +53 MiB after a minute, +153 after three; 1M accounts: +479), whatever its caches were
// set to. With the mapping off, LevelDB reads with pread into its block cache (`cacheSize`), as
// RocksDB does by default: the node holds only what its caches hold, and the table pages stay in the
// kernel's page cache, shared and reclaimable, outside the RSS. What it cost (nothing measurable) and
// bought: bench/README.md, "Thirteenth round".
//
// classic-level has no option for it. LevelDB's only switch is the static limit that
// `leveldb::EnvPosixTestHelper::SetReadOnlyMMapLimit` sets, which classic-level's binary exports. The
// POSIX Env reads it when the process's first database open creates the Env, and the binary asserts
// that no Env exists yet when it is set (an abort otherwise). So it is set here, when classic-level is
// first imported, once a process (module registries may be evaluated again, as vitest's are), and the
// linter keeps every other file from importing classic-level directly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
// eslint-disable-next-line no-restricted-imports -- the one place classic-level is imported
import { ClassicLevel } from 'classic-level';

export { ClassicLevel };

const SET_MMAP_LIMIT = 'void _ZN7leveldb18EnvPosixTestHelper20SetReadOnlyMMapLimitEi(int)';
/** On `process`, which every module registry of the process shares: whether the limit was set. */
const SET = Symbol.for('cairn.leveldb.tablesReadWithPread');

function setMmapLimitToZero(): boolean {
  try {
    // classic-level's binary is loaded by the import above; its path, from this process's mappings.
    const binary = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .map((line) => line.slice(line.indexOf('/')))
      .find((path) => path.includes('/classic-level/') && path.endsWith('.node'));
    if (binary === undefined) return false;
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    // dlopen hands back the image already loaded, so this sets the limit its Env will read.
    (koffi.load(binary).func(SET_MMAP_LIMIT) as (limit: number) => void)(0);
    return true;
  } catch {
    // Left as LevelDB's default: reads are correct either way, only the RSS differs.
    return false;
  }
}

const shared = process as unknown as Record<symbol, boolean | undefined>;
shared[SET] ??= setMmapLimitToZero();

/** Whether this process's LevelDB reads its tables with pread; false where it could not be set (no /proc, no koffi build, a binary without the symbol). */
export function tablesReadWithPread(): boolean {
  return shared[SET] === true;
}
