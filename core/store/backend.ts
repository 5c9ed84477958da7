// The persistence interface under the commit store: an ordered byte-keyed map with sync point
// reads, snapshot cursors and atomic batches. LevelDB in production, a Map-backed twin in tests.

export type BatchOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

export interface CursorRange {
  readonly gte?: Uint8Array;
  readonly lt?: Uint8Array;
  readonly reverse?: boolean;
  /** Most entries the caller will read (lets LevelDB skip read-ahead for point lookups). */
  readonly limit?: number;
}

/** An ordered cursor over a snapshot taken when it was created. */
export interface Cursor {
  next(): Promise<readonly [Uint8Array, Uint8Array] | undefined>;
  /** Moves to the first entry >= target (forward) or <= target (reverse), within the range. */
  seek(target: Uint8Array): void;
  close(): Promise<void>;
}

export interface Backend {
  getSync(key: Uint8Array): Uint8Array | undefined;
  /** Point reads off the calling thread (LevelDB's thread pool), in the order of `keys`. */
  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  cursor(range: CursorRange): Cursor;
  /** Applies every op or none. */
  write(ops: readonly BatchOp[]): Promise<void>;
  close(): Promise<void>;
}
