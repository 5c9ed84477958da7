// How a client checks a Cairn state proof with @confio/ics23.
//
// The tree uses the hashing of ICS23's `smtSpec`. In @confio/ics23 0.6.8 that spec has
// prehashKey NO_HASH, so the key inside a proof is the tree path, sha256(store key): a client
// hashes the store key with `proofKey` before calling verifyMembership / verifyNonMembership.

import { ics23 } from '@confio/ics23';
import { sha256 } from '../crypto/hash.ts';

/** Identical to `smtSpec` of @confio/ics23 0.6.8 (which its package index does not export). */
export const STATE_PROOF_SPEC: ics23.IProofSpec = {
  leafSpec: {
    hash: ics23.HashOp.SHA256,
    prehashKey: ics23.HashOp.NO_HASH,
    prehashValue: ics23.HashOp.SHA256,
    length: ics23.LengthOp.NO_PREFIX,
    prefix: Uint8Array.of(0),
  },
  innerSpec: {
    childOrder: [0, 1],
    childSize: 32,
    minPrefixLength: 1,
    maxPrefixLength: 1,
    emptyChild: new Uint8Array(32),
    hash: ics23.HashOp.SHA256,
  },
  maxDepth: 256,
};

/** The key a proof carries for a store key: its tree path, sha256(key). */
export function proofKey(storeKey: Uint8Array): Uint8Array {
  return new Uint8Array(sha256(storeKey));
}
