// Input checks at the store boundary: TypeError for the wrong kind, RangeError for a bad value.

import { compareBytes, prefixEnd } from './bytes.ts';
import type { Range } from './types.ts';

/** Largest key the store accepts (64 KiB). */
export const MAX_KEY_BYTES = 64 * 1024;
/** Largest value the store accepts (16 MiB); a block's state writes should never come close. */
export const MAX_VALUE_BYTES = 16 * 1024 * 1024;

export function assertKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new TypeError('store key must be a Uint8Array');
  if (key.length === 0) throw new RangeError('store key must not be empty');
  if (key.length > MAX_KEY_BYTES) throw new RangeError(`store key is ${key.length} bytes; the limit is ${MAX_KEY_BYTES}`);
}

export function assertValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError('store value must be a Uint8Array');
  if (value.length === 0) throw new RangeError('store value must not be empty: delete the key instead');
  if (value.length > MAX_VALUE_BYTES) {
    throw new RangeError(`store value is ${value.length} bytes; the limit is ${MAX_VALUE_BYTES}`);
  }
}

/** A Range reduced to one half-open interval [lo, hi) plus direction and limit. */
export interface Bounds {
  readonly lo: Uint8Array | undefined;
  readonly hi: Uint8Array | undefined;
  readonly reverse: boolean;
  /** Infinity when no limit was given. */
  readonly limit: number;
  /** True when no key can match (empty interval or limit 0). */
  readonly empty: boolean;
}

function optionalBytes(v: unknown, name: string): Uint8Array | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof Uint8Array)) throw new TypeError(`range.${name} must be a Uint8Array`);
  return v;
}

export function normalizeRange(range: Range): Bounds {
  if (typeof range !== 'object' || range === null) throw new TypeError('range must be an object');
  const prefix = optionalBytes(range.prefix, 'prefix');
  const start = optionalBytes(range.start, 'start');
  const end = optionalBytes(range.end, 'end');
  const reverse = range.reverse ?? false;
  if (typeof reverse !== 'boolean') throw new TypeError('range.reverse must be a boolean');
  let limit = Infinity;
  if (range.limit !== undefined) {
    if (typeof range.limit !== 'number' || !Number.isInteger(range.limit) || range.limit < 0) {
      throw new RangeError('range.limit must be a non-negative integer');
    }
    limit = range.limit;
  }
  let lo = start;
  let hi = end;
  if (prefix !== undefined && prefix.length > 0) {
    if (lo === undefined || compareBytes(prefix, lo) > 0) lo = prefix;
    const pe = prefixEnd(prefix);
    if (pe !== undefined && (hi === undefined || compareBytes(pe, hi) < 0)) hi = pe;
  }
  if (lo !== undefined && lo.length === 0) lo = undefined;
  const empty = limit === 0 || (lo !== undefined && hi !== undefined && compareBytes(lo, hi) >= 0);
  return { lo, hi, reverse, limit, empty };
}
