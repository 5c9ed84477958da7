// A cache-wrap over any KVStore: reads fall through to the parent, writes stay here until write().
// Used per transaction (dropped on failure) and nestable without limit.

import { toKeyString } from './bytes.ts';
import { mergeEntries, parentRange } from './merge.ts';
import { Overlay } from './overlay.ts';
import type { Branch, Entry, KVRead, KVStore, Range } from './types.ts';
import { assertKey, assertValue, normalizeRange } from './validate.ts';

class CacheBranch implements Branch {
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

  set(key: Uint8Array, value: Uint8Array): void {
    assertKey(key);
    assertValue(value);
    // Copies, so a caller reusing its buffers cannot change what was written.
    this.#overlay.put(toKeyString(key), key.slice(), value.slice());
  }

  delete(key: Uint8Array): void {
    assertKey(key);
    this.#overlay.put(toKeyString(key), key.slice(), null);
  }

  iterate(range: Range): AsyncIterable<Entry> {
    const bounds = normalizeRange(range);
    if (bounds.empty) return emptyIterable();
    const local = this.#overlay.range(bounds);
    return mergeEntries(local, this.#parent.iterate(parentRange(bounds)), bounds);
  }

  write(): void {
    // Key order keeps the parent's own bookkeeping deterministic.
    for (const e of this.#overlay.sorted()) {
      if (e.value === null) this.#parent.delete(e.key);
      else this.#parent.set(e.key, e.value);
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
    iterate: (r) => view.iterate(r),
    set: () => {
      throw new Error('write to a read-only view');
    },
    delete: () => {
      throw new Error('write to a read-only view');
    },
  };
}
