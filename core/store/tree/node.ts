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

import { StoreCorruptionError } from '../errors.ts';
import { T_NODE } from '../layout.ts';
import { sha256 } from '../../crypto/hash.ts';
import { fromKeyString, toKeyString } from '../bytes.ts';

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

/**
 * A persisted child that has not been loaded: enough to hash the parent without reading it, and,
 * for a leaf, its path, so that updates never read leaves (only proofs do).
 */
export interface NodeStub {
  readonly t: typeof STUB;
  readonly id: string;
  readonly hash: Uint8Array;
  /** The path when the child is a leaf; undefined when it is an inner node. */
  readonly leafPath: Uint8Array | undefined;
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
  return sha256(scratch);
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  scratch[0] = 1;
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_BYTES);
  return sha256(scratch);
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

/** The LevelDB key of node (version, seq): 'N' version(8) seq(4). Its id is the 12 bytes after 'N'. */
export function nodeKey(version: bigint, seq: number): Buffer {
  const b = Buffer.allocUnsafe(1 + ID_BYTES);
  b[0] = T_NODE;
  b.writeBigUInt64BE(version, 1);
  b.writeUInt32BE(seq, 9);
  return b;
}

/** The LevelDB key of the node with `id`: 'N' id, in one allocation. */
export function idKey(id: string): Buffer {
  const b = Buffer.allocUnsafe(1 + ID_BYTES);
  b[0] = T_NODE;
  b.write(id, 1, 'latin1');
  return b;
}

export function idVersion(id: string): bigint {
  return Buffer.from(id, 'latin1').readBigUInt64BE(0);
}

export function idBytes(id: string): Buffer {
  return Buffer.from(id, 'latin1');
}

/** Ids back to back, 12 bytes each: one join, as a block's orphans can outnumber what a spread of arguments may pass (~120k). */
export function idsBytes(ids: readonly string[]): Buffer {
  return Buffer.from(ids.join(''), 'latin1');
}

// ---- encoding -------------------------------------------------------------------------------
//   leaf:  0x00 path(32) valueHash(32) key
//   inner: 0x01 bit(1) prefix(32) child child
//   child: hash(32) id(12) 0x00 path(32)   a leaf
//          hash(32) id(12) 0x01            an inner node
// A node's own hash is stored by whoever points at it (its parent, or the version record).

const CHILD_INNER_BYTES = HASH_BYTES + ID_BYTES + 1;
const CHILD_LEAF_BYTES = CHILD_INNER_BYTES + HASH_BYTES;

/** The persisted reference to a child. */
export function toStub(c: Child): NodeStub {
  if (c.t === STUB) return c;
  if (c.id === undefined) throw new Error('a child must be persisted before its parent is encoded');
  return { t: STUB, id: c.id, hash: c.hash, leafPath: c.t === LEAF ? c.path : undefined };
}

function childBytes(c: NodeStub): number {
  return c.leafPath === undefined ? CHILD_INNER_BYTES : CHILD_LEAF_BYTES;
}

function writeChild(out: Buffer, o: number, c: NodeStub): number {
  out.set(c.hash, o);
  out.write(c.id, o + HASH_BYTES, 'latin1');
  o += HASH_BYTES + ID_BYTES;
  if (c.leafPath === undefined) {
    out[o] = INNER;
    return o + 1;
  }
  out[o] = LEAF;
  out.set(c.leafPath, o + 1);
  return o + 1 + HASH_BYTES;
}

function readChild(s: string, o: number): [NodeStub, number] | undefined {
  if (o + CHILD_INNER_BYTES > s.length) return undefined;
  const hash = fromKeyString(s, o, o + HASH_BYTES);
  const id = s.slice(o + HASH_BYTES, o + HASH_BYTES + ID_BYTES);
  const kind = s.charCodeAt(o + HASH_BYTES + ID_BYTES);
  if (kind === INNER) return [{ t: STUB, id, hash, leafPath: undefined }, o + CHILD_INNER_BYTES];
  if (kind !== LEAF || o + CHILD_LEAF_BYTES > s.length) return undefined;
  return [{ t: STUB, id, hash, leafPath: fromKeyString(s, o + CHILD_INNER_BYTES, o + CHILD_INNER_BYTES + HASH_BYTES) }, o + CHILD_LEAF_BYTES];
}

export function encodeNode(node: TreeNode): Uint8Array {
  if (node.t === LEAF) {
    const out = Buffer.allocUnsafe(1 + 2 * HASH_BYTES + node.key.length);
    out[0] = LEAF;
    out.set(node.path, 1);
    out.set(node.valueHash, 1 + HASH_BYTES);
    out.set(node.key, 1 + 2 * HASH_BYTES);
    return out;
  }
  const l = toStub(node.l);
  const r = toStub(node.r);
  const out = Buffer.allocUnsafe(2 + HASH_BYTES + childBytes(l) + childBytes(r));
  out[0] = INNER;
  out[1] = node.bit;
  out.set(node.prefix, 2);
  writeChild(out, writeChild(out, 2 + HASH_BYTES, l), r);
  return out;
}

/**
 * A node from its encoding as latin1 text (`toKeyString` of the stored bytes), which is also how the
 * commit store's node cache keeps it: one string of V8's heap a node, where a decoded node with its
 * two child references held ~1 KiB in ~10 objects, views and a native block (bench/README.md,
 * "Fourteenth round"). Every field is a fresh array, so a node kept by the working tree keeps no
 * larger buffer alive.
 */
export function decodeNode(id: string, hash: Uint8Array, s: string): TreeNode {
  const kind = s.charCodeAt(0);
  if (kind === LEAF && s.length > 1 + 2 * HASH_BYTES) {
    const path = fromKeyString(s, 1, 1 + HASH_BYTES);
    const valueHash = fromKeyString(s, 1 + HASH_BYTES, 1 + 2 * HASH_BYTES);
    const key = fromKeyString(s, 1 + 2 * HASH_BYTES);
    return { t: LEAF, key, path, valueHash, hash, id };
  }
  if (kind === INNER && s.length > 2 + HASH_BYTES) {
    const l = readChild(s, 2 + HASH_BYTES);
    const r = l === undefined ? undefined : readChild(s, l[1]);
    if (l !== undefined && r !== undefined && r[1] === s.length) {
      return { t: INNER, bit: s.charCodeAt(1), prefix: fromKeyString(s, 2, 2 + HASH_BYTES), hash, id, l: l[0], r: r[0] };
    }
  }
  throw new StoreCorruptionError(`malformed tree node ${Buffer.from(id, 'latin1').toString('hex')}`);
}

// ---- version records ------------------------------------------------------------------------

/** 'V' record: the root of a version as a child reference, or empty for the empty tree. */
export function encodeRoot(root: Child | null): Uint8Array {
  if (root === null) return new Uint8Array(0);
  const stub = toStub(root);
  const out = Buffer.allocUnsafe(childBytes(stub));
  writeChild(out, 0, stub);
  return out;
}

export function decodeRoot(v: Uint8Array): NodeStub | null {
  if (v.length === 0) return null;
  const c = readChild(toKeyString(v), 0);
  if (c === undefined || c[1] !== v.length) throw new StoreCorruptionError('malformed version record');
  return c[0];
}
