// State-sync snapshot format 1: the whole state at one height as its (key, value) pairs in key
// order, cut into chunks of at most CHUNK_TARGET bytes (a pair is never split, so one huge value
// makes one larger chunk). A chunk is a run of `uvarint(len) key uvarint(len) value`.
//
// What a restoring node trusts: CometBFT's light client gives it the app hash of the height; the
// snapshot's metadata lists the sha256 of every chunk, and its hash is sha256(metadata). A chunk is
// checked against its listed hash before it is used (a peer serving a bad chunk is refused and the
// chunk fetched from another), and the restored state's root must equal the trusted app hash (a
// snapshot that is self-consistent but false is refused as a whole). The format is deterministic:
// every node with the same state and chunk size makes byte-identical snapshots with the same hash,
// so CometBFT can fetch chunks of one snapshot from many peers.
import { sha256 } from '../../core/crypto/hash.ts';
import { compareBytes as compare, equalBytes as equal } from '../../core/store/bytes.ts';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../../core/store/validate.ts';
import type { Entry } from '../../core/store/types.ts';

export const SNAPSHOT_FORMAT = 1;
/** 4 MiB: well under CometBFT's 16 MB chunk message, few enough chunks for a large state. */
export const CHUNK_TARGET = 4 * 1024 * 1024;
/** A snapshot's chunk count is bounded so its metadata (32 bytes per chunk) stays small. */
export const MAX_CHUNKS = 100_000;
const HASH_BYTES = 32;

export interface SnapshotInfo {
  readonly height: bigint;
  readonly format: number;
  readonly chunks: number;
  /** sha256(metadata). */
  readonly hash: Uint8Array;
  /** The chunks' sha256 hashes, concatenated. */
  readonly metadata: Uint8Array;
}

export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
}

export function chunkHash(chunk: Uint8Array): Uint8Array {
  return sha256(chunk);
}

export function snapshotHash(metadata: Uint8Array): Uint8Array {
  return sha256(metadata);
}

/** The chunk hashes a snapshot's metadata lists, after checking it agrees with its count and hash. */
export function chunkHashes(s: Pick<SnapshotInfo, 'chunks' | 'hash' | 'metadata'>): Uint8Array[] {
  if (!Number.isInteger(s.chunks) || s.chunks < 1 || s.chunks > MAX_CHUNKS) throw new SnapshotFormatError(`a snapshot has 1 to ${MAX_CHUNKS} chunks, this one says ${s.chunks}`);
  if (s.metadata.length !== s.chunks * HASH_BYTES) throw new SnapshotFormatError(`metadata of ${s.metadata.length} bytes does not list ${s.chunks} chunk hashes`);
  if (!equal(snapshotHash(s.metadata), s.hash)) throw new SnapshotFormatError('snapshot hash is not the hash of its metadata');
  const out: Uint8Array[] = [];
  for (let i = 0; i < s.chunks; i++) out.push(s.metadata.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
  return out;
}

/** Cuts the pairs (in key order) into chunks; yields each chunk as it fills. */
export async function* encodeChunks(entries: AsyncIterable<Entry>, target = CHUNK_TARGET): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  for await (const [key, value] of entries) {
    const pair = [uvarint(key.length), key, uvarint(value.length), value];
    const pairSize = pair.reduce((n, p) => n + p.length, 0);
    if (size > 0 && size + pairSize > target) {
      yield concat(parts, size);
      parts = [];
      size = 0;
    }
    parts.push(...pair);
    size += pairSize;
  }
  // An empty state still makes one (empty) chunk: a snapshot always has at least one.
  yield concat(parts, size);
}

/**
 * The pairs of one chunk, checked: sizes within the store's limits and keys strictly ascending,
 * also across chunks (`after` is the last key of the previous chunk), so no key appears twice.
 */
export function decodeChunk(chunk: Uint8Array, after: Uint8Array | undefined): Entry[] {
  const out: Entry[] = [];
  let pos = 0;
  let last = after;
  const read = (max: number, what: string): Uint8Array => {
    let len = 0;
    let shift = 0;
    for (;;) {
      if (pos >= chunk.length) throw new SnapshotFormatError(`chunk ends inside a ${what} length`);
      const b = chunk[pos++]!;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
      if (shift > 28) throw new SnapshotFormatError(`${what} length is too long`);
    }
    if (len < 1 || len > max) throw new SnapshotFormatError(`${what} of ${len} bytes is outside 1..${max}`);
    if (pos + len > chunk.length) throw new SnapshotFormatError(`chunk ends inside a ${what}`);
    const bytes = chunk.slice(pos, pos + len);
    pos += len;
    return bytes;
  };
  while (pos < chunk.length) {
    const key = read(MAX_KEY_BYTES, 'key');
    const value = read(MAX_VALUE_BYTES, 'value');
    if (last !== undefined && compare(key, last) <= 0) throw new SnapshotFormatError('keys are not in strictly ascending order');
    out.push([key, value]);
    last = key;
  }
  return out;
}

function uvarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
