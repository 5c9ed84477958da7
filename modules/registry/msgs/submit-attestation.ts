// MsgSubmitAttestation: the operator records a TEE attestation of one of its GPUs, signed by a
// verifier from params.trusted_verifiers over the sign-bytes in ../sign-bytes.ts. TEE_TYPE_NONE is a
// self-declaration: no verifier, no signature, and it ranks below any verified TEE. The newest
// attestation of a GPU is its current one; it counts while issued_at <= block time < expires_at.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgSubmitAttestation, MsgSubmitAttestationResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { TeeType } from '../../../proto/gen/cairn/registry/v1/types.ts';
import {
  ErrAttestationExpired,
  ErrBadVerifierSignature,
  ErrDuplicateAttestation,
  ErrGpuNotFound,
  ErrInvalidAttestation,
  ErrTeeMismatch,
  ErrUntrustedVerifier,
} from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { ED25519_SIGNATURE_LENGTH, attestationFields, attestationId, attestationSignBytes, verifyEd25519 } from '../../../sdk/registry/sign-bytes.ts';
import { LIMITS, checkEd25519Key, checkGpuId, decodeAddress, isTeeType } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

/** Gas for one ed25519 verification: the auth module's default sig_verify_cost_ed25519. */
export const VERIFY_GAS = 590n;

export function msgSubmitAttestation(registry: RegistryKeeper): MsgHandler<MsgSubmitAttestation> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgSubmitAttestation,
    decode: (bytes) => MsgSubmitAttestation.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkGpuId(msg.gpuId, 'gpu_id');
      if (!isTeeType(msg.teeType)) throw ErrInvalidAttestation.wrap(`tee_type ${msg.teeType} is not a known TEE type`);
      if (msg.issuedAt < 0n) throw ErrInvalidAttestation.wrap('issued_at is before 1970');
      if (msg.expiresAt <= msg.issuedAt) throw ErrInvalidAttestation.wrap(`expires_at ${msg.expiresAt} is not after issued_at ${msg.issuedAt}`);
      if (msg.measurement.length > LIMITS.measurementBytes) throw ErrInvalidAttestation.wrap(`measurement has ${msg.measurement.length} bytes; the limit is ${LIMITS.measurementBytes}`);
      if (msg.teeType === TeeType.TEE_TYPE_NONE) {
        if (msg.reportHash.length !== 0 && msg.reportHash.length !== LIMITS.hashBytes) throw ErrInvalidAttestation.wrap('report_hash must be empty or 32 bytes');
        if (msg.verifier.length !== 0 || msg.signature.length !== 0) throw ErrInvalidAttestation.wrap('a TEE_TYPE_NONE attestation carries no verifier or signature');
        return;
      }
      if (msg.measurement.length === 0) throw ErrInvalidAttestation.wrap('measurement is empty');
      if (msg.reportHash.length !== LIMITS.hashBytes) throw ErrInvalidAttestation.wrap(`report_hash has ${msg.reportHash.length} bytes; a sha256 has 32`);
      checkEd25519Key(msg.verifier, 'verifier');
      if (msg.signature.length !== ED25519_SIGNATURE_LENGTH) throw ErrBadVerifierSignature.wrap(`signature has ${msg.signature.length} bytes; an ed25519 signature has 64`);
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      await registry.requireListedOperator(ctx.store, address, msg.operator);
      const gpu = await keys.gpus.get(ctx.store, [address, msg.gpuId]);
      if (gpu === undefined) throw ErrGpuNotFound.wrap(`${msg.operator} has no GPU ${msg.gpuId}`);
      if (msg.teeType !== TeeType.TEE_TYPE_NONE && !gpu.teeTypes.includes(msg.teeType)) {
        throw ErrTeeMismatch.wrap(`GPU ${msg.gpuId} declares tee_types [${gpu.teeTypes.join(', ')}], not ${msg.teeType}`);
      }
      const params = await registry.params(ctx.store);
      if (msg.expiresAt - msg.issuedAt > params.maxAttestationValiditySeconds) {
        throw ErrInvalidAttestation.wrap(`valid for ${msg.expiresAt - msg.issuedAt} s; max_attestation_validity_seconds is ${params.maxAttestationValiditySeconds}`);
      }
      const now = ctx.block.time.seconds;
      if (msg.expiresAt <= now) throw ErrAttestationExpired.wrap(`expired at ${msg.expiresAt}, block time is ${now}`);
      const fields = attestationFields(ctx.block.chainId, address, msg);
      if (msg.teeType !== TeeType.TEE_TYPE_NONE) {
        if (!params.trustedVerifiers.some((k) => Buffer.from(k).equals(msg.verifier))) throw ErrUntrustedVerifier.wrap(hex(msg.verifier));
        ctx.gas.consume(VERIFY_GAS, 'attestation signature');
        if (!verifyEd25519(msg.verifier, attestationSignBytes(fields), msg.signature)) {
          throw ErrBadVerifierSignature.wrap(`verifier ${hex(msg.verifier)}`);
        }
      }
      const id = attestationId(fields);
      if ((await keys.attestations.get(ctx.store, id)) !== undefined) throw ErrDuplicateAttestation.wrap(hex(id));
      keys.attestations.set(ctx.store, id, {
        id,
        operator: msg.operator,
        gpuId: msg.gpuId,
        teeType: msg.teeType,
        measurement: msg.measurement,
        reportHash: msg.reportHash,
        issuedAt: msg.issuedAt,
        expiresAt: msg.expiresAt,
        verifier: msg.verifier,
        signature: msg.signature,
        submittedHeight: ctx.block.height,
      });
      keys.currentAttestations.set(ctx.store, [address, msg.gpuId], id);
      ctx.events.emit(EVENTS.submitAttestation, {
        operator: msg.operator,
        gpu_id: msg.gpuId,
        attestation_id: hex(id),
        tee_type: String(msg.teeType),
        expires_at: msg.expiresAt.toString(),
      });
      return msgResponse(REGISTRY_TYPE_URLS.MsgSubmitAttestation, MsgSubmitAttestationResponse, { id });
    },
  };
}
