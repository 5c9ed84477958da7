// Forged attestations in gossip. An operator's signed attestation envelope that vouches for an
// attestation of its own which none of the registry's trusted verifiers signed is evidence for
// MsgReportForgedAttestation (modules/registry/msgs/report-forged-attestation.ts; the evidence key is sdk/registry/evidence.ts). The checks are
// the chain's, so the watcher reports only what the chain will punish; the envelope signature and
// the signer's key were already checked by the gossip validator before delivery.
import { forgedEvidenceHash } from '../../sdk/registry/evidence.ts';
import { attestationFields, attestationSignBytes, verifyEd25519 } from '../../sdk/registry/sign-bytes.ts';
import type { SignedBody } from '../../proto/gen/cairn/p2p/v1/gossip.ts';
import { TeeType } from '../../proto/gen/cairn/registry/v1/types.ts';
import { decodeBech32 } from '../../core/framework/address.ts';

export interface ForgedAttestation {
  /** Its position in the envelope (MsgReportForgedAttestation.index). */
  readonly index: number;
  readonly gpuId: string;
  /** sha256(sign-bytes ‖ operator), as the chain keys evidence: one attestation is punished once. */
  readonly evidence: string;
}

/**
 * The attestations in `body` that the chain would call forged under `verifiers`. Attestations that
 * name another operator, or TEE_TYPE_NONE ones (which carry no verifier signature), prove nothing.
 * With no trusted verifier nothing can be called forged.
 */
export function forgedAttestations(body: SignedBody, verifiers: readonly Uint8Array[]): ForgedAttestation[] {
  if (verifiers.length === 0 || body.attestations === undefined) return [];
  let operator: Uint8Array;
  try {
    operator = decodeBech32(body.operator).data;
  } catch {
    return [];
  }
  const out: ForgedAttestation[] = [];
  body.attestations.attestations.forEach((a, index) => {
    if (a.operator !== body.operator || a.teeType === TeeType.TEE_TYPE_NONE || a.teeType < 0) return;
    const signBytes = attestationSignBytes(attestationFields(body.chainId, operator, a));
    if (verifiers.some((v) => verifyEd25519(v, signBytes, a.signature))) return;
    out.push({ index, gpuId: a.gpuId, evidence: Buffer.from(forgedEvidenceHash(signBytes, operator)).toString('hex') });
  });
  return out;
}
