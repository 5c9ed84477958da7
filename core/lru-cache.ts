// A bounded LRU keyed by strings (the store's latest values by key, decoded txs and accounts by their bytes, imported
// keys): a Map for lookup plus a doubly linked list for recency. Every operation is O(1); nothing ever iterates the Map (V8 maps get slow to
// iterate from the front after many deletes, which a Map-order LRU would do on every eviction).

interface Slot<V> {
  readonly key: string;
  value: V;
  newer: Slot<V> | undefined;
  older: Slot<V> | undefined;
}

export class LruCache<V> {
  readonly #max: number;
  readonly #map = new Map<string, Slot<V>>();
  #newest: Slot<V> | undefined;
  #oldest: Slot<V> | undefined;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError('cache size must be a non-negative integer');
    this.#max = max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    this.#touch(slot);
    return slot.value;
  }

  set(key: string, value: V): void {
    if (this.#max === 0) return;
    const slot = this.#map.get(key);
    if (slot !== undefined) {
      slot.value = value;
      this.#touch(slot);
      return;
    }
    const fresh: Slot<V> = { key, value, newer: undefined, older: this.#newest };
    if (this.#newest !== undefined) this.#newest.newer = fresh;
    this.#newest = fresh;
    this.#oldest ??= fresh;
    this.#map.set(key, fresh);
    if (this.#map.size > this.#max) this.#remove(this.#oldest);
  }

  delete(key: string): void {
    const slot = this.#map.get(key);
    if (slot !== undefined) this.#remove(slot);
  }

  clear(): void {
    this.#map.clear();
    this.#newest = undefined;
    this.#oldest = undefined;
  }

  #unlink(slot: Slot<V>): void {
    if (slot.newer !== undefined) slot.newer.older = slot.older;
    else this.#newest = slot.older;
    if (slot.older !== undefined) slot.older.newer = slot.newer;
    else this.#oldest = slot.newer;
    slot.newer = undefined;
    slot.older = undefined;
  }

  #touch(slot: Slot<V>): void {
    if (slot === this.#newest) return;
    this.#unlink(slot);
    slot.older = this.#newest;
    if (this.#newest !== undefined) this.#newest.newer = slot;
    this.#newest = slot;
    this.#oldest ??= slot;
  }

  #remove(slot: Slot<V>): void {
    this.#unlink(slot);
    this.#map.delete(slot.key);
  }
}
