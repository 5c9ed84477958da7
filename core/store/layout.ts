// Where everything lives in the one LevelDB keyspace. One byte per table:
//
//   'M'                                  -> meta: format, last height, earliest retained height, retained count, app hash
//   'L' key                              -> version(8) value              latest state (current reads, ordered iteration), with the version that wrote it
//   'H' esc(key) 0x00 0x00 ~version(8)   -> 0x01 value | 0x00 (deleted)   MVCC history, newest version first per key
//   'V' version(8)                       -> root hash(32)                 one per retained version (zeros: the empty tree)
//   'C' version(8)                       -> keys version v changed, each with the version of the entry it superseded
//   'F'                                  -> present only while a first commit is being written in pieces
//
// esc() maps 0x00 to 0x00 0xff and ends the key with 0x00 0x00: it keeps byte order, no escaped key
// is a prefix of another, and the escaped body of a prefix is a prefix of every escaped key under it.
// ~version is 2^64-1-version, so one forward seek to esc(key)++~h lands on the newest entry <= h.

import { concatBytes, readU64, U64_MAX, writeU64 } from './bytes.ts';
import { StoreCorruptionError } from './errors.ts';

export const T_META = 0x4d; // 'M'
export const T_LATEST = 0x4c; // 'L'
export const T_HISTORY = 0x48; // 'H'
export const T_VERSION = 0x56; // 'V'
export const T_CHANGES = 0x43; // 'C'

export const META_KEY = Uint8Array.of(T_META);
/** Written with the first piece of a first commit and deleted with its meta: marks an interrupted one. */
export const FIRST_COMMIT_KEY = Uint8Array.of(0x46); // 'F'
/**
 * 2: the tree lives in memory and is rebuilt from the latest table at open (no 'N' node or 'O'
 * orphan records; latest values carry their version). A format-1 folder is refused with what to do.
 */
const FORMAT = 2;

/** The exclusive upper bound of a whole table. */
export function tableEnd(table: number): Uint8Array {
  return Uint8Array.of(table + 1);
}

export function tableKey(table: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = table;
  out.set(body, 1);
  return out;
}

export function versionedKey(table: number, version: bigint): Uint8Array {
  const out = new Uint8Array(9);
  out[0] = table;
  writeU64(out, 1, version);
  return out;
}

/** 'L' value: the version that wrote it, then the value. */
export function encodeLatestValue(version: bigint, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + value.length);
  writeU64(out, 0, version);
  out.set(value, 8);
  return out;
}

export function latestVersion(v: Uint8Array): bigint {
  if (v.length < 8) throw new StoreCorruptionError('malformed latest value');
  return readU64(v, 0);
}

/** The value of an 'L' entry: a view of it, and a plain Uint8Array even where LevelDB handed a Buffer. */
export function latestValue(v: Uint8Array): Uint8Array {
  if (v.length < 8) throw new StoreCorruptionError('malformed latest value');
  return new Uint8Array(v.buffer, v.byteOffset + 8, v.length - 8);
}

// ---- key escaping -------------------------------------------------------------------------

/** The escaped bytes of `key` without the terminator (also the scan prefix for keys starting with `key`). */
export function escapeBody(key: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const b of key) if (b === 0) zeros++;
  const out = new Uint8Array(key.length + zeros);
  let o = 0;
  for (const b of key) {
    out[o++] = b;
    if (b === 0) out[o++] = 0xff;
  }
  return out;
}

/** Inverse of escapeBody for a complete body. */
export function unescapeBody(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length);
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i] as number;
    out[o++] = b;
    if (b === 0) {
      if (body[i + 1] !== 0xff) throw new StoreCorruptionError('bad escape in a history key');
      i++;
    }
  }
  return out.subarray(0, o);
}

// ---- history ------------------------------------------------------------------------------

const HISTORY_SUFFIX = 10; // terminator (2) + inverted version (8)

/** 'H' esc(key) 00 00 ~version */
export function historyKey(key: Uint8Array, version: bigint): Uint8Array {
  const body = escapeBody(key);
  const out = new Uint8Array(1 + body.length + HISTORY_SUFFIX);
  out[0] = T_HISTORY;
  out.set(body, 1);
  writeU64(out, 1 + body.length + 2, U64_MAX - version);
  return out;
}

/** The bytes shared by every history entry of `key` ('H' esc(key) 00 00). */
export function historyGroup(key: Uint8Array): Uint8Array {
  const body = escapeBody(key);
  const out = new Uint8Array(body.length + 3);
  out[0] = T_HISTORY;
  out.set(body, 1);
  return out;
}

