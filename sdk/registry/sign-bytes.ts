// What a trusted verifier signs for an attestation, and how the chain checks it.
//
// Sign-bytes layout (all integers big-endian; "lp" = u32 byte length, then the bytes):
//   "cairn/attestation/v1"   20 ASCII bytes, the domain separator (never valid as another Cairn sign-bytes)
//   lp chain_id              UTF-8
//   lp operator              the operator's raw address bytes (20), not its bech32 text
//   lp gpu_id                UTF-8
//   u32 tee_type             the TeeType enum number
//   lp measurement
//   lp report_hash
//   i64 issued_at            unix seconds
//   i64 expires_at           unix seconds
// The signature is pure Ed25519 (RFC 8032, no pre-hash) over exactly these bytes. The attestation
// id is sha256 of the same bytes, so one attestation has one id whoever submits it.
import { createPublicKey, verify } from 'node:crypto';
import { sha256 } from '../../core/crypto/hash.ts';
import { concat } from '../../core/framework/collections.ts';

export const ATTESTATION_DOMAIN = 'cairn/attestation/v1';
export const ED25519_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

export interface AttestationFields {
  readonly chainId: string;
  /** Raw address bytes. */
  readonly operator: Uint8Array;
  readonly gpuId: string;
  readonly teeType: number;
  readonly measurement: Uint8Array;
  readonly reportHash: Uint8Array;
  readonly issuedAt: bigint;
  readonly expiresAt: bigint;
}

const utf8 = new TextEncoder();

function lp(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function i64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, n);
  return out;
}

/** The signed fields of an attestation (or a MsgSubmitAttestation) for `operator`'s raw address on `chainId`. */
export function attestationFields(
  chainId: string,
  operator: Uint8Array,
  a: { readonly gpuId: string; readonly teeType: number; readonly measurement: Uint8Array; readonly reportHash: Uint8Array; readonly issuedAt: bigint; readonly expiresAt: bigint },
): AttestationFields {
  return { chainId, operator, gpuId: a.gpuId, teeType: a.teeType, measurement: a.measurement, reportHash: a.reportHash, issuedAt: a.issuedAt, expiresAt: a.expiresAt };
}

export function attestationSignBytes(f: AttestationFields): Uint8Array {
  if (f.teeType < 0 || !Number.isInteger(f.teeType)) throw new RangeError(`tee type ${f.teeType} is not an enum number`);
  return concat(
    utf8.encode(ATTESTATION_DOMAIN),
    lp(utf8.encode(f.chainId)),
    lp(f.operator),
    lp(utf8.encode(f.gpuId)),
    u32(f.teeType),
    lp(f.measurement),
    lp(f.reportHash),
    i64(f.issuedAt),
    i64(f.expiresAt),
  );
}

export function attestationId(f: AttestationFields): Uint8Array {
  return sha256(attestationSignBytes(f));
}

// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410): the raw 32 bytes follow it.
const SPKI_ED25519 = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** Ed25519 verification through node:crypto (OpenSSL); false for a malformed key or signature. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(concat(SPKI_ED25519, publicKey)), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
