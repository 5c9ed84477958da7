// A whole tree from scratch, for the first commit (a genesis, a state-sync restore): the leaves are
// sorted by path once, packed in one buffer, and folded into the crit-bit tree in a single pass
// with a stack, each node handed out (children first) as soon as it is complete. Nothing of the
// tree stays in memory but its root: the same tree that applyOps builds from an empty root (the
// tree is unique for its set of paths), without a node object per key. A 1M-account genesis held
// its tree as several million node objects and hash buffers (bench/README.md, "State size").

import { hash as oneShotHash } from 'node:crypto';
import type { LeafNode, NodeStub, TreeNode } from './node.ts';
import { firstDiffBit, HASH_BYTES, INNER, LEAF, STUB } from './node.ts';

// Digests as latin1 strings, written straight into the buffers that keep them: a 'buffer' digest is a
// block of native memory per hash (several per key here), ~4× slower to get and left behind in
// glibc's heap once freed between live ones. The hashing is ICS23 smtSpec's, as in node.ts.
const scratch = Buffer.alloc(1 + 2 * HASH_BYTES);

function digest(data: Uint8Array): string {
  return oneShotHash('sha256', data, 'binary'); // 'binary' is latin1
}

function leafDigest(path: Uint8Array, valueHash: Uint8Array): string {
  scratch[0] = 0;
  scratch.set(path, 1);
  scratch.set(valueHash, 1 + HASH_BYTES);
  return digest(scratch);
}

function innerDigest(left: string, right: string): string {
  scratch[0] = 1;
  scratch.write(left, 1, 'latin1');
  scratch.write(right, 1 + HASH_BYTES, 'latin1');
  return digest(scratch);
}

export interface KeyValue {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** The entries in path order: `entry(i)`, `path(i)` and `valueHash(i)` of the i-th leaf. */
export class SortedLeaves {
  readonly count: number;
  readonly #entries: readonly KeyValue[];
  /** count × (path, value hash), in input order. */
  readonly #hashes: Buffer;
  /** Input index of the i-th leaf in path order. */
  readonly #order: Uint32Array;

  /** `leadingBits`: at most this many of a path's bits go into the numeric sort (fewer in tests, for ties). */
  constructor(entries: readonly KeyValue[], leadingBits = 48) {
    const n = entries.length;
    this.count = n;
    this.#entries = entries;
    this.#hashes = Buffer.allocUnsafe(n * 2 * HASH_BYTES);
    for (let i = 0; i < n; i++) {
      const e = entries[i] as KeyValue;
      this.#hashes.write(digest(e.key), i * 2 * HASH_BYTES, 'latin1');
      this.#hashes.write(digest(e.value), i * 2 * HASH_BYTES + HASH_BYTES, 'latin1');
    }
    this.#order = this.#sort(Math.min(48, leadingBits));
  }

  entry(i: number): KeyValue {
    return this.#entries[this.#order[i] as number] as KeyValue;
  }

  path(i: number): Buffer {
    const at = (this.#order[i] as number) * 2 * HASH_BYTES;
    return this.#hashes.subarray(at, at + HASH_BYTES);
  }

  valueHash(i: number): Buffer {
    const at = (this.#order[i] as number) * 2 * HASH_BYTES + HASH_BYTES;
    return this.#hashes.subarray(at, at + HASH_BYTES);
  }

  /**
   * A native numeric sort of doubles that carry a path's leading bits above the entry's index (53
   * bits in all, exact), then paths equal in those bits put in order by their whole path: a few in
   * a million, where a comparator sort would call back into JS tens of millions of times.
   */
  #sort(leadingBits: number): Uint32Array {
    const n = this.count;
    const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
    const topBits = Math.min(leadingBits, 53 - indexBits);
    const slot = 2 ** indexBits;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const top = Math.floor(this.#hashes.readUIntBE(i * 2 * HASH_BYTES, 6) / 2 ** (48 - topBits));
      keys[i] = top * slot + i;
    }
    keys.sort();
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = (keys[i] as number) % slot;
    const pathAt = (input: number): Buffer => this.#hashes.subarray(input * 2 * HASH_BYTES, input * 2 * HASH_BYTES + HASH_BYTES);
    for (let lo = 0; lo < n; ) {
      let hi = lo + 1;
      while (hi < n && Math.floor((keys[hi] as number) / slot) === Math.floor((keys[lo] as number) / slot)) hi++;
      // Insertion sort of the run sharing the leading bits (almost always one or two entries).
      for (let i = lo + 1; i < hi; i++) {
        const v = order[i] as number;
        let j = i - 1;
        while (j >= lo && Buffer.compare(pathAt(order[j] as number), pathAt(v)) > 0) {
          order[j + 1] = order[j] as number;
          j--;
        }
        order[j + 1] = v;
      }
      lo = hi;
    }
    return order;
  }
}

interface Pending {
  /** The subtree's hash (latin1), and its id once emitted ('' when ids are not wanted). */
  readonly hash: string;
  readonly id: string;
  /** Leaf index when the subtree is a single leaf, else -1. */
  readonly leaf: number;
  /** Leaf index of the subtree's leftmost leaf: its path is the subtree's routing prefix. */
  readonly first: number;
  /** The first bit where this subtree's leaves differ from those of the subtree below it on the stack. */
  readonly bit: number;
}

/**
 * Folds leaves 0, 1, 2, … of `leaves` (call `add` in order) into their crit-bit tree. The stack holds
 * the right spine's complete subtrees with strictly increasing split bits; a leaf whose split from
 * its predecessor is above some of them first joins those into inner nodes. `emit` receives every
 * node once, children before parents, and returns the id it gets (undefined: only the root hash is
 * wanted, and ids are not needed).
 */
export class TreeFolder {
  readonly #leaves: SortedLeaves;
  readonly #emit: ((node: TreeNode) => string) | undefined;
  readonly #stack: Pending[] = [];

