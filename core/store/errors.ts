// Named errors of the state store. Callers match on the class, never on the message.

/** A read, proof or view asked for a height that was never committed or has been pruned. */
export class VersionUnavailableError extends Error {
  override readonly name = 'VersionUnavailableError';
  readonly height: bigint;
  constructor(height: bigint, reason: string) {
    super(`version ${height} is not available: ${reason}`);
    this.height = height;
  }
}

/** commit() was called with a height that does not follow the last committed one. */
export class InvalidHeightError extends RangeError {
  override readonly name = 'InvalidHeightError';
}

/** A write or a second commit arrived while a commit was being written. */
export class CommitInProgressError extends Error {
  override readonly name = 'CommitInProgressError';
  constructor() {
    super('a commit is being written; writes and commits must wait for it');
  }
}

/** The store was closed, or a previous commit failed to write and left it unusable. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
}

/** The database does not hold what the store wrote (a latest state that does not hash to its app hash, a value that does not match its leaf). */
export class StoreCorruptionError extends Error {
  override readonly name = 'StoreCorruptionError';
}
