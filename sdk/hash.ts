// SHA-256 through node:crypto's one-shot hash (OpenSSL), as the chain's own consensus code uses.
import { hash } from 'node:crypto';

export function sha256(data: Uint8Array): Uint8Array {
  const out = hash('sha256', data, 'buffer');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * The digest as a binary string (one char a byte: node:crypto's 'binary', i.e. latin1, output): no
 * ArrayBuffer per call, which for 20,000 small hashes costs more than hashing them (a Buffer's
 * backing store and the collector's work on it). For hot loops that pass hashes on to other hashes.
 */
export function sha256Binary(data: Uint8Array): string {
  return hash('sha256', data, 'binary');
}
