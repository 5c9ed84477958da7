// Byte helpers shared by the store. Keys are also handled as latin1 strings: one char per byte,
// so JavaScript string order is byte order and Map lookups work on content.

import { latin1Text, writeLatin1 } from '../../proto/wire.ts';

export const EMPTY = new Uint8Array(0);

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plain Uint8Array view of the same memory (no copy), so callers never receive a Buffer. */
export function asView(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `bytes[start, end)` as a latin1 string, one char per byte (also the cache key of txs, accounts, addresses). */
export const toKeyString: (bytes: Uint8Array, start?: number, end?: number) => string = latin1Text;

/** The bytes of `s[start, end)`, a key string (toKeyString's inverse), in a fresh array of V8's own
 * heap: a Buffer's would share an 8 KiB pool block with others and keep all of it alive while the key
 * is kept. */
export function fromKeyString(s: string, start = 0, end = s.length): Uint8Array {
  const out = new Uint8Array(end - start);
  writeLatin1(s, out, 0, start, end);
  return out;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  // Short keys are the common case; a plain loop avoids creating Buffer views per comparison.
  if (n > 64) return Buffer.compare(asBuffer(a), asBuffer(b));
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const U64_MAX = (1n << 64n) - 1n;

export function writeU64(out: Uint8Array, offset: number, v: bigint): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setBigUint64(offset, v);
}

export function readU64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}

export function u64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  writeU64(out, 0, v);
  return out;
}

/** The smallest byte string greater than every string that starts with `prefix`, or undefined if none exists (all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const b = prefix[i] as number;
    if (b !== 0xff) {
      const out = prefix.slice(0, i + 1);
      out[i] = b + 1;
      return out;
    }
  }
  return undefined;
}
