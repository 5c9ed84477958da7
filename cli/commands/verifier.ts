// `cairn verifier …`: what a trusted verifier (an attestation service, a benchmark runner) signs.
// Its ed25519 public key must be in the registry's params.trusted_verifiers for the chain to accept
// its signatures. Offline commands: nothing here talks to a node.
//   keygen           a verifier key (seed file, mode 0600)
// Both signing commands take --key <seed file>, or --dev: the public dev verifier that `cairn dev`
// and localnets trust.
//   sign-attestation the verifier JSON `cairn tx registry submit-attestation` takes
//   sign-capacity    the --verifier and --signature `cairn tx emission prove-capacity` takes
import { arg, booleanFlag, stringFlag, type CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { fields } from '../output.ts';
import { capacitySignBytes } from '../../sdk/emission/sign-bytes.ts';
import { MAX_GPU_ID_LENGTH } from '../../sdk/emission/messages.ts';
import { attestationFields, attestationSignBytes } from '../../sdk/registry/sign-bytes.ts';
import { devVerifier } from '../../sdk/registry/dev-verifier.ts';
import { decodeBech32 } from '../../core/framework/address.ts';
import { MsgSubmitAttestation } from '../../proto/gen/cairn/registry/v1/tx.ts';
import { TeeType } from '../../proto/gen/cairn/registry/v1/types.ts';
import { readJsonObject, readKey, writeJson } from './receipts/files.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function chainId(ctx: CommandContext): string {
  const id = ctx.global.chainId;
  if (id === undefined || id === '') throw new UsageError('--chain-id is required: the signature is bound to one chain');
  return id;
}

function operatorBytes(ctx: CommandContext): Uint8Array {
  const text = stringFlag(ctx, 'operator');
  if (text === undefined) throw new UsageError('--operator <address> is required: the signature is bound to one operator');
  try {
    const { prefix, data } = decodeBech32(text);
    if (prefix !== 'cairn') throw new Error(`prefix ${prefix}, not cairn`);
    return data;
  } catch (error) {
    throw new UsageError(`--operator ${text} is not an operator address: ${(error as Error).message}`);
  }
}

/** --key <seed file>, or --dev for the public dev verifier (sdk/registry/dev-verifier.ts). */
async function verifierKey(ctx: CommandContext) {
  const file = stringFlag(ctx, 'key');
  const dev = booleanFlag(ctx, 'dev');
  if (dev && file !== undefined) throw new UsageError('give --key <file> or --dev, not both');
  if (dev) return devVerifier();
  if (file === undefined) throw new UsageError('--key <file> is required: the verifier key seed (`cairn verifier keygen`), or --dev on a dev chain or localnet');
  return readKey(file);
}

/**
 * Signs an attestation: the file holds gpuId, teeType, measurement, reportHash, issuedAt and
 * expiresAt (protobuf JSON); the output adds verifier and signature.
 */
export async function signAttestation(ctx: CommandContext): Promise<void> {
  const path = arg(ctx, 0);
  const a = MsgSubmitAttestation.fromJSON(await readJsonObject(path, 'attestation file'));
  if (a.gpuId === '') throw new UsageError(`${path} has no gpuId`);
  if (a.teeType === TeeType.TEE_TYPE_UNSPECIFIED || a.teeType === TeeType.TEE_TYPE_NONE || a.teeType < 0) {
    throw new UsageError(`${path}: teeType must be TEE_TYPE_SEV_SNP, TEE_TYPE_TDX or TEE_TYPE_NVIDIA_CC (TEE_TYPE_NONE needs no verifier)`);
  }
  if (a.expiresAt <= a.issuedAt) throw new UsageError(`${path}: expiresAt must be after issuedAt`);
  const signer = await verifierKey(ctx);
  const signature = signer.sign(attestationSignBytes(attestationFields(chainId(ctx), operatorBytes(ctx), a)));
  const signed = MsgSubmitAttestation.toJSON({ ...a, operator: '', verifier: signer.publicKey, signature }) as Record<string, unknown>;
  delete signed['operator'];
  const out = stringFlag(ctx, 'out');
  if (out !== undefined) await writeJson(out, signed);
  ctx.print({ json: signed, text: out === undefined ? JSON.stringify(signed, null, 2) : `signed the attestation of ${a.gpuId} as verifier ${hex(signer.publicKey)}: ${out}` });
}

/** Signs a capacity benchmark: the GPU of a challenge measured at --count GPUs. */
export async function signCapacity(ctx: CommandContext): Promise<void> {
  const idText = stringFlag(ctx, 'challenge-id') ?? '';
  if (!/^\d{1,20}$/.test(idText) || BigInt(idText) >= 2n ** 64n) throw new UsageError('--challenge-id must be a non-negative integer (`cairn query emission challenges <operator>`)');
  const gpuId = stringFlag(ctx, 'gpu-id') ?? '';
  if (gpuId === '' || gpuId.length > MAX_GPU_ID_LENGTH) throw new UsageError(`--gpu-id must be 1 to ${MAX_GPU_ID_LENGTH} characters`);
  const countText = stringFlag(ctx, 'count') ?? '';
  if (!/^\d{1,10}$/.test(countText) || Number(countText) > 0xffff_ffff) throw new UsageError('--count must be the number of GPUs the benchmark measured');
  const signer = await verifierKey(ctx);
  const signature = signer.sign(capacitySignBytes(chainId(ctx), operatorBytes(ctx), BigInt(idText), gpuId, Number(countText)));
  const result = { challengeId: idText, gpuId, measuredCount: Number(countText), verifier: hex(signer.publicKey), signature: hex(signature) };
  ctx.print({
    json: result,
    text: () =>
      `${fields([
        ['verifier', result.verifier],
        ['signature', result.signature],
      ])}\n\nThe operator answers with: cairn tx emission prove-capacity <operator-key> ${idText} ${countText} --verifier ${result.verifier} --signature ${result.signature}`,
  });
}
