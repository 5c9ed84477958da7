// Cosmos secp256k1 signature verification (SIGN_MODE_DIRECT and friends).
//
// The rules are the Cosmos SDK's for `secp256k1.PubKey.VerifySignature`, as its libsecp256k1
// build applies them: a 64-byte compact r||s signature over SHA-256(sign bytes), r and s in
// [1, n-1], s <= n/2 (low-S, so a signature cannot be re-encoded into a second valid one), and a
// 33-byte compressed public key that is a point on the curve.
//
// We call libsecp256k1 itself through the `secp256k1` N-API addon: on this machine it is ~20x
// faster than @noble/curves and ~5x faster than OpenSSL (figures in README.md), and it is the
// very library the SDK's `libsecp256k1_sdk` build uses. We load the addon directly instead of
// through `require('secp256k1')`, whose index silently falls back to the pure-JS `elliptic`
// package when the addon is missing; every validator must run the same verifier, so a node
// without the addon refuses to start (NativeSecp256k1UnavailableError at import).

import { toKeyString } from '../store/bytes.ts';
import { createRequire } from 'node:module';
import { LruCache } from '../lru-cache.ts';

export const SECP256K1_PUBKEY_LENGTH = 33;
export const SECP256K1_SIGNATURE_LENGTH = 64;
export const SECP256K1_HASH_LENGTH = 32;

/** The native libsecp256k1 addon could not be loaded; the node must not start without it. */
export class NativeSecp256k1UnavailableError extends Error {
  override readonly name = 'NativeSecp256k1UnavailableError';
}

/** The loaded addon gave a wrong answer on a known vector; the node must not start with it. */
export class Secp256k1SelfTestError extends Error {
  override readonly name = 'Secp256k1SelfTestError';
}

interface NativeSecp256k1 {
  /** Throws on a signature with r or s >= n and on a public key that does not parse. */
  ecdsaVerify(signature: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
}

// The exact messages `secp256k1/lib/index.js` throws for input that does not parse. Matching them
// (instead of swallowing every error) keeps real bugs loud; if a new version rewords them, the
// differential tests see garbage input throwing and fail.
const PARSE_ERRORS: ReadonlySet<string> = new Set([
  'Signature could not be parsed',
  'Public Key could not be parsed',
]);

const native = loadNative();

/**
 * True if `signature` (64-byte r||s, low-S) is `pubkey`'s (33-byte compressed) signature of
 * `signBytesHash` (SHA-256 of the sign bytes). Any malformed key or signature gives false.
 *
 * @throws TypeError if an argument is not a Uint8Array.
 * @throws RangeError if `signBytesHash` is not 32 bytes: the caller hashes the sign bytes itself,
 *   so a wrong length is a bug in the caller, not bad input from a transaction.
 */
export function verifySecp256k1(
  pubkey: Uint8Array,
  signBytesHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  assertBytes('pubkey', pubkey);
  assertBytes('signBytesHash', signBytesHash);
  assertBytes('signature', signature);
  if (signBytesHash.length !== SECP256K1_HASH_LENGTH) {
    throw new RangeError(`signBytesHash must be ${SECP256K1_HASH_LENGTH} bytes, got ${signBytesHash.length}`);
  }
  // libsecp256k1 also accepts 65-byte uncompressed keys; the SDK's secp256k1 PubKey does not.
  if (pubkey.length !== SECP256K1_PUBKEY_LENGTH) return false;
  if (signature.length !== SECP256K1_SIGNATURE_LENGTH) return false;
  try {
    // Returns false for a high-S or zero r/s signature; throws for r/s >= n or a bad key.
    return native.ecdsaVerify(signature, signBytesHash, pubkey);
  } catch (err) {
    if (err instanceof Error && PARSE_ERRORS.has(err.message)) return false;
    throw err;
  }
}

/**
 * verifySecp256k1 that remembers the inputs it found valid, so the same signature over the same
 * sign bytes by the same key is checked by libsecp256k1 once: a tx's CheckTx verifies it, and its
 * FinalizeBlock finds it here. The key is the exact bytes verified (key, SHA-256 of the sign bytes,
 * signature), and only valid answers are kept: a hit returns what verifying those same bytes
 * returned, so no cache state can change a result. Bounded: past `max` entries the oldest goes, and
 * a hit is removed (a tx is finalized once).
 */
export class VerifiedSecp256k1 {
  // An LruCache, not a Set evicting from the front: every hit deletes, and a V8 Map iterated from
  // the front after many deletes gets slow (core/lru-cache.ts). Entries are never touched
  // before their one hit, so recency order is insertion order.
  readonly #valid: LruCache<true>;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    this.#valid = new LruCache(max);
  }

