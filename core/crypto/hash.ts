// Hashes used by consensus code: SHA-256 (sign bytes, tx hashes, app state) and RIPEMD-160
// (account addresses). Both come from node:crypto, whose OpenSSL is several times faster than
// pure JS on the sizes we hash (see README.md for the figures).

import { hash } from 'node:crypto';
import { writeLatin1 } from '../../proto/wire.ts';

/** SHA-256 of `data` as a fresh 32-byte Uint8Array (not a Buffer, so `toEqual` and `.buffer` behave). */
export function sha256(data: Uint8Array): Uint8Array {
  return digest('sha256', data, 32);
}

/**
 * RIPEMD-160 of `data` (20 bytes). OpenSSL 3 moved RIPEMD-160 to its default provider in 3.0.7;
 * the Node binary we ship with (OpenSSL 3.5) has it. A Node built against an OpenSSL without it
 * throws here on first use rather than deriving a different address.
 */
export function ripemd160(data: Uint8Array): Uint8Array {
  return digest('ripemd160', data, 20);
}

// The digest as a latin1 ('binary') string, one char per byte, written into a fresh array: about 4×
// faster than asking for a Buffer (0.36 against 1.46 µs for a tree node's 65 bytes, most of a
// Buffer's cost being its native block), and the bytes live in V8's own heap, which compacts. A
// kept Buffer digest costs ~250 B more of native memory (bench/README.md, "Thirteenth round").
function digest(algorithm: 'sha256' | 'ripemd160', data: Uint8Array, size: number): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('expected a Uint8Array');
  const text = hash(algorithm, data, 'binary');
  const out = new Uint8Array(size);
  writeLatin1(text, out, 0);
  return out;
}
