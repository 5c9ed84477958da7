// cairn tx registry authorize-payer-key | revoke-payer-key | submit-attestation
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { registryMsgs } from '../../../sdk/registry/messages.ts';
import { MsgSubmitAttestation } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { eventAttribute } from '../../tx.ts';
import { readJsonObject } from '../receipts/files.ts';
import { parseKey, sendRegistryTx } from './client.ts';

export async function authorizePayerKey(ctx: CommandContext): Promise<void> {
  const key = parseKey(arg(ctx, 1), 'key');
  const label = stringFlag(ctx, 'label') ?? '';
  await sendRegistryTx(ctx, (payer) => [registryMsgs.MsgAuthorizePayerKey({ payer, key, label })]);
}

export async function revokePayerKey(ctx: CommandContext): Promise<void> {
  const key = parseKey(arg(ctx, 1), 'key');
  await sendRegistryTx(ctx, (payer) => [registryMsgs.MsgRevokePayerKey({ payer, key })]);
}

/**
 * The attestation file is what a verifier hands out: MsgSubmitAttestation's fields in protobuf JSON
 * (camelCase; bytes base64; issuedAt/expiresAt unix seconds; teeType e.g. "TEE_TYPE_SEV_SNP").
 * The operator field is filled in with the signing key's address.
 */
export async function submitAttestation(ctx: CommandContext): Promise<void> {
  const fields = MsgSubmitAttestation.fromJSON(await readJsonObject(arg(ctx, 1), 'attestation file'));
  await sendRegistryTx(ctx, (operator) => [registryMsgs.MsgSubmitAttestation({ ...fields, operator })], (r) => [
    ['attestation id', eventAttribute(r, 'submit_attestation', 'attestation_id') ?? '?'],
  ]);
}