  get size(): number {
    return this.#valid.size;
  }

  verify(pubkey: Uint8Array, signBytesHash: Uint8Array, signature: Uint8Array): boolean {
    // Fixed lengths make the concatenated key unambiguous; anything else is never valid or is a bug,
    // and verifySecp256k1 answers it.
    const canonical = [pubkey, signBytesHash, signature].every((b) => b instanceof Uint8Array) &&
      pubkey.length === SECP256K1_PUBKEY_LENGTH && signBytesHash.length === SECP256K1_HASH_LENGTH && signature.length === SECP256K1_SIGNATURE_LENGTH;
    if (!canonical) return verifySecp256k1(pubkey, signBytesHash, signature);
    const key = toKeyString(pubkey) + toKeyString(signBytesHash) + toKeyString(signature);
    if (this.#valid.get(key) === true) {
      this.#valid.delete(key);
      return true;
    }
    if (!verifySecp256k1(pubkey, signBytesHash, signature)) return false;
    this.#valid.set(key, true);
    return true;
  }
}

function assertBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
}

function loadNative(): NativeSecp256k1 {
  const require = createRequire(import.meta.url);
  try {
    return require('secp256k1/bindings.js') as NativeSecp256k1;
  } catch (cause) {
    throw new NativeSecp256k1UnavailableError(
      'the native secp256k1 addon (libsecp256k1) did not load; Cairn does not fall back to a ' +
        `different verifier. Reinstall with install scripts allowed for "secp256k1". (${String(cause)})`,
      { cause },
    );
  }
}

// One signature made by CosmJS (`Secp256k1.createSignature` + `trimRecoveryByte`) with the key
// sha256("cairn/crypto/self-test") over sha256("cairn self-test message").
const SELF_TEST = {
  pubkey: '03c7a7e5a474ce96924a0f390b5464b48797fa9520855d3e7fd4a41adfc26fac5f',
  hash: '6f75ac444575142d81fe441709960f80873b2da44ceed395c2b813fb4e4f683f',
  signature:
    '2b9e47f825784819b8179a6b6543bea7e035423e9218e0894d270e0465a9a1c8' +
    '7fd1272251f5721dad55e6f8ca897e3dc9218e3e8c7030cd8145a2ed5d332217',
} as const;

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

// A broken or substituted addon must stop the node at start-up, not fork it later: check that it
// accepts a known signature and rejects its high-S twin (same r, s' = n - s) and a wrong message.
function selfTest(): void {
  const pubkey = Buffer.from(SELF_TEST.pubkey, 'hex');
  const hash = Buffer.from(SELF_TEST.hash, 'hex');
  const signature = Buffer.from(SELF_TEST.signature, 'hex');
  const s = BigInt('0x' + SELF_TEST.signature.slice(64));
  const highS = Buffer.concat([signature.subarray(0, 32), Buffer.from((CURVE_ORDER - s).toString(16).padStart(64, '0'), 'hex')]);
  const otherHash = Buffer.from(hash);
  otherHash[0] = (otherHash[0] ?? 0) ^ 1;
  const ok =
    verifySecp256k1(pubkey, hash, signature) &&
    !verifySecp256k1(pubkey, hash, highS) &&
    !verifySecp256k1(pubkey, otherHash, signature);
  if (!ok) throw new Secp256k1SelfTestError('libsecp256k1 failed its known-answer self-test');
}

selfTest();
