// Signature builders for the tests: a reference verifier (@noble/curves plus the SDK's length
// rules) and ECDSA constructions that hit exact edge cases (s = n/2, s = 1, keys with a tiny x).
// Test-only; nothing in the node imports it.

import { secp256k1 as noble } from '@noble/curves/secp256k1.js';

export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
export const HALF_N = N >> 1n;
export const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

export interface Signed {
  pubkey: Uint8Array;
  hash: Uint8Array;
  signature: Uint8Array;
}

/** The SDK's rules, answered by @noble/curves: 33-byte key, 64-byte low-S r||s, r and s in [1, n-1]. */
export function referenceVerify(pubkey: Uint8Array, hash: Uint8Array, signature: Uint8Array): boolean {
  if (pubkey.length !== 33 || signature.length !== 64) return false;
  try {
    return noble.verify(signature, hash, pubkey, { prehash: false, lowS: true, format: 'compact' });
  } catch {
    return false;
  }
}

/** Plain ECDSA validity, high S allowed, to prove that a rejected variant is otherwise valid. */
export function validIgnoringLowS(pubkey: Uint8Array, hash: Uint8Array, signature: Uint8Array): boolean {
  return noble.verify(signature, hash, pubkey, { prehash: false, lowS: false, format: 'compact' });
}

export function sign(privkey: bigint, hash: Uint8Array): Signed {
  const secret = toBytes32(privkey);
  return {
    pubkey: noble.getPublicKey(secret, true),
    hash,
    signature: noble.sign(hash, secret, { prehash: false, lowS: true, format: 'compact' }),
  };
}

export function rs(signature: Uint8Array): { r: bigint; s: bigint } {
  return { r: toBigInt(signature.subarray(0, 32)), s: toBigInt(signature.subarray(32, 64)) };
}

/** r and s as 32-byte big-endian halves; values up to 2^256 - 1 (so r >= n can be encoded). */
export function compact(r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(toBytes32(r), 0);
  out.set(toBytes32(s), 32);
  return out;
}

/** The same signature with s' = n - s: valid ECDSA, but high-S (or low-S if s was high). */
export function highSTwin(signature: Uint8Array): Uint8Array {
  const { r, s } = rs(signature);
  return compact(r, N - s);
}

/**
 * A valid signature whose s is exactly `s`: pick the nonce k, then solve for the private key
 * d = (s·k - z) / r, so that s = (z + r·d) / k holds.
 */
export function signWithChosenS(k: bigint, s: bigint, z: bigint): Signed {
  const r = mod(noble.Point.BASE.multiply(k).toAffine().x, N);
  const d = mod((s * k - z) * invert(r, N), N);
  return { pubkey: noble.getPublicKey(toBytes32(d), true), hash: toBytes32(z), signature: compact(r, s) };
}

/**
 * A valid low-S signature under ANY public key, for a hash we do not choose: R = a·G + b·P,
 * r = R.x, s = r/b, z = a·s. (Verifying a raw digest allows this; it is why the digest must be
 * SHA-256 of the sign bytes.) Lets us sign for points whose private key nobody knows.
 */
export function signForAnyKey(pubkey: Uint8Array, a: bigint, b: bigint): Signed {
  const point = noble.Point.fromBytes(pubkey);
  const R = noble.Point.BASE.multiply(a).add(point.multiply(b));
  const r = mod(R.toAffine().x, N);
  let s = mod(r * invert(b, N), N);
  const z = mod(a * s, N);
  // Negating s negates both u1 and u2, so R flips to -R with the same x: still valid.
  if (s > HALF_N) s = N - s;
  return { pubkey, hash: toBytes32(z), signature: compact(r, s) };
}

/** The compressed point with the smallest x >= 1 on the curve (so x + p still fits in 32 bytes). */
export function smallXPoint(): { x: bigint; pubkey: Uint8Array } {
  for (let x = 1n; ; x++) {
    const candidate = Uint8Array.of(2, ...toBytes32(x));
    try {
      noble.Point.fromBytes(candidate);
      return { x, pubkey: candidate };
    } catch {
      // x^3 + 7 is not a square mod p: try the next x.
    }
  }
}

export function uncompressed(pubkey: Uint8Array): Uint8Array {
  return noble.Point.fromBytes(pubkey).toBytes(false);
}

export function toBytes32(x: bigint): Uint8Array {
  if (x < 0n || x >= 1n << 256n) throw new RangeError('does not fit in 32 bytes');
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
}

export function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function invert(a: bigint, m: bigint): bigint {
  // m is prime: a^(m-2) = a^-1 (mod m).
  let result = 1n;
  let base = mod(a, m);
  for (let e = m - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}
