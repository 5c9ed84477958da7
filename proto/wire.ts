// Byte-level helpers of the hand-written encoders on hot paths (ABCI frames and responses in
// node/abci, a base account's bytes in modules/auth, the store's key codecs, and the patches of
// cosmjs-types here): unsigned varints (protobuf's, which are also Go's uvarint) of non-negative safe
// integers, and ASCII strings, whose UTF-8 bytes are their char codes, written and read as such.

/** Number of bytes `writeUvarint` uses for `n`. */
export function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Writes `n` (a non-negative safe integer) at `out[offset]`; returns the offset after it. */
export function writeUvarint(n: number, out: Uint8Array, offset: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot encode ${n} as a uvarint`);
  while (n >= 0x80) {
    out[offset++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[offset++] = n;
  return offset;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The largest integer a number holds exactly, as a bigint: the bound of the number fast paths. */
export const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Writes each char code of `s[start, end)` as one byte at `out[offset]` (a latin1 string's bytes; an
 * ASCII string's UTF-8); returns the offset after them.
 */
export function writeLatin1(s: string, out: Uint8Array, offset: number, start = 0, end = s.length): number {
  for (let i = start; i < end; i++) out[offset++] = s.charCodeAt(i);
  return offset;
}

// Buffer's own latin1 decoder, called on the Uint8Array itself: every store read and write makes a
// key string (several per layer), and the Buffer view toString() needs was ~2.5 % of the app thread
// under bank sends (53 vs 107 ns per 22–41-byte key). Node has had it since 0.x; if it ever goes, the
// view is used again.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

/** `bytes[start, end)` as a latin1 string, one char per byte (for ASCII bytes, their UTF-8 text too). */
export function latin1Text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return latin1Slice === undefined ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end) : latin1Slice.call(bytes, start, end);
}
