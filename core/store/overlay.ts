// An ordered in-memory write set: the last write per key (a value, or null for a delete).
// Keys are kept as latin1 strings so Map lookups and string comparison follow byte order.
// New keys are appended unsorted and sorted on the next ordered read into a small sorted run, which
// is merged into the big one only once it outgrows √(big): a run of writes costs O(1) each, and a
// range read after a few writes to a big overlay (an epoch's end: 100k deletes, then a prefix scan
// per operator between its writes) costs O(√n), not a copy of every key.

import { fromKeyString, toKeyString } from './bytes.ts';
import { lowerBound, mergeSorted } from './key-order.ts';
import type { Bounds } from './validate.ts';

/**
 * One write. Its key is kept as the key string the overlay already holds, and its bytes are rebuilt
 * only when asked for: most writes are a CheckTx's or a tx branch's, dropped or handed on to a parent
 * by key string, and a copy of every key was ~1.5 % of what a bank send allocates.
 */
export class OverlayEntry {
  readonly keyString: string;
  /** null records a delete that shadows the parent. */
  readonly value: Uint8Array | null;
  #key: Uint8Array | undefined;

  constructor(keyString: string, value: Uint8Array | null) {
    this.keyString = keyString;
    this.value = value;
  }

  /** The key's bytes (the same array at every call: not to be changed). */
  get key(): Uint8Array {
    return (this.#key ??= fromKeyString(this.keyString));
  }
}

export class Overlay {
  readonly #map = new Map<string, OverlayEntry>();
  /** Every key not in #recent or #added, sorted. */
  #sorted: string[] = [];
  /** Keys sorted since #sorted was last merged, at most max(64, √#sorted.length) of them. */
  #recent: string[] = [];
  #added: string[] = [];

  get size(): number {
    return this.#map.size;
  }

  get(keyString: string): OverlayEntry | undefined {
    return this.#map.get(keyString);
  }

  /** Records a write. The entry object is replaced, never mutated, so earlier snapshots stay valid. */
  put(keyString: string, value: Uint8Array | null): OverlayEntry {
    if (!this.#map.has(keyString)) this.#added.push(keyString);
    const entry = new OverlayEntry(keyString, value);
    this.#map.set(keyString, entry);
    return entry;
  }

  /** Every entry, in no particular order. */
  values(): IterableIterator<OverlayEntry> {
    return this.#map.values();
  }

  clear(): void {
    this.#map.clear();
    this.#sorted = [];
    this.#recent = [];
    this.#added = [];
  }

  /** The two sorted runs (big, small) of every key, once the added keys are sorted in. */
  #runs(): readonly [string[], string[]] {
    if (this.#added.length > 0) {
      const added = sortStrings(this.#added);
      this.#recent = this.#recent.length === 0 ? added : mergeSorted(this.#recent, 0, this.#recent.length, added, 0, added.length);
      this.#added = [];
      if (this.#recent.length > Math.max(64, Math.sqrt(this.#sorted.length))) {
        this.#sorted = mergeSorted(this.#sorted, 0, this.#sorted.length, this.#recent, 0, this.#recent.length);
        this.#recent = [];
      }
    }
    return [this.#sorted, this.#recent];
  }

  /** Every key string in key order (may be the overlay's own array: read it before the next put). */
  sortedKeys(): readonly string[] {
    const [big, small] = this.#runs();
    if (small.length === 0) return big;
    if (big.length === 0) return small;
    return mergeSorted(big, 0, big.length, small, 0, small.length);
  }

  /** All entries in key order. */
  sorted(): OverlayEntry[] {
    return this.sortedKeys().map((k) => this.#map.get(k) as OverlayEntry);
  }

  /** A snapshot of the entries inside the bounds, in iteration order (reversed when bounds.reverse). */
  range(bounds: Bounds): OverlayEntry[] {
    const [big, small] = this.#runs();
    const lo = bounds.lo === undefined ? undefined : toKeyString(bounds.lo);
    const hi = bounds.hi === undefined ? undefined : toKeyString(bounds.hi);
    const from = (keys: readonly string[]): number => (lo === undefined ? 0 : lowerBound(keys, lo));
    const to = (keys: readonly string[]): number => (hi === undefined ? keys.length : lowerBound(keys, hi));
    const keys = mergeSorted(big, from(big), to(big), small, from(small), to(small));
    if (bounds.reverse) keys.reverse();
    return keys.map((k) => this.#map.get(k) as OverlayEntry);
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
