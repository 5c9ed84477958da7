// Forged-attestation evidence (MsgReportForgedAttestation). The evidence is a gossip envelope the
// operator signed with one of its receipt keys: the key signs "cairn/p2p/v1" ‖ the body bytes
// exactly as sent, so the chain checks the signature without re-encoding anything. The node's p2p
// layer signs and checks envelopes with these same sign-bytes.
import { sha256 } from '../../core/crypto/hash.ts';
import { concat } from '../../core/framework/collections.ts';

/** The domain tag of every signed gossip envelope. */
export const ENVELOPE_DOMAIN = new TextEncoder().encode('cairn/p2p/v1');
/** Largest evidence envelope the chain accepts: a gossiped attestation set is a few KiB. */
export const MAX_EVIDENCE_BYTES = 64 * 1024;

/** What an envelope's signer signs: the domain tag, then the encoded SignedBody as sent. */
export function envelopeSignBytes(body: Uint8Array): Uint8Array {
  return concat(ENVELOPE_DOMAIN, body);
}

/**
 * How the chain keys forged-attestation evidence: sha256(attestation sign-bytes ‖ operator's raw
 * address). One forged attestation of one operator is punished once, whatever envelope carries it.
 */
export function forgedEvidenceHash(attestationSignBytes: Uint8Array, operator: Uint8Array): Uint8Array {
  return sha256(concat(attestationSignBytes, operator));
}
