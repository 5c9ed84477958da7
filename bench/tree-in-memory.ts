// What a block's tree update would cost with the latest tree in memory (docs/decisions.md, "Not yet":
// blocks on a big state as cheap as on a small one): node bench/tree-in-memory.ts [--keys N] [--changed K] [--blocks B]
//
// The state store today writes a LevelDB record per new tree node and block and reads back the nodes
// its cache lacks: ~8 µs a record all in, 30 records a send on 100k accounts (bench/README.md,
// "Fifteenth round"). This times the other design's core: the crit-bit tree of core/store/tree (same
// shape, same ICS23 smtSpec hashing) held as flat arrays (inner nodes in preorder, so a child's index is
// larger than its parent's), each block setting K random leaves to new values and rehashing the union
// of their paths bottom-up in place, with nothing written. What the design would add (snapshots, the
// change log, older versions for proofs) is not timed. Prints the time a block, a rehashed record and a
// send (bench/state.ts's load changes ~3 keys a send).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { bitAt, firstDiffBit, innerHash, leafHash } from '../core/store/tree/node.ts';
import { markdownTable, percentile } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    keys: { type: 'string', default: '220000' },
    changed: { type: 'string', default: '600' },
    blocks: { type: 'string', default: '50' },
  },
});
const N = Number(args.keys);
const K = Number(args.changed);
const BLOCKS = Number(args.blocks);
if (![N, K, BLOCKS].every((n) => Number.isSafeInteger(n) && n >= 2)) throw new RangeError('--keys, --changed and --blocks must be integers ≥ 2');
const KEYS_A_SEND = 3;

// Leaves sorted by path (the crit-bit tree's order); their paths and hashes back to back.
const sortedPaths: Buffer[] = Array.from({ length: N }, () => randomBytes(32)).sort(Buffer.compare);
const paths = sortedPaths.map((p) => new Uint8Array(p));
const leafHashes = new Uint8Array(N * 32);
const innerHashes = new Uint8Array((N - 1) * 32);
const left = new Int32Array(N - 1); // an inner node's index, or ~leaf index
const right = new Int32Array(N - 1);
const parent = new Int32Array(N - 1);
const leafParent = new Int32Array(N);

// The tree's own hashing (leafHash, innerHash): each digest a fresh 32-byte array, copied into place.
function setLeaf(l: number, valueHash: Uint8Array): void {
  leafHashes.set(leafHash(paths[l]!, valueHash), l * 32);
}

function childHash(c: number): Uint8Array {
  return c < 0 ? leafHashes.subarray(~c * 32, ~c * 32 + 32) : innerHashes.subarray(c * 32, c * 32 + 32);
}

function rehash(n: number): void {
  innerHashes.set(innerHash(childHash(left[n]!), childHash(right[n]!)), n * 32);
}

let built = 0;
function build(lo: number, hi: number, up: number): number {
  if (hi - lo === 1) {
    leafParent[lo] = up;
    return ~lo;
  }
  const me = built++;
  parent[me] = up;
  const bit = firstDiffBit(paths[lo]!, paths[hi - 1]!);
  let mid = lo + 1;
  while (bitAt(paths[mid]!, bit) === 0) mid++;
  left[me] = build(lo, mid, me);
  right[me] = build(mid, hi, me);
  return me;
}

for (let l = 0; l < N; l++) setLeaf(l, randomBytes(32));
build(0, N, -1);
for (let n = N - 2; n >= 0; n--) rehash(n);
let depths = 0;
for (let l = 0; l < N; l++) for (let p = leafParent[l]!; p >= 0; p = parent[p]!) depths++;

const onPath = new Uint8Array(N - 1);
const blockUs: number[] = [];
let records = 0;
for (let b = 0; b < BLOCKS; b++) {
  const value = randomBytes(32);
  const changed = Array.from({ length: K }, () => Math.floor(Math.random() * N));
  const t0 = process.hrtime.bigint();
  const dirty: number[] = [];
  for (const l of changed) {
    setLeaf(l, value);
    for (let p = leafParent[l]!; p >= 0 && onPath[p] === 0; p = parent[p]!) {
      onPath[p] = 1;
      dirty.push(p);
    }
  }
  // Children before parents: in preorder a child's index is larger than its parent's.
  dirty.sort((x, y) => y - x);
  for (const n of dirty) {
    rehash(n);
    onPath[n] = 0;
  }
  blockUs.push(Number(process.hrtime.bigint() - t0) / 1000);
  records += dirty.length + K;
}

const meanUs = blockUs.reduce((a, b) => a + b, 0) / BLOCKS;
const sortedUs = [...blockUs].sort((a, b) => a - b);
const recordsABlock = records / BLOCKS;
const arraysMiB = (leafHashes.length + innerHashes.length + 32 * N + 4 * (left.length + right.length + parent.length + leafParent.length)) / 2 ** 20;
console.log(
  markdownTable(
    ['keys', 'mean depth', 'arrays', 'changed a block', 'records rehashed a block', 'a block: mean / p50 / p99', 'a record', 'a send'],
    [
      [
        N.toLocaleString('en-US'),
        (depths / N).toFixed(1),
        `${arraysMiB.toFixed(1)} MiB`,
        String(K),
        recordsABlock.toFixed(0),
        `${(meanUs / 1000).toFixed(2)} / ${(percentile(sortedUs, 50) / 1000).toFixed(2)} / ${(percentile(sortedUs, 99) / 1000).toFixed(2)} ms`,
        `${(meanUs / recordsABlock).toFixed(2)} µs`,
        `${((meanUs / K) * KEYS_A_SEND).toFixed(0)} µs`,
      ],
    ],
  ),
);
