// An ordered in-memory write set: the last write per key (a value, or null for a delete).
// Keys are kept as latin1 strings so Map lookups and string comparison follow byte order.
// New keys are appended unsorted and merged on the next ordered read, so a run of writes costs
// O(1) each and the next range read pays one sort of the new keys plus one merge.

import { toKeyString } from './bytes.ts';
import type { Bounds } from './validate.ts';

export interface OverlayEntry {
  readonly key: Uint8Array;
  /** null records a delete that shadows the parent. */
  readonly value: Uint8Array | null;
}

export class Overlay {
  readonly #map = new Map<string, OverlayEntry>();
  #sorted: string[] = [];
  #added: string[] = [];

  get size(): number {
    return this.#map.size;
  }

  get(keyString: string): OverlayEntry | undefined {
    return this.#map.get(keyString);
  }

  /** Records a write. The entry object is replaced, never mutated, so earlier snapshots stay valid. */
  put(keyString: string, key: Uint8Array, value: Uint8Array | null): void {
    if (!this.#map.has(keyString)) this.#added.push(keyString);
    this.#map.set(keyString, { key, value });
  }

  /** Every entry, in no particular order. */
  values(): IterableIterator<OverlayEntry> {
    return this.#map.values();
  }

  clear(): void {
    this.#map.clear();
    this.#sorted = [];
    this.#added = [];
  }

  #keys(): string[] {
    if (this.#added.length > 0) {
      const added = sortStrings(this.#added);
      const old = this.#sorted;
      if (old.length === 0) {
        this.#sorted = added;
        this.#added = [];
        return added;
      }
      const out = new Array<string>(old.length + added.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < old.length && j < added.length) {
        out[k++] = (old[i] as string) < (added[j] as string) ? (old[i++] as string) : (added[j++] as string);
      }
      while (i < old.length) out[k++] = old[i++] as string;
      while (j < added.length) out[k++] = added[j++] as string;
      this.#sorted = out;
      this.#added = [];
    }
    return this.#sorted;
  }

  /** Every key string in key order (the overlay's own array: read it before the next put). */
  sortedKeys(): readonly string[] {
    return this.#keys();
  }

  /** All entries in key order. */
  sorted(): OverlayEntry[] {
    return this.#keys().map((k) => this.#map.get(k) as OverlayEntry);
  }

  /** A snapshot of the entries inside the bounds, in iteration order (reversed when bounds.reverse). */
  range(bounds: Bounds): OverlayEntry[] {
    const keys = this.#keys();
    const from = bounds.lo === undefined ? 0 : lowerBound(keys, toKeyString(bounds.lo));
    const to = bounds.hi === undefined ? keys.length : lowerBound(keys, toKeyString(bounds.hi));
    const out: OverlayEntry[] = [];
    if (bounds.reverse) {
      for (let i = to - 1; i >= from; i--) out.push(this.#map.get(keys[i] as string) as OverlayEntry);
    } else {
      for (let i = from; i < to; i++) out.push(this.#map.get(keys[i] as string) as OverlayEntry);
    }
    return out;
  }
}

/**
 * Sorts in place, in the order of Array.prototype.sort() (UTF-16 code units, which for latin1 key
 * strings is byte order). A tx's branch holds a handful of keys, and sort() allocated a work array
 * for each (~2 % of what a bank send allocates); insertion sort allocates nothing.
 */
function sortStrings(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > k; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = k;
  }
  return keys;
}

/** First index whose key is >= target. */
function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
