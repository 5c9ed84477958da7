// Fixed-width big-endian encodings and strict decimal amounts, shared by the receipt sign-bytes and
// the Merkle-sum tree. Everything here is deterministic and throws RangeError on out-of-range input.
export const U64_MAX = 2n ** 64n - 1n;
export const U128_MAX = 2n ** 128n - 1n;
export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A u32 big-endian length, then the bytes: keeps a concatenation of variable fields injective. */
export function lp(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

export function u32(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new RangeError(`${n} is not a u32`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

export function u64(n: bigint): Uint8Array {
  if (n < 0n || n > U64_MAX) throw new RangeError(`${n} is not a u64`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

export function i64(n: bigint): Uint8Array {
  if (n < I64_MIN || n > I64_MAX) throw new RangeError(`${n} is not an i64`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, n);
  return out;
}

export function u128(n: bigint): Uint8Array {
  if (n < 0n || n > U128_MAX) throw new RangeError(`${n} is not a u128`);
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, n >> 64n);
  view.setBigUint64(8, n & U64_MAX);
  return out;
}

/** A canonical non-negative decimal integer below 2^128 ("007", "-1", "1e3" and "" are refused). */
export function parseU128(text: string, what = 'amount'): bigint {
  if (typeof text !== 'string' || !DECIMAL.test(text)) throw new RangeError(`${what} "${String(text)}" is not a non-negative integer`);
  if (text.length > 39) throw new RangeError(`${what} ${text} does not fit in 128 bits`);
  const n = BigInt(text);
  if (n > U128_MAX) throw new RangeError(`${what} ${text} does not fit in 128 bits`);
  return n;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Byte-wise order (what the store and receipt ids sort by); native, since batches sort 100k ids. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
