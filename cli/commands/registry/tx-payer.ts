// cairn tx registry authorize-payer-key | revoke-payer-key | submit-attestation
import { readFile } from 'node:fs/promises';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { CliError, UsageError } from '../../errors.ts';
import { REGISTRY_TYPE_URLS as URLS } from '../../../modules/registry/cosmjs.ts';
import { MsgSubmitAttestation } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { eventAttribute } from '../../tx.ts';
import { parseKey, sendRegistryTx } from './client.ts';

export async function authorizePayerKey(ctx: CommandContext): Promise<void> {
  const key = parseKey(arg(ctx, 1), 'key');
  const label = stringFlag(ctx, 'label') ?? '';
  await sendRegistryTx(ctx, (payer) => [{ typeUrl: URLS.MsgAuthorizePayerKey, value: { payer, key, label } }]);
}

export async function revokePayerKey(ctx: CommandContext): Promise<void> {
  const key = parseKey(arg(ctx, 1), 'key');
  await sendRegistryTx(ctx, (payer) => [{ typeUrl: URLS.MsgRevokePayerKey, value: { payer, key } }]);
}

/**
 * The attestation file is what a verifier hands out: MsgSubmitAttestation's fields in protobuf JSON
 * (camelCase; bytes base64; issuedAt/expiresAt unix seconds; teeType e.g. "TEE_TYPE_SEV_SNP").
 * The operator field is filled in with the signing key's address.
 */
export async function submitAttestation(ctx: CommandContext): Promise<void> {
  const path = arg(ctx, 1);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the attestation file ${path}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null) throw new UsageError(`${path} must hold a JSON object`);
  const fields = MsgSubmitAttestation.fromJSON(json);
  await sendRegistryTx(ctx, (operator) => [{ typeUrl: URLS.MsgSubmitAttestation, value: { ...fields, operator } }], (r) => [
    ['attestation id', eventAttribute(r, 'submit_attestation', 'attestation_id') ?? '?'],
  ]);
}
