// Unsigned varints (protobuf's, which are also Go's uvarint) of non-negative safe integers, written in
// place. The hand-written encoders on hot paths share them: ABCI frames and responses
// (node/abci), a base account's bytes (modules/auth) and cosmjs-types' 64-bit fields (cosmjs-int64.ts).

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
