// A cache-wrap over any KVStore: reads fall through to the parent, writes stay here until write().
// Used per transaction (dropped on failure) and nestable without limit.

import { toKeyString } from './bytes.ts';
import { mergeEntries, parentRange } from './merge.ts';
import { Overlay, type OverlayEntry } from './overlay.ts';
import type { Branch, Entry, KVRead, KVStore, Range } from './types.ts';
import { assertKey, assertValue, normalizeRange } from './validate.ts';

/**
 * How a branch's write() hands its entries to a parent that takes them as they are: the key strings
 * and values were made and checked at the branch's own set(), and the branch drops them as it writes,
 * so the parent needs neither another copy nor another key string (each tx's writes went through two
 * or three layers, each copying them: ~5 % of what a bank send allocates).
 */
export const ADOPT = Symbol('adopt a written branch entry');

export interface Adopting {
  [ADOPT](keyString: string, value: Uint8Array | null): void;
}

class CacheBranch implements Branch, Adopting {
  readonly #parent: KVStore;
  readonly #overlay = new Overlay();

  constructor(parent: KVStore) {
    this.#parent = parent;
  }

  get size(): number {
    return this.#overlay.size;
  }

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    assertKey(key);
    const hit = this.#overlay.get(toKeyString(key));
    if (hit !== undefined) return Promise.resolve(hit.value ?? undefined);
    return this.#parent.get(key);
  }

  peek(key: Uint8Array): Uint8Array | null | undefined {
    assertKey(key);
    const hit = this.#overlay.get(toKeyString(key));
    if (hit !== undefined) return hit.value;
    return this.#parent.peek?.(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertKey(key);
    assertValue(value);
    // Copies (the key as its key string), so a caller reusing its buffers cannot change what was written.
    this.#overlay.put(toKeyString(key), value.slice());
  }

  delete(key: Uint8Array): void {
    assertKey(key);
    this.#overlay.put(toKeyString(key), null);
  }

  iterate(range: Range): AsyncIterable<Entry> {
    const bounds = normalizeRange(range);
    if (bounds.empty) return emptyIterable();
    const local = this.#overlay.range(bounds);
    return mergeEntries(local, this.#parent.iterate(parentRange(bounds)), bounds);
  }

  [ADOPT](keyString: string, value: Uint8Array | null): void {
    this.#overlay.put(keyString, value);
  }

  write(): void {
    // Key order keeps the parent's own bookkeeping deterministic.
    const parent = this.#parent;
    const adopting = ADOPT in parent ? (parent as KVStore & Adopting) : undefined;
    for (const ks of this.#overlay.sortedKeys()) {
      const e = this.#overlay.get(ks) as OverlayEntry;
      if (adopting !== undefined) adopting[ADOPT](ks, e.value);
      else if (e.value === null) parent.delete(e.key);
      else parent.set(e.key, e.value);
    }
    this.#overlay.clear();
  }
}

async function* emptyGenerator(): AsyncGenerator<Entry, void, undefined> {}

export function emptyIterable(): AsyncIterable<Entry> {
  return emptyGenerator();
}

/** Cache-wraps `parent`: nested branches work; iterate merges this branch's writes over the parent's. */
export function branch(parent: KVStore): Branch {
  return new CacheBranch(parent);
}

/** A committed view as the parent of a branch that is never written back. */
export function readOnly(view: KVRead): KVStore {
  return {
    get: (k) => view.get(k),
    ...(view.peek === undefined ? {} : { peek: view.peek.bind(view) }),
    iterate: (r) => view.iterate(r),
    set: () => {
      throw new Error('write to a read-only view');
    },
    delete: () => {
      throw new Error('write to a read-only view');
    },
  };
}
