// The state tree, held in memory as flat arrays: the crit-bit tree of README.md ("The tree"), same
// shape and ICS23 smtSpec hashing, with no LevelDB record per node. A block's update costs the
// hashing of the paths it changes and nothing else: no node reads, no decoding, no encoding, no
// batch entries (bench/README.md, "Sixteenth round").
//
// Nodes live in two pools (leaves; inner nodes) of typed arrays, addressed by index: a reference
// `ref` >= 0 is inner node `ref`, a reference < 0 is leaf `~ref`, EMPTY is the empty tree. Updates
// copy the paths they change (copy-on-write), so every committed version's root stays valid while
// the working tree is built beside it: the store answers proofs at recent heights from their roots,
// and a discarded block frees only what it created. A node a commit replaced is freed once no kept
// version reaches it (release()).
//
//   leaf  hash = sha256(0x00 || path || sha256(value)),  path = sha256(key)
//   inner hash = sha256(0x01 || left hash || right hash)
//
// An inner node splits on `bit` (0 = most significant bit of the path); every leaf under it shares
// the path bits before `bit`, and its leftmost leaf's path stands for them when routing a write.

import { hash as oneShotHash } from 'node:crypto';
import { type SortedLeaves, grown, grownBuffer } from './build.ts';
import { bitAt, firstDiffBit, leafDigest } from './node.ts';

export type Ref = number;
/** The empty tree (never stored as a child: an inner node has two non-empty sides). */
export const EMPTY: Ref = 0x7fffffff;

const H = 32;
// A node's state: part of a committed version; created since the last commit; created and dropped
// since the last commit (freed after it); on the free list.
const COMMITTED = 0;
const FRESH = 1;
const DROPPED = 2;
const FREE = 3;

/** One key's write pushed into the tree: its key string (latin1), path and value hash (null deletes). */
export interface TreeWrite {
  readonly ks: string;
  readonly path: Uint8Array;
  readonly valueHash: Uint8Array | null;
}

/**
 * Called once a key's leaf is created, replaced or removed; `prev` is the version that wrote the
 * committed leaf it replaces (undefined for a new key, or a leaf created earlier in the same block).
 */
export type LeafChanged = (ks: string, prev: bigint | undefined) => void;

// The inner digest reads its children's hashes straight from the pools' buffers into this.
const scratch = Buffer.alloc(1 + 2 * H);

