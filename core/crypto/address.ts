// Account addresses, as the Cosmos SDK derives them for secp256k1 keys:
// RIPEMD-160(SHA-256(compressed public key)), 20 bytes. Bech32 encoding is the caller's business.

import { ripemd160, sha256 } from './hash.ts';
import { SECP256K1_PUBKEY_LENGTH } from './secp256k1.ts';

export const ADDRESS_LENGTH = 20;

/**
 * The 20-byte account address of a 33-byte compressed secp256k1 public key. Only the length is
 * checked (as the SDK's `PubKey.Address` does); whether the key is a curve point is the business
 * of signature verification.
 *
 * @throws TypeError if `pubkey` is not a Uint8Array; RangeError if it is not 33 bytes.
 */
export function pubkeyToAddress(pubkey: Uint8Array): Uint8Array {
  if (!(pubkey instanceof Uint8Array)) throw new TypeError('pubkey must be a Uint8Array');
  if (pubkey.length !== SECP256K1_PUBKEY_LENGTH) {
    throw new RangeError(`a secp256k1 public key is ${SECP256K1_PUBKEY_LENGTH} bytes (compressed), got ${pubkey.length}`);
  }
  return ripemd160(sha256(pubkey));
}
