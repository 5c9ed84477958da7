// Ed25519 keys for receipts through node:crypto (pure Ed25519, RFC 8032, no pre-hash). Payers and
// operators hold these; the registry authorises their public keys.
import { type KeyObject, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { LruCache } from '../core/lru-cache.ts';
import { concatBytes } from './bytes.ts';

export const ED25519_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

export interface Ed25519Signer {
  /** Raw 32-byte public key, the form the registry stores. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

// DER prefixes of PKCS#8 private and SPKI public Ed25519 keys (RFC 8410): the raw 32 bytes follow.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** The key whose RFC 8032 secret is `seed` (32 bytes). */
export function ed25519FromSeed(seed: Uint8Array): Ed25519Signer {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new RangeError('an ed25519 seed has 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  return { publicKey, sign: (message) => new Uint8Array(sign(null, message, privateKey)) };
}

/** A fresh random key and its seed (store the seed: it is the key). */
export function generateEd25519(): { seed: Uint8Array; signer: Ed25519Signer } {
  const seed = new Uint8Array(randomBytes(32));
  return { seed, signer: ed25519FromSeed(seed) };
}

// Importing a raw key into OpenSSL (createPublicKey) costs about as much as the verification
// itself, and the same few keys verify over and over (an operator's receipt key, a payer's key, a
// gateway's clients): the imported KeyObjects are kept, the least recently used dropped first.
const KEY_CACHE_CAPACITY = 4096;
const keyCache = new LruCache<KeyObject>(KEY_CACHE_CAPACITY);

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('latin1');
  let key = keyCache.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' });
    keyCache.set(id, key);
  }
  return key;
}

/** False for a malformed key or signature as well as for a wrong one. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}
