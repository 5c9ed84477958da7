// SHA-256 as the chain's own consensus code computes it (core/crypto/hash.ts: node:crypto's one-shot
// hash, the bytes in a fresh Uint8Array), and as a binary string for hot loops.
import { hash } from 'node:crypto';

export { sha256 } from '../core/crypto/hash.ts';

/**
 * The digest as a binary string (one char a byte: node:crypto's 'binary', i.e. latin1, output): no
 * ArrayBuffer per call, which for 20,000 small hashes costs more than hashing them (a Buffer's
 * backing store and the collector's work on it). For hot loops that pass hashes on to other hashes.
 */
export function sha256Binary(data: Uint8Array): string {
  return hash('sha256', data, 'binary');
}
