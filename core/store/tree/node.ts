// What the state tree hashes and how it routes (ICS23 smtSpec):
//
//   leaf  hash = sha256(0x00 || path || sha256(value)),  path = sha256(key)
//   inner hash = sha256(0x01 || left hash || right hash)
//   empty tree = 32 zero bytes
//
// Paths are read bit by bit, most significant first.

import { hash as oneShotHash } from 'node:crypto';
import { fromKeyString } from '../bytes.ts';

export const HASH_BYTES = 32;
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

const scratch = Buffer.alloc(1 + 2 * HASH_BYTES);

/**
 * A leaf's hash as latin1 text (one char a byte): the tree writes it straight into its arrays, where a
 * 'buffer' digest would be a native block a hash (core/crypto/hash.ts says why that is ~4× slower).
 */
export function leafDigest(path: Uint8Array, valueHash: Uint8Array): string {
  scratch[0] = 0;
  scratch.set(path, 1);
  scratch.set(valueHash, 1 + HASH_BYTES);
  return oneShotHash('sha256', scratch, 'binary');
}

export function leafHash(path: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return fromKeyString(leafDigest(path, valueHash));
}

/** Bit `i` of the 32-byte path at offset `o` of `p`. */
export function bitAt(p: Uint8Array, i: number, o = 0): number {
  return ((p[o + (i >> 3)] as number) >> (7 - (i & 7))) & 1;
}

/** Index of the first bit where the paths at `ao` in `a` and `bo` in `b` differ, or 256 if equal. */
export function firstDiffBit(a: Uint8Array, b: Uint8Array, ao = 0, bo = 0): number {
  for (let i = 0; i < HASH_BYTES; i++) {
    const x = (a[ao + i] as number) ^ (b[bo + i] as number);
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return 256;
}
