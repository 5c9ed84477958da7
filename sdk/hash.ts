// SHA-256 through node:crypto's one-shot hash (OpenSSL), as the chain's own consensus code uses.
import { hash } from 'node:crypto';

export function sha256(data: Uint8Array): Uint8Array {
  const out = hash('sha256', data, 'buffer');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
