// Hashes used by consensus code: SHA-256 (sign bytes, tx hashes, app state) and RIPEMD-160
// (account addresses). Both come from node:crypto, whose OpenSSL is several times faster than
// pure JS on the sizes we hash (see README.md for the figures).

import { hash } from 'node:crypto';

/** SHA-256 of `data` as a fresh 32-byte Uint8Array (not a Buffer, so `toEqual` and `.buffer` behave). */
export function sha256(data: Uint8Array): Uint8Array {
  return toPlainBytes(hash('sha256', assertBytes(data), 'buffer'));
}

/**
 * RIPEMD-160 of `data` (20 bytes). OpenSSL 3 moved RIPEMD-160 to its default provider in 3.0.7;
 * the Node binary we ship with (OpenSSL 3.5) has it. A Node built against an OpenSSL without it
 * throws here on first use rather than deriving a different address.
 */
export function ripemd160(data: Uint8Array): Uint8Array {
  return toPlainBytes(hash('ripemd160', assertBytes(data), 'buffer'));
}

function assertBytes(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('expected a Uint8Array');
  return data;
}

// crypto.hash returns an unpooled Buffer that owns its ArrayBuffer, so a view costs nothing and
// shares memory with nobody; copy only if a future Node hands out a slice of a shared pool.
function toPlainBytes(buf: Buffer): Uint8Array {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  return new Uint8Array(buf);
}
