// Leaves sorted by path for folding a whole tree at once (MemTree.fold): a first commit (a genesis, a
// state-sync restore) and a reopened store's tree. Each leaf's path and value hash are packed in one
// buffer and put in path order by a native numeric sort, without an object per key: a 1M-account
// genesis held its tree as several million node objects and hash buffers (bench/README.md, "State
// size").

import { hash as oneShotHash } from 'node:crypto';
import { HASH_BYTES } from './node.ts';

/** A copy of `old` in a buffer of `size` bytes (the rest uninitialised). */
export function grownBuffer(old: Buffer, size: number): Buffer {
  const b = Buffer.allocUnsafeSlow(size);
  old.copy(b);
  return b;
}

/** A copy of `old` in an array of `size` elements made by `make`. */
export function grown<T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T, size: number): T {
  const a = make(size);
  a.set(old);
  return a;
}

/** Room for `count` leaves' (path, value hash) pairs, back to back. */
export function leafHashes(count: number): Buffer {
  return Buffer.allocUnsafe(count * 2 * HASH_BYTES);
}

/** Writes leaf `i`'s path (sha256 of its key) and value hash into `hashes`. */
export function putLeaf(hashes: Buffer, i: number, key: Uint8Array, value: Uint8Array): void {
  hashes.write(oneShotHash('sha256', key, 'binary'), i * 2 * HASH_BYTES, 'latin1');
  hashes.write(oneShotHash('sha256', value, 'binary'), i * 2 * HASH_BYTES + HASH_BYTES, 'latin1');
}

/** The leaves of `hashes` in path order: `index(i)`, `path(i)` and `valueHash(i)` of the i-th. */
export class SortedLeaves {
  readonly count: number;
  /** count × (path, value hash), in input order. */
  readonly #hashes: Buffer;
  /** Input index of the i-th leaf in path order. */
  readonly #order: Uint32Array;

  /** `leadingBits`: at most this many of a path's bits go into the numeric sort (fewer in tests, for ties). */
  constructor(hashes: Buffer, count: number, leadingBits = 48) {
    this.count = count;
    this.#hashes = hashes;
    this.#order = this.#sort(Math.min(48, leadingBits));
  }

  /** The input index of the i-th leaf in path order. */
  index(i: number): number {
    return this.#order[i] as number;
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

  /** A copy of `bytes`, after `prefix` when one is given. */
  copy(bytes: Uint8Array, prefix?: Uint8Array): Uint8Array {
    const extra = prefix === undefined ? 0 : prefix.length;
    const n = bytes.length + extra;
    let out: Uint8Array;
    if (n <= 64 || n > Slabs.CHUNK / 16) out = new Uint8Array(n);
    else {
      if (this.#used + n > this.#chunk.length) {
        this.#chunk = new Uint8Array(Slabs.CHUNK);
        this.#used = 0;
      }
      out = this.#chunk.subarray(this.#used, this.#used + n);
      this.#used += n;
    }
    if (prefix !== undefined) out.set(prefix, 0);
    out.set(bytes, extra);
    return out;
  }
}