/** Exclusive upper bound of every history entry of `key`. */
export function historyGroupEnd(key: Uint8Array): Uint8Array {
  const g = historyGroup(key);
  g[g.length - 1] = 0x01;
  return g;
}

/** Bound for history scans: every entry of every key >= `bound` sorts at or after this. */
export function historyBound(bound: Uint8Array): Uint8Array {
  return tableKey(T_HISTORY, escapeBody(bound));
}

/** Splits a history entry key into its group bytes (for cheap same-key checks) and version. */
export function splitHistoryKey(k: Uint8Array): { group: Uint8Array; version: bigint } {
  if (k.length < 1 + HISTORY_SUFFIX || k[k.length - 10] !== 0 || k[k.length - 9] !== 0) {
    throw new StoreCorruptionError('malformed history key');
  }
  return { group: k.subarray(0, k.length - 8), version: U64_MAX - readU64(k, k.length - 8) };
}

/** The user key of a history group. */
export function groupKey(group: Uint8Array): Uint8Array {
  return unescapeBody(group.subarray(1, group.length - 2));
}

/** The first byte of a history value that sets the key (0 alone: a delete). */
export const HISTORY_SET = Uint8Array.of(1);

export function encodeHistoryValue(value: Uint8Array | null): Uint8Array {
  return value === null ? Uint8Array.of(0) : concatBytes(HISTORY_SET, value);
}

export function decodeHistoryValue(v: Uint8Array): Uint8Array | undefined {
  if (v[0] === 0 && v.length === 1) return undefined;
  if (v[0] !== 1 || v.length < 2) throw new StoreCorruptionError('malformed history value');
  return v.subarray(1);
}

// ---- meta ---------------------------------------------------------------------------------

export interface Meta {
  readonly height: bigint;
  readonly earliest: bigint;
  /** How many versions are retained (drives the pruning schedule). */
  readonly retained: bigint;
  readonly appHash: Uint8Array;
}

export function encodeMeta(m: Meta): Uint8Array {
  const out = new Uint8Array(1 + 24 + 32);
  out[0] = FORMAT;
  writeU64(out, 1, m.height);
  writeU64(out, 9, m.earliest);
  writeU64(out, 17, m.retained);
  out.set(m.appHash, 25);
  return out;
}

export function decodeMeta(v: Uint8Array): Meta {
  if (v.length === 57 && v[0] === 1) {
    throw new StoreCorruptionError(
      'this data folder was written by an older Cairn (store format 1, a tree node per LevelDB record); this version keeps the tree in memory (format 2): restore the folder from a state-sync snapshot or replay the chain from genesis (docs/validator-guide.md, "Upgrading")',
    );
  }
  if (v.length !== 57 || v[0] !== FORMAT) throw new StoreCorruptionError('unknown store metadata format');
  return { height: readU64(v, 1), earliest: readU64(v, 9), retained: readU64(v, 17), appHash: v.slice(25, 57) };
}

// ---- changesets ---------------------------------------------------------------------------

/** One key changed by a version, with what pruning needs to delete its superseded history. */
export interface Change {
  readonly key: Uint8Array;
  /** Version of the history entry this change superseded (the key's previous value), if any. */
  readonly prev: bigint | undefined;
  readonly deleted: boolean;
}

export function encodeChanges(changes: readonly Change[]): Uint8Array {
  let n = 0;
  for (const c of changes) n += 1 + (c.prev === undefined ? 0 : 8) + 4 + c.key.length;
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const c of changes) {
    out[o++] = (c.deleted ? 1 : 0) | (c.prev === undefined ? 0 : 2);
    if (c.prev !== undefined) {
      dv.setBigUint64(o, c.prev);
      o += 8;
    }
    dv.setUint32(o, c.key.length);
    o += 4;
    out.set(c.key, o);
    o += c.key.length;
  }
  return out;
}

export function decodeChanges(v: Uint8Array): Change[] {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const out: Change[] = [];
  let o = 0;
  while (o < v.length) {
    const flags = v[o++] as number;
    let prev: bigint | undefined;
    if ((flags & 2) !== 0) {
      prev = dv.getBigUint64(o);
      o += 8;
    }
    const len = dv.getUint32(o);
    o += 4;
    if (o + len > v.length) throw new StoreCorruptionError('truncated changeset');
    out.push({ key: v.subarray(o, o + len), prev, deleted: (flags & 1) !== 0 });
    o += len;
  }
  return out;
}