  constructor(leaves: SortedLeaves, emit?: (node: TreeNode) => string) {
    this.#leaves = leaves;
    this.#emit = emit;
  }

  add(i: number): void {
    const leaves = this.#leaves;
    const path = leaves.path(i);
    const bit = i === 0 ? -1 : firstDiffBit(leaves.path(i - 1), path);
    while (this.#stack.length >= 2 && (this.#stack.at(-1) as Pending).bit > bit) this.#join();
    const valueHash = leaves.valueHash(i);
    const hash = leafDigest(path, valueHash);
    let id = '';
    if (this.#emit !== undefined) {
      const leaf: LeafNode = { t: LEAF, key: leaves.entry(i).key, path, valueHash, hash: bytes(hash), id: undefined };
      id = this.#emit(leaf);
    }
    this.#stack.push({ hash, id, leaf: i, first: i, bit });
  }

  /** The root once every leaf was added (null for no leaves). */
  finish(): NodeStub | null {
    while (this.#stack.length >= 2) this.#join();
    const root = this.#stack[0];
    return root === undefined ? null : this.#stub(root);
  }

  #stub(p: Pending): NodeStub {
    return { t: STUB, id: p.id, hash: bytes(p.hash), leafPath: p.leaf < 0 ? undefined : new Uint8Array(this.#leaves.path(p.leaf)) };
  }

  #join(): void {
    const r = this.#stack.pop() as Pending;
    const l = this.#stack.pop() as Pending;
    const hash = innerDigest(l.hash, r.hash);
    let id = '';
    if (this.#emit !== undefined) {
      id = this.#emit({ t: INNER, bit: r.bit, prefix: this.#leaves.path(l.first), hash: bytes(hash), id: undefined, l: this.#stub(l), r: this.#stub(r) });
    }
    this.#stack.push({ hash, id, leaf: -1, first: l.first, bit: l.bit });
  }
}

function bytes(latin1: string): Uint8Array {
  return Buffer.from(latin1, 'latin1');
}

/**
 * Copies of the first commit's values carved from 1 MiB chunks: a state's worth of values above 64
 * bytes (V8 keeps smaller typed arrays in its own heap) would otherwise each be a small block of
 * glibc's heap, freed at the commit between blocks still in use, and kept by glibc for good. A chunk
 * is mapped apart (above the node's MALLOC_MMAP_THRESHOLD_) and returned whole once unreferenced.
 */
export class Slabs {
  static readonly CHUNK = 2 ** 20;
  #chunk = new Uint8Array(0);
  #used = 0;

  /** A copy of `bytes` (1 + its length when `prefix` is given, that byte first). */
  copy(bytes: Uint8Array, prefix?: number): Uint8Array {
    const extra = prefix === undefined ? 0 : 1;
    const n = bytes.length + extra;
    if (n <= 64 || n > Slabs.CHUNK / 16) {
      const out = new Uint8Array(n);
      if (prefix !== undefined) out[0] = prefix;
      out.set(bytes, extra);
      return out;
    }
    if (this.#used + n > this.#chunk.length) {
      this.#chunk = new Uint8Array(Slabs.CHUNK);
      this.#used = 0;
    }
    const out = this.#chunk.subarray(this.#used, this.#used + n);
    this.#used += n;
    if (prefix !== undefined) out[0] = prefix;
    out.set(bytes, extra);
    return out;
  }
}
