// Micro-benchmark of the state store on LevelDB: node bench/store.ts
//
// Builds a 100k-key tree, then measures tree updates, a 10k-write block commit, point reads at
// the latest and at a past height, proofs, and the process RSS.

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CommitStore } from '../core/store/commit-store.ts';

const TREE_KEYS = 100_000;
const BLOCK_WRITES = 10_000;

let seed = 0x9e3779b9;
function rand(): number {
  // xorshift32: reproducible runs.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}

const key = (n: number): Uint8Array => new TextEncoder().encode(`bank/balances/cairn1${n.toString(36).padStart(8, '0')}`);
const value = (n: number, h: number): Uint8Array => new TextEncoder().encode(`{"denom":"ucairn","amount":"${n * 1000 + h}"}`);

function rssMiB(): string {
  return (process.memoryUsage().rss / 2 ** 20).toFixed(0);
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-store-'));
try {
  const store = await CommitStore.open({ path: dir, keepRecent: 100, pruneInterval: 10 });
  let height = 0n;
  let t = performance.now();
  for (let base = 0; base < TREE_KEYS; base += BLOCK_WRITES) {
    for (let i = base; i < base + BLOCK_WRITES; i++) store.working.set(key(i), value(i, 0));
    await store.commit(++height);
  }
  console.log(`build ${TREE_KEYS.toLocaleString('en-US')} keys in ${TREE_KEYS / BLOCK_WRITES} commits: ${(performance.now() - t).toFixed(0)} ms [RSS ${rssMiB()} MiB]`);

  // Tree updates: random existing keys, then one root computation (no persistence).
  for (let i = 0; i < BLOCK_WRITES; i++) store.working.set(key(Math.floor(rand() * TREE_KEYS)), value(i, 1));
  t = performance.now();
  await store.workingHash();
  const hashMs = performance.now() - t;
  store.discard();
  console.log(`tree updates (10k random keys into a 100k tree, root computed): ${rate(BLOCK_WRITES, hashMs)} (${hashMs.toFixed(0)} ms) [RSS ${rssMiB()} MiB]`);

  // Full block commits: 10k writes (90% updates, 10% inserts), tree + flat tables + one synced batch.
  const commits: number[] = [];
  const roots: number[] = [];
  let next = TREE_KEYS;
  for (let b = 0; b < 5; b++) {
    for (let i = 0; i < BLOCK_WRITES; i++) {
      const n = rand() < 0.9 ? Math.floor(rand() * TREE_KEYS) : next++;
      store.working.set(key(n), value(n, Number(height) + 1));
    }
    t = performance.now();
    await store.workingHash();
    const mid = performance.now();
    await store.commit(++height);
    roots.push(mid - t);
    commits.push(performance.now() - t);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  console.log(
    `commit of a 10k-write block: median ${median(commits).toFixed(0)} ms (root ${median(roots).toFixed(0)} ms + write ${(median(commits) - median(roots)).toFixed(0)} ms); all: ${commits.map((c) => c.toFixed(0)).join(', ')}`,
  );

  const READS = 100_000;
  t = performance.now();
  for (let i = 0; i < READS; i++) await store.committed.get(key(Math.floor(rand() * TREE_KEYS)));
  console.log(`get latest: ${rate(READS, performance.now() - t)} [RSS ${rssMiB()} MiB]`);

  const past = store.at(height - 3n);
  const HREADS = 20_000;
  t = performance.now();
  for (let i = 0; i < HREADS; i++) await past.get(key(Math.floor(rand() * TREE_KEYS)));
  console.log(`get at height ${height - 3n} (history, one seek): ${rate(HREADS, performance.now() - t)} [RSS ${rssMiB()} MiB]`);

  const PROOFS = 2_000;
  t = performance.now();
  for (let i = 0; i < PROOFS; i++) await store.prove(key(Math.floor(rand() * TREE_KEYS * 1.1)), height);
  console.log(`prove at the latest height: ${rate(PROOFS, performance.now() - t)}`);

  let n = 0;
  t = performance.now();
  for await (const _ of store.committed.iterate({ prefix: new TextEncoder().encode('bank/balances/') })) n++;
  console.log(`iterate latest: ${rate(n, performance.now() - t)} (${n} entries)`);

  const mem = process.memoryUsage();
  // A full GC first, so that "heap" is what the store keeps, not garbage from the loops above.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const after = process.memoryUsage();
  const disk = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  console.log(
    `RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB; after GC: heap ${(after.heapUsed / 2 ** 20).toFixed(0)} MiB, external ${(after.external / 2 ** 20).toFixed(0)} MiB, RSS ${(after.rss / 2 ** 20).toFixed(0)} MiB; LevelDB on disk ${(disk / 2 ** 20).toFixed(0)} MiB`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
