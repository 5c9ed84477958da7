// The contract between the state machine and its storage.
//
// Reads are async because historical reads and range scans go to LevelDB; writes are sync
// because they only touch an in-memory overlay until the block commits.

export interface Range {
  /** Only keys that start with these bytes. */
  readonly prefix?: Uint8Array;
  /** Inclusive lower bound (within the prefix, if both are given the tighter one wins). */
  readonly start?: Uint8Array;
  /** Exclusive upper bound. */
  readonly end?: Uint8Array;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export type Entry = readonly [key: Uint8Array, value: Uint8Array];

export interface KVRead {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /**
   * get()'s answer at once (null: no value), where this store has it without waiting: every layer over
   * a CommitStore's working or committed state does, since LevelDB is read synchronously. undefined
   * where it cannot tell; then get() is the way. Lets the gas meter charge a read's bytes without
   * waiting on a promise (a closure and a promise a read, ~5 % of what a bank send allocated).
   */
  readonly peek?: (key: Uint8Array) => Uint8Array | null | undefined;
  /** Keys in byte order (or reverse), merged over every overlay. Values are never empty. */
  iterate(range: Range): AsyncIterable<Entry>;
}

export interface KVStore extends KVRead {
  /** An empty value is not allowed: absence is the only way to say "no value". */
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

/** A cache-wrap over a parent store: writes stay here until `write()` applies them to the parent. */
export interface Branch extends KVStore {
  write(): void;
  /** Number of keys written or deleted in this branch (for gas and limits). */
  readonly size: number;
}
