// A Map-backed Backend with the same semantics as LevelDB: ordered keys, atomic batches and
// cursors that read from a snapshot. The snapshot is copy-on-write: a batch copies the index
// only if a cursor was opened since the previous batch.

import { asView, toKeyString, fromKeyString } from './bytes.ts';
import type { Backend, BatchOp, Cursor, CursorRange } from './backend.ts';
import { lowerBound, mergeSorted } from './key-order.ts';

interface State {
  keys: string[];
  map: Map<string, Uint8Array>;
}

export class MemoryBackend implements Backend {
  #state: State = { keys: [], map: new Map() };
  #shared = false;
  #closed = false;

  getSync(key: Uint8Array): Uint8Array | undefined {
    this.#assertOpen();
    return this.#state.map.get(toKeyString(key));
  }

  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    try {
      return Promise.resolve(keys.map((key) => this.getSync(key)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  cursor(range: CursorRange): Cursor {
    this.#assertOpen();
    this.#shared = true;
    return new MemoryCursor(this.#state, range);
  }

  write(ops: readonly BatchOp[]): Promise<void> {
    try {
      this.#assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#shared) {
      this.#state = { keys: this.#state.keys.slice(), map: new Map(this.#state.map) };
      this.#shared = false;
    }
    const { map } = this.#state;
    // Whether each touched key was present before the batch decides how the sorted index changes.
    const before = new Map<string, boolean>();
    for (const op of ops) {
      const k = toKeyString(op.key);
      if (!before.has(k)) before.set(k, map.has(k));
      if (op.type === 'put') map.set(k, op.value.slice());
      else map.delete(k);
    }
    const added: string[] = [];
    const removed = new Set<string>();
    for (const [k, was] of before) {
      const now = map.has(k);
      if (now && !was) added.push(k);
      else if (!now && was) removed.add(k);
    }
    let keys = this.#state.keys;
    if (removed.size > 0) keys = keys.filter((k) => !removed.has(k));
    if (added.length > 0) keys = mergeSorted(keys, 0, keys.length, added.sort(), 0, added.length);
    this.#state.keys = keys;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('memory backend is closed');
  }
}

class MemoryCursor implements Cursor {
  readonly #state: State;
  readonly #from: number;
  readonly #to: number;
  readonly #reverse: boolean;
  readonly #gte: string | undefined;
  readonly #lt: string | undefined;
  #pos: number;

  constructor(state: State, range: CursorRange) {
    this.#state = state;
    this.#gte = range.gte === undefined ? undefined : toKeyString(range.gte);
    this.#lt = range.lt === undefined ? undefined : toKeyString(range.lt);
    this.#from = range.gte === undefined ? 0 : lowerBound(state.keys, toKeyString(range.gte));
    this.#to = range.lt === undefined ? state.keys.length : lowerBound(state.keys, toKeyString(range.lt));
    this.#reverse = range.reverse ?? false;
    this.#pos = this.#reverse ? this.#to - 1 : this.#from;
  }

  next(): Promise<readonly [Uint8Array, Uint8Array] | undefined> {
    if (this.#pos < this.#from || this.#pos >= this.#to) return Promise.resolve(undefined);
    const k = this.#state.keys[this.#pos] as string;
    this.#pos += this.#reverse ? -1 : 1;
    return Promise.resolve([fromKeyString(k), asView(this.#state.map.get(k) as Uint8Array)] as const);
  }

  seek(target: Uint8Array): void {
    const t = toKeyString(target);
    const keys = this.#state.keys;
    // Like LevelDB: a target outside the cursor's range ends it.
    if ((this.#gte !== undefined && t < this.#gte) || (this.#lt !== undefined && t >= this.#lt)) {
      this.#pos = this.#reverse ? this.#from - 1 : this.#to;
      return;
    }
    const i = lowerBound(keys, t);
    if (this.#reverse) {
      // Last key <= target.
      this.#pos = Math.min(i < keys.length && keys[i] === t ? i : i - 1, this.#to - 1);
    } else {
      this.#pos = Math.max(i, this.#from);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
