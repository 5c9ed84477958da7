// The watcher's ed25519 verification: libsodium first, OpenSSL (node:crypto, the chain's verifier)
// for whatever libsodium refuses, so every answer is OpenSSL's.
//
// Both check the same cofactorless equation: S < L, h = SHA-512(R ‖ A ‖ message) over the bytes as
// given, and the encoding of [S]B − [h]A compared byte for byte with R. libsodium refuses more
// besides (small-order keys and R, keys not canonically encoded), never less: a signature it
// accepts, OpenSSL accepts too (and a differential test holds both to that). Nearly every signature
// a watcher sees is valid and costs libsodium's ~50 µs instead of OpenSSL's ~85 (bench/README.md,
// "Seventh round"); only the refused ones pay for both.
import { createRequire } from 'node:module';
import { ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH, verifyEd25519 } from '../../sdk/ed25519.ts';

type Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

/** sodium-native's verify; null where its prebuilt binary does not load (OpenSSL alone then). */
let sodiumVerify: Verify | null | undefined;

function loadSodium(): Verify | null {
  try {
    const sodium = createRequire(import.meta.url)('sodium-native') as { crypto_sign_verify_detached: Verify };
    return sodium.crypto_sign_verify_detached.bind(sodium);
  } catch {
    return null;
  }
}

/** Whether `signature` is `publicKey`'s over `message`, as node:crypto answers; false for malformed input. */
export function verifyEd25519Fast(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  if (sodiumVerify === undefined) sodiumVerify = loadSodium(); // once: null stays null
  if (sodiumVerify !== null && sodiumVerify(signature, message, publicKey)) return true;
  return verifyEd25519(publicKey, message, signature);
}
