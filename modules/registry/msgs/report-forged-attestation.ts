// MsgReportForgedAttestation: the SPEC's "forged attestation" fault. The evidence is a gossip
// envelope the operator signed with one of its receipt keys, vouching for an attestation whose
// verifier signature does not verify under any trusted verifier. The operator's bond and unbonding
// entries are slashed by FORGED_ATTESTATION_BPS, the reporter gets REPORTER_REWARD_BPS of the slash,
// the rest is burned, and the operator is tombstoned. One piece of evidence is punished once.
//
// The envelope is decoded here from the generated p2p types (the module does not import node/p2p);
// its sign-bytes and the evidence key are the sdk's (sdk/registry/evidence.ts), as the node's p2p
// layer and watcher use them.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { Envelope, SignedBody } from '../../../proto/gen/cairn/p2p/v1/gossip.ts';
import { MsgReportForgedAttestation, MsgReportForgedAttestationResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { type Attestation, TeeType } from '../../../proto/gen/cairn/registry/v1/types.ts';
import {
  ErrBadEnvelopeSignature,
  ErrEvidenceChainId,
  ErrEvidenceIndex,
  ErrEvidenceReported,
  ErrNotForged,
  ErrUndecodableEvidence,
  ErrUnknownSignerKey,
} from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import type { EvidenceLog, RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { attestationFields, attestationSignBytes, verifyEd25519 } from '../../../sdk/registry/sign-bytes.ts';
import { MAX_EVIDENCE_BYTES, envelopeSignBytes, forgedEvidenceHash } from '../../../sdk/registry/evidence.ts';
import { decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';
import { VERIFY_GAS } from './submit-attestation.ts';

/** The SPEC slashing table's fraction for a forged attestation: the whole bond. */
export const FORGED_ATTESTATION_BPS = 10_000;
/** The reporter's share of what is slashed (the SPEC's challenger_reward); the rest is burned. */
export const REPORTER_REWARD_BPS = 2_000;
export const FORGED_ATTESTATION_REASON = 'forged_attestation';

/** Forged-attestation evidence already punished, as punishOperator records it. */
const forgedEvidenceLog: EvidenceLog = { record: (ctx, hash) => keys.forgedEvidence.set(ctx.store, hash, true) };

export interface DecodedEvidence {
  readonly envelope: Envelope;
  readonly body: SignedBody;
  readonly attestation: Attestation;
}

/** Decodes envelope, body and the attestation at `index`; throws a registered error otherwise. */
export function decodeEvidence(bytes: Uint8Array, index: number): DecodedEvidence {
  if (bytes.length === 0 || bytes.length > MAX_EVIDENCE_BYTES) {
    throw ErrUndecodableEvidence.wrap(`envelope has ${bytes.length} bytes; it must be 1-${MAX_EVIDENCE_BYTES}`);
  }
  let envelope: Envelope;
  let body: SignedBody;
  try {
    envelope = Envelope.decode(bytes);
    body = SignedBody.decode(envelope.body);
  } catch (e) {
    throw ErrUndecodableEvidence.wrap((e as Error).message);
  }
  if (body.attestations === undefined) throw ErrUndecodableEvidence.wrap('the envelope carries no attestation set');
  const attestation = body.attestations.attestations[index];
  if (attestation === undefined) throw ErrEvidenceIndex.wrap(`index ${index}; the envelope carries ${body.attestations.attestations.length} attestations`);
  return { envelope, body, attestation };
}

export function msgReportForgedAttestation(registry: RegistryKeeper): MsgHandler<MsgReportForgedAttestation> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgReportForgedAttestation,
    decode: (bytes) => MsgReportForgedAttestation.decode(bytes),
    signers: (msg) => [msg.reporter],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.reporter, 'reporter');
      const { body, attestation } = decodeEvidence(msg.envelope, msg.index);
      decodeAddress(ctx.addresses, body.operator, 'evidence operator');
      if (attestation.operator !== body.operator) {
        throw ErrNotForged.wrap(`attestation ${msg.index} names ${attestation.operator}, not the signer ${body.operator}`);
      }
      if (attestation.teeType === TeeType.TEE_TYPE_NONE) throw ErrNotForged.wrap('a TEE_TYPE_NONE attestation needs no verifier signature');
    },

    async execute(msg, ctx) {
      const { envelope, body, attestation } = decodeEvidence(msg.envelope, msg.index);
      if (body.chainId !== ctx.block.chainId) throw ErrEvidenceChainId.wrap(`signed for "${body.chainId}", this chain is "${ctx.block.chainId}"`);
      const address = ctx.addresses.decode(body.operator);
      await registry.requireOperator(ctx.store, address, body.operator);
      const windows = await registry.receiptKeysOf(ctx.store, address);
      const known = windows.some(
        (w) => Buffer.from(w.key).equals(body.signerKey) && w.validFrom <= body.height && (w.validUntil === undefined || body.height < w.validUntil),
      );
      if (!known) throw ErrUnknownSignerKey.wrap(`${hex(body.signerKey)} at height ${body.height}`);
      ctx.gas.consume(VERIFY_GAS, 'envelope signature');
      if (!verifyEd25519(body.signerKey, envelopeSignBytes(envelope.body), envelope.signature)) throw ErrBadEnvelopeSignature.wrap(`signer key ${hex(body.signerKey)}`);

      const signBytes = attestationSignBytes(attestationFields(ctx.block.chainId, address, attestation));
      const params = await registry.params(ctx.store);
      // With no trusted verifier configured nothing can be verified, so nothing can be called forged.
      if (params.trustedVerifiers.length === 0) throw ErrNotForged.wrap('the registry trusts no verifier yet');
      for (const verifier of params.trustedVerifiers) {
        ctx.gas.consume(VERIFY_GAS, 'attestation signature');
        if (verifyEd25519(verifier, signBytes, attestation.signature)) throw ErrNotForged.wrap(`trusted verifier ${hex(verifier)} signed it`);
      }

      const evidenceHash = forgedEvidenceHash(signBytes, address);
      if ((await keys.forgedEvidence.get(ctx.store, evidenceHash)) !== undefined) throw ErrEvidenceReported.wrap(hex(evidenceHash));
      // The slash stays in the bonds account (no extra module account), pays the reporter from there and burns the rest.
      const { reward } = await registry.punishOperator(ctx, address, {
        bps: FORGED_ATTESTATION_BPS,
        reason: FORGED_ATTESTATION_REASON,
        then: 'tombstone',
        prover: ctx.addresses.decode(msg.reporter),
        rewardBps: REPORTER_REWARD_BPS,
        via: keys.BONDS_ACCOUNT,
        evidence: { hash: evidenceHash, log: forgedEvidenceLog },
      });
      ctx.events.emit(EVENTS.forgedAttestation, {
        operator: body.operator,
        reporter: msg.reporter,
        gpu_id: attestation.gpuId,
        evidence_hash: hex(evidenceHash),
        reward: reward.toString(),
      });
      return msgResponse(REGISTRY_TYPE_URLS.MsgReportForgedAttestation, MsgReportForgedAttestationResponse, {});
    },
  };
}