function comparePaths(a: Uint8Array, b: Uint8Array, bo: number): number {
  for (let i = 0; i < H; i++) {
    const d = (a[i] as number) - (b[bo + i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** A pool's next size: half as large again (a big state's pools are hundreds of MiB; they grow rarely). */
function grownSize(used: number): number {
  return Math.max(1024, Math.ceil(used * 1.5));
}

export class MemTree {
  // Leaves: hash, path, key (where in the key arena, how long), the version that wrote it.
  #lHash: Buffer = Buffer.alloc(0);
  #lPath: Buffer = Buffer.alloc(0);
  #lKeyAt = new Uint32Array(0);
  #lKeyLength = new Uint32Array(0);
  #lVersion = new Float64Array(0);
  #lState = new Uint8Array(0);
  #lFree: number[] = [];
  #lUsed = 0;
  /**
   * The leaves' keys back to back: a JS string a key cost ~76 B more than its bytes (~190 MiB for a
   * 2.5M-key state). A freed leaf's bytes stay until the arena must grow and is compacted instead.
   */
  #keys: Buffer = Buffer.alloc(0);
  #keysUsed = 0;
  #keysFreed = 0;
  // Inner nodes: hash, children, split bit.
  #iHash: Buffer = Buffer.alloc(0);
  #iLeft = new Int32Array(0);
  #iRight = new Int32Array(0);
  #iBit = new Uint8Array(0);
  #iState = new Uint8Array(0);
  #iFree: number[] = [];
  #iUsed = 0;
  /** Nodes created since the last commit (some dropped since: their states tell). */
  #created: Ref[] = [];
  /** Committed nodes the working tree replaced since the last commit. */
  #replaced: Ref[] = [];
  /**
   * Nodes created and dropped since the last commit, freed at the next commit or discard: reused at
   * once, a replacement could get the index of the node it replaces, and an update that compares
   * references to see what changed would miss it.
   */
  #dropped: Ref[] = [];
  /** Nodes each version replaced, oldest first: reachable only from versions before it. */
  readonly #retired: { readonly version: bigint; readonly refs: Ref[] }[] = [];

  // ---- reading ------------------------------------------------------------------------------

  isLeaf(ref: Ref): boolean {
    return ref < 0;
  }

  left(ref: Ref): Ref {
    return this.#iLeft[ref] as number;
  }

  right(ref: Ref): Ref {
    return this.#iRight[ref] as number;
  }

  bit(ref: Ref): number {
    return this.#iBit[ref] as number;
  }

  /** A copy of the node's hash (32 zero bytes for EMPTY). */
  hash(ref: Ref): Uint8Array {
    if (ref === EMPTY) return new Uint8Array(H);
    const [buf, o] = ref < 0 ? [this.#lHash, ~ref * H] : [this.#iHash, ref * H];
    return new Uint8Array(buf.subarray(o, o + H));
  }

  /** A copy of a leaf's path. */
  leafPath(ref: Ref): Uint8Array {
    const o = ~ref * H;
    return new Uint8Array(this.#lPath.subarray(o, o + H));
  }

  /** A leaf's key as a latin1 string. */
  leafKey(ref: Ref): string {
    const at = this.#lKeyAt[~ref] as number;
    return this.#keys.toString('latin1', at, at + (this.#lKeyLength[~ref] as number));
  }

  /** Nodes held (live, and kept for recent versions), and the bytes of their arrays and key arena. */
  size(): { leaves: number; inner: number; bytes: number } {
    const bytes = this.#lState.length * (2 * H + 4 + 4 + 8 + 1) + this.#keys.length + this.#iState.length * (H + 4 + 4 + 1 + 1);
    return { leaves: this.#lUsed - this.#lFree.length, inner: this.#iUsed - this.#iFree.length, bytes };
  }

  // ---- building -----------------------------------------------------------------------------

  /**
   * The whole tree over `leaves`, folded in one pass with a stack of the right spine's complete
   * subtrees (strictly increasing split bits); its nodes are committed at once. `key` and `version`
   * name each leaf's by its input index (SortedLeaves.index).
   */
  fold(leaves: SortedLeaves, key: (input: number) => Uint8Array, version: (input: number) => number): Ref {
    // Room for the whole tree at once, and an eighth more for the keys later blocks add: grown by
    // doubling from nothing, a 2.5M-key tree held up to twice its arrays and copied them ~12 times.
    const room = leaves.count + (leaves.count >> 3);
    this.#growLeaves(room);
    this.#growInner(room);
    const refs: Ref[] = [];
    const bits: number[] = [];
    const join = (): void => {
      const r = refs.pop() as Ref;
      const rBit = bits.pop() as number;
      const l = refs.pop() as Ref;
      refs.push(this.#makeInner(rBit, l, r, COMMITTED));
    };
    for (let i = 0; i < leaves.count; i++) {
      const path = leaves.path(i);
      const bit = i === 0 ? -1 : firstDiffBit(leaves.path(i - 1), path);
      while (refs.length >= 2 && (bits.at(-1) as number) > bit) join();
      const input = leaves.index(i);
      const leaf = this.#makeLeaf(key(input), path, leafDigest(path, leaves.valueHash(i)), COMMITTED);
      this.#lVersion[~leaf] = version(input);
      refs.push(leaf);
      bits.push(bit);
    }
    while (refs.length >= 2) join();
    return refs[0] ?? EMPTY;
  }

  /** Sets the version of every leaf (a first commit's, whose height is known only at its commit). */
  setAllVersions(version: bigint): void {
    this.#lVersion.fill(Number(version), 0, this.#lUsed);
  }

  // ---- updating -----------------------------------------------------------------------------

  /**
   * Applies `writes` (sorted by path, one per path) to the tree under `root` and returns the new
   * root: the unique crit-bit tree of the new set of paths, whatever order and however many passes
   * the writes came in. Setting a key to the value it has changes nothing.
   */
  apply(root: Ref, writes: readonly TreeWrite[], changed: LeafChanged): Ref {
    return this.#update(root, writes, 0, writes.length, changed);
  }

  /** The working nodes become part of `version`; what it replaced waits for release(). */
  commit(version: bigint): void {
    const v = Number(version);
    for (const ref of this.#created) {
      if (ref < 0) {
        if (this.#lState[~ref] === FRESH) {
          this.#lState[~ref] = COMMITTED;
          this.#lVersion[~ref] = v;
        }
      } else if (this.#iState[ref] === FRESH) this.#iState[ref] = COMMITTED;
    }
    this.#created = [];
    if (this.#replaced.length > 0) this.#retired.push({ version, refs: this.#replaced });
    this.#replaced = [];
    this.#freeDropped();
  }

  /** Frees everything created since the last commit: the committed versions are as they were. */
  discard(): void {
    for (const ref of this.#created) if ((ref < 0 ? this.#lState[~ref] : this.#iState[ref]) === FRESH) this.#free(ref);
    this.#created = [];
    this.#replaced = [];
    this.#freeDropped();
  }

  #freeDropped(): void {
    for (const ref of this.#dropped) this.#free(ref);
    this.#dropped = [];
  }

  /** Frees the nodes no version from `oldest` on reaches (those replaced by versions <= oldest). */
  release(oldest: bigint): void {
    while (this.#retired.length > 0 && (this.#retired[0] as { version: bigint }).version <= oldest) {
      for (const ref of (this.#retired.shift() as { refs: Ref[] }).refs) this.#free(ref);
    }
  }

  #update(ref: Ref, ops: readonly TreeWrite[], lo: number, hi: number, ch: LeafChanged): Ref {
    if (lo >= hi) return ref;
    if (ref === EMPTY) {
      const items: Ref[] = [];
      for (let i = lo; i < hi; i++) {
        const op = ops[i] as TreeWrite;
        if (op.valueHash !== null) items.push(this.#newLeaf(op, ch));
      }
      return this.#build(items);
    }
    return ref < 0 ? this.#updateLeaf(ref, ops, lo, hi, ch) : this.#updateInner(ref, ops, lo, hi, ch);
  }

  #newLeaf(op: TreeWrite, ch: LeafChanged): Ref {
    ch(op.ks, undefined);
    return this.#makeLeaf(op.ks, op.path, leafDigest(op.path, op.valueHash as Uint8Array), FRESH);
  }

  #updateLeaf(ref: Ref, ops: readonly TreeWrite[], lo: number, hi: number, ch: LeafChanged): Ref {
    const i = ~ref;
    const items: Ref[] = [];
    let handled = false;
    for (let k = lo; k < hi; k++) {
      const op = ops[k] as TreeWrite;
      const c = comparePaths(op.path, this.#lPath, i * H);
      if (c === 0) {
        handled = true;
        const d = op.valueHash === null ? undefined : leafDigest(op.path, op.valueHash);
        if (d !== undefined && d === this.#lHash.toString('latin1', i * H, i * H + H)) {
          items.push(ref); // same value: the leaf stays
          continue;
        }
        ch(op.ks, this.#lState[i] === COMMITTED ? BigInt(this.#lVersion[i] as number) : undefined);
        this.#drop(ref);
        if (d !== undefined) items.push(this.#makeLeaf(op.ks, op.path, d, FRESH));
        continue;
      }
      if (c > 0 && !handled) {
        items.push(ref);
        handled = true;
      }
      if (op.valueHash !== null) items.push(this.#newLeaf(op, ch));
    }
    if (!handled) items.push(ref);
    if (items.length === 1 && items[0] === ref) return ref;
    return this.#build(items);
  }

  #updateInner(ref: Ref, ops: readonly TreeWrite[], lo: number, hi: number, ch: LeafChanged): Ref {
    // Writes routed here may fall outside this subtree's prefix; they diverge from it above `bit`
    // and end up as siblings of the whole subtree.
    const bit = this.#iBit[ref] as number;
    const first = this.#leftmost(ref) * H;
    let before: TreeWrite[] | undefined;
    let after: TreeWrite[] | undefined;
    let inLo = -1;
    let inHi = -1;
    for (let k = lo; k < hi; k++) {
      const op = ops[k] as TreeWrite;
      const d = firstDiffBit(op.path, this.#lPath, 0, first);
      if (d >= bit) {
        if (inLo < 0) inLo = k;
        inHi = k + 1;
      } else if (op.valueHash !== null) {
        // A delete outside the prefix names a key that is not in the tree: nothing to do.
        if (bitAt(op.path, d) === 0) (before ??= []).push(op);
        else (after ??= []).push(op);
      }
    }
    let sub = ref;
    if (inLo >= 0) {
      let mid = inLo;
      while (mid < inHi && bitAt((ops[mid] as TreeWrite).path, bit) === 0) mid++;
      const l0 = this.#iLeft[ref] as number;
      const r0 = this.#iRight[ref] as number;
      const l = this.#update(l0, ops, inLo, mid, ch);
      const r = this.#update(r0, ops, mid, inHi, ch);
      if (l !== l0 || r !== r0) {
        this.#drop(ref);
        // A side that emptied collapses the node: its sibling takes its place.
        sub = l === EMPTY ? r : r === EMPTY ? l : this.#makeInner(bit, l, r, FRESH);
      }
    }
    if (before === undefined && after === undefined) return sub;
    const items: Ref[] = [];
    for (const op of before ?? []) items.push(this.#newLeaf(op, ch));
    if (sub !== EMPTY) items.push(sub);
    for (const op of after ?? []) items.push(this.#newLeaf(op, ch));
    return this.#build(items);
  }

  /** The crit-bit tree over items in path order whose paths differ above any item's own split bit. */
  #build(items: readonly Ref[]): Ref {
    if (items.length === 0) return EMPTY;
    if (items.length === 1) return items[0] as Ref;
    const firsts = items.map((r) => this.#leftmost(r) * H);
    return this.#buildRange(items, firsts, 0, items.length);
  }

  #buildRange(items: readonly Ref[], firsts: readonly number[], lo: number, hi: number): Ref {
    if (hi - lo === 1) return items[lo] as Ref;
    const paths = this.#lPath;
    const bit = firstDiffBit(paths, paths, firsts[lo] as number, firsts[hi - 1] as number);
    let mid = lo + 1;
    while (bitAt(paths, bit, firsts[mid] as number) === 0) mid++;
    return this.#makeInner(bit, this.#buildRange(items, firsts, lo, mid), this.#buildRange(items, firsts, mid, hi), FRESH);
  }

  /** The leaf index of the leftmost leaf under `ref`: its path stands for the subtree's prefix. */
  #leftmost(ref: Ref): number {
    while (ref >= 0) ref = this.#iLeft[ref] as number;
    return ~ref;
  }

  // ---- nodes --------------------------------------------------------------------------------

  #makeLeaf(key: string | Uint8Array, path: Uint8Array, hash: string, state: number): Ref {
    let i = this.#lFree.pop();
    if (i === undefined) {
      if (this.#lUsed === this.#lState.length) this.#growLeaves(grownSize(this.#lUsed));
      i = this.#lUsed++;
    }
    this.#lState[i] = state;
    this.#lPath.set(path, i * H);
    this.#lHash.write(hash, i * H, 'latin1');
    this.#putKey(i, key);
    this.#lVersion[i] = 0;
    if (state === FRESH) this.#created.push(~i);
    return ~i;
  }

  #makeInner(bit: number, l: Ref, r: Ref, state: number): Ref {
    let i = this.#iFree.pop();
    if (i === undefined) {
      if (this.#iUsed === this.#iState.length) this.#growInner(grownSize(this.#iUsed));
      i = this.#iUsed++;
    }
    this.#iState[i] = state;
    this.#iBit[i] = bit;
    this.#iLeft[i] = l;
    this.#iRight[i] = r;
    scratch[0] = 1;
    this.#copyHash(l, 1);
    this.#copyHash(r, 1 + H);
    this.#iHash.write(oneShotHash('sha256', scratch, 'binary'), i * H, 'latin1');
    if (state === FRESH) this.#created.push(i);
    return i;
  }

  #copyHash(ref: Ref, at: number): void {
    if (ref < 0) this.#lHash.copy(scratch, at, ~ref * H, ~ref * H + H);
    else this.#iHash.copy(scratch, at, ref * H, ref * H + H);
  }

  /** A node left the working tree: freed after this block if only the working tree had it, else at release(). */
  #drop(ref: Ref): void {
    const states = ref < 0 ? this.#lState : this.#iState;
    const i = ref < 0 ? ~ref : ref;
    if (states[i] === FRESH) {
      states[i] = DROPPED;
      this.#dropped.push(ref);
    } else this.#replaced.push(ref);
  }

  #free(ref: Ref): void {
    if (ref < 0) {
      this.#lState[~ref] = FREE;
      this.#keysFreed += this.#lKeyLength[~ref] as number;
      this.#lFree.push(~ref);
    } else {
      this.#iState[ref] = FREE;
      this.#iFree.push(ref);
    }
  }

  #growLeaves(n: number): void {
    if (n <= this.#lState.length) return;
    this.#lHash = grownBuffer(this.#lHash, n * H);
    this.#lPath = grownBuffer(this.#lPath, n * H);
    this.#lVersion = grown(this.#lVersion, (k) => new Float64Array(k), n);
    this.#lKeyAt = grown(this.#lKeyAt, (k) => new Uint32Array(k), n);
    this.#lKeyLength = grown(this.#lKeyLength, (k) => new Uint32Array(k), n);
    this.#lState = grown(this.#lState, (k) => new Uint8Array(k), n);
  }

  /** Writes leaf i's key (its bytes, or latin1 text: a byte a char) into the arena, compacting or growing it first if full. */
  #putKey(i: number, key: string | Uint8Array): void {
    this.#lKeyLength[i] = 0; // a reused slot's old key is already counted as freed
    if (this.#keysUsed + key.length > this.#keys.length) {
      const live = this.#keysUsed - this.#keysFreed;
      const size = Math.max(1 << 16, Math.ceil((live + key.length) * 1.5));
      const keys = Buffer.allocUnsafeSlow(size);
      let used = 0;
      for (let j = 0; j < this.#lUsed; j++) {
        if (this.#lState[j] === FREE) continue;
        const at = this.#lKeyAt[j] as number;
        const length = this.#lKeyLength[j] as number;
        this.#keys.copy(keys, used, at, at + length);
        this.#lKeyAt[j] = used;
        used += length;
      }
      this.#keys = keys;
      this.#keysUsed = used;
      this.#keysFreed = 0;
    }
    this.#lKeyAt[i] = this.#keysUsed;
    this.#lKeyLength[i] = key.length;
    if (typeof key === 'string') this.#keys.write(key, this.#keysUsed, 'latin1');
    else this.#keys.set(key, this.#keysUsed);
    this.#keysUsed += key.length;
  }

  #growInner(n: number): void {
    if (n <= this.#iState.length) return;
    this.#iHash = grownBuffer(this.#iHash, n * H);
    this.#iLeft = grown(this.#iLeft, (k) => new Int32Array(k), n);
    this.#iRight = grown(this.#iRight, (k) => new Int32Array(k), n);
    this.#iBit = grown(this.#iBit, (k) => new Uint8Array(k), n);
    this.#iState = grown(this.#iState, (k) => new Uint8Array(k), n);
  }
}
