// Tree nodes, their hashes (ICS23 smtSpec) and their encoding in LevelDB.
//
//   leaf  hash = sha256(0x00 || path || sha256(value)),  path = sha256(key)
//   inner hash = sha256(0x01 || left hash || right hash)
//   empty tree = 32 zero bytes
//
// An inner node splits on `bit` (0 = most significant bit of the path); every leaf under it shares
// the path bits before `bit`, which `prefix` (the path of some leaf below) records for routing.
// Neither bit nor prefix is hashed: they follow from the set of paths, so the root commits only
// to the sorted leaves.

import { hash as oneShotHash } from 'node:crypto';
import { StoreCorruptionError } from '../errors.ts';

export const LEAF = 0;
export const INNER = 1;
export const STUB = 2;

export interface LeafNode {
  readonly t: typeof LEAF;
  /** The store key (needed to read the value when this leaf is a proof's neighbour). */
  readonly key: Uint8Array;
  readonly path: Uint8Array;
  readonly valueHash: Uint8Array;
  readonly hash: Uint8Array;
  /** Node id once persisted (12 bytes as a latin1 string); undefined while only in memory. */
  id: string | undefined;
}

export interface InnerNode {
  readonly t: typeof INNER;
  readonly bit: number;
  readonly prefix: Uint8Array;
  readonly hash: Uint8Array;
  id: string | undefined;
  // Replaced by stubs after a commit so that persisted nodes are reachable only through the cache.
  l: Child;
  r: Child;
}

/** A persisted child that has not been loaded: enough to hash the parent without reading it. */
export interface NodeStub {
  readonly t: typeof STUB;
  readonly id: string;
  readonly hash: Uint8Array;
}

export type TreeNode = LeafNode | InnerNode;
export type Child = TreeNode | NodeStub;

export const HASH_BYTES = 32;
export const ID_BYTES = 12;
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

const scratch = Buffer.alloc(1 + 2 * HASH_BYTES);

export function leafHash(path: Uint8Array, valueHash: Uint8Array): Uint8Array {
  scratch[0] = 0;
  scratch.set(path, 1);
  scratch.set(valueHash, 1 + HASH_BYTES);
  return oneShotHash('sha256', scratch, 'buffer');
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  scratch[0] = 1;
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_BYTES);
  return oneShotHash('sha256', scratch, 'buffer');
}

export function makeLeaf(key: Uint8Array, path: Uint8Array, valueHash: Uint8Array): LeafNode {
  return { t: LEAF, key, path, valueHash, hash: leafHash(path, valueHash), id: undefined };
}

export function makeInner(bit: number, prefix: Uint8Array, l: Child, r: Child): InnerNode {
  return { t: INNER, bit, prefix, hash: innerHash(l.hash, r.hash), id: undefined, l, r };
}

/** Bit `i` of a 32-byte path, most significant first. */
export function bitAt(path: Uint8Array, i: number): number {
  return ((path[i >> 3] as number) >> (7 - (i & 7))) & 1;
}

/** Index of the first bit where two paths differ, or 256 if equal. */
export function firstDiffBit(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < HASH_BYTES; i++) {
    const x = (a[i] as number) ^ (b[i] as number);
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return 256;
}

// ---- ids ------------------------------------------------------------------------------------

export function nodeId(version: bigint, seq: number): string {
  const b = Buffer.alloc(ID_BYTES);
  b.writeBigUInt64BE(version, 0);
  b.writeUInt32BE(seq, 8);
  return b.toString('latin1');
}

export function idVersion(id: string): bigint {
  return Buffer.from(id, 'latin1').readBigUInt64BE(0);
}

export function idBytes(id: string): Buffer {
  return Buffer.from(id, 'latin1');
}

// ---- encoding -------------------------------------------------------------------------------
//   leaf:  0x00 path(32) valueHash(32) key
//   inner: 0x01 bit(1) prefix(32) leftHash(32) leftId(12) rightHash(32) rightId(12)
// A node's own hash is stored by whoever points at it (its parent, or the version record).

const INNER_BYTES = 2 + HASH_BYTES + 2 * (HASH_BYTES + ID_BYTES);

export function encodeNode(node: TreeNode): Uint8Array {
  if (node.t === LEAF) {
    const out = Buffer.alloc(1 + 2 * HASH_BYTES + node.key.length);
    out[0] = LEAF;
    out.set(node.path, 1);
    out.set(node.valueHash, 1 + HASH_BYTES);
    out.set(node.key, 1 + 2 * HASH_BYTES);
    return out;
  }
  const out = Buffer.alloc(INNER_BYTES);
  out[0] = INNER;
  out[1] = node.bit;
  out.set(node.prefix, 2);
  let o = 2 + HASH_BYTES;
  for (const c of [node.l, node.r]) {
    if (c.id === undefined) throw new Error('a child must be persisted before its parent is encoded');
    out.set(c.hash, o);
    out.write(c.id, o + HASH_BYTES, 'latin1');
    o += HASH_BYTES + ID_BYTES;
  }
  return out;
}

export function decodeNode(id: string, hash: Uint8Array, v: Uint8Array): TreeNode {
  const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (b[0] === LEAF && b.length > 1 + 2 * HASH_BYTES) {
    // Copies: the node outlives the buffer LevelDB handed us and sits in the cache.
    const path = copy(b, 1, 1 + HASH_BYTES);
    const valueHash = copy(b, 1 + HASH_BYTES, 1 + 2 * HASH_BYTES);
    const key = copy(b, 1 + 2 * HASH_BYTES, b.length);
    return { t: LEAF, key, path, valueHash, hash, id };
  }
  if (b[0] === INNER && b.length === INNER_BYTES) {
    const prefix = copy(b, 2, 2 + HASH_BYTES);
    const child = (o: number): NodeStub => ({
      t: STUB,
      hash: copy(b, o, o + HASH_BYTES),
      id: b.toString('latin1', o + HASH_BYTES, o + HASH_BYTES + ID_BYTES),
    });
    return { t: INNER, bit: b[1] as number, prefix, hash, id, l: child(2 + HASH_BYTES), r: child(2 + 2 * HASH_BYTES + ID_BYTES) };
  }
  throw new StoreCorruptionError(`malformed tree node ${Buffer.from(id, 'latin1').toString('hex')}`);
}

function copy(b: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(b.subarray(start, end));
}

// ---- version records ------------------------------------------------------------------------

/** 'V' record: the root of a version, or empty for the empty tree. */
export function encodeRoot(root: Child | null): Uint8Array {
  if (root === null) return new Uint8Array(0);
  if (root.id === undefined) throw new Error('root must be persisted');
  const out = Buffer.alloc(ID_BYTES + HASH_BYTES);
  out.write(root.id, 0, 'latin1');
  out.set(root.hash, ID_BYTES);
  return out;
}

export function decodeRoot(v: Uint8Array): NodeStub | null {
  if (v.length === 0) return null;
  if (v.length !== ID_BYTES + HASH_BYTES) throw new StoreCorruptionError('malformed version record');
  const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return { t: STUB, id: b.toString('latin1', 0, ID_BYTES), hash: copy(b, ID_BYTES, b.length) };
}

