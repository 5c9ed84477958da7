// The state store's public surface.

export { branch } from './branch.ts';
export { CommitStore, DEFAULT_PROVABLE_HEIGHTS, DEFAULT_PRUNE_INTERVAL } from './commit-store.ts';
export type { StoreOptions, StoreProof } from './commit-store.ts';
export {
  CommitInProgressError,
  InvalidHeightError,
  StoreClosedError,
  StoreCorruptionError,
  VersionUnavailableError,
} from './errors.ts';
export { proofKey, STATE_PROOF_SPEC } from './proof-spec.ts';
export type { Branch, Entry, KVRead, KVStore, Range } from './types.ts';
export { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './validate.ts';
