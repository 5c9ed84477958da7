// Params: defaults, checks (shared by genesis and MsgUpdateParams) and their genesis JSON form.
import type { AddressCodec } from '../../core/framework/address.ts';
import { govAccount } from '../../core/framework/authority.ts';
import { MAX_AMOUNT, validateDenom } from '../../core/framework/coins.ts';
import type { Params } from '../../proto/gen/cairn/registry/v1/types.ts';
import { ErrInvalidParams } from './errors.ts';
import { ED25519_KEY_LENGTH } from '../../sdk/registry/sign-bytes.ts';

/** The default authority is the gov module account, so params change by governance once it exists. */
export function defaultParams(addresses: AddressCodec): Params {
  return {
    authority: addresses.encode(govAccount()),
    minOperatorBond: { denom: 'ucairn', amount: '100000000' }, // 100 CAIRN
    operatorUnbondingBlocks: 604_800n, // 7 days of 1 s blocks: longer than any dispute window
    maxRoyaltyBps: 2000,
    maxRoyaltyRecipients: 8,
    trustedVerifiers: [],
    maxEndpoints: 4,
    maxLinkedHosts: 8,
    maxGpusPerOperator: 64,
    maxServedModels: 128,
    maxPayerKeys: 32,
    maxUnbondingEntries: 7,
    maxAttestationValiditySeconds: 2_592_000n, // 30 days
    priceDenom: 'ucairn',
    maxEvals: 16,
  };
}

// Upper bounds on the limits themselves, so a params change cannot make one message unbounded.
const CAPS = {
  maxRoyaltyRecipients: 64,
  trustedVerifiers: 64,
  maxEndpoints: 32,
  maxLinkedHosts: 64,
  maxGpusPerOperator: 1024,
  maxServedModels: 4096,
  maxPayerKeys: 1024,
  maxUnbondingEntries: 100,
  maxEvals: 64,
} as const;
const MAX_VALIDITY_SECONDS = 10n * 365n * 86_400n;

function bad(detail: string): Error {
  return ErrInvalidParams.wrap(detail);
}

function range(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw bad(`${name} ${value} must be between ${min} and ${max}`);
}

/** Throws ErrInvalidParams naming the first bad field. */
export function validateParams(p: Params, addresses: AddressCodec): void {
  try {
    addresses.decode(p.authority);
  } catch (e) {
    throw bad(`authority: ${(e as Error).message}`);
  }
  const bond = p.minOperatorBond;
  if (bond === undefined) throw bad('min_operator_bond is required');
  try {
    validateDenom(bond.denom);
  } catch (e) {
    throw bad(`min_operator_bond: ${(e as Error).message}`);
  }
  if (!/^[1-9][0-9]*$/.test(bond.amount) || BigInt(bond.amount) > MAX_AMOUNT) throw bad(`min_operator_bond amount "${bond.amount}" must be a positive integer`);
  try {
    validateDenom(p.priceDenom);
  } catch (e) {
    throw bad(`price_denom: ${(e as Error).message}`);
  }
  if (p.operatorUnbondingBlocks < 1n) throw bad('operator_unbonding_blocks must be at least 1');
  if (p.maxAttestationValiditySeconds < 1n || p.maxAttestationValiditySeconds > MAX_VALIDITY_SECONDS) {
    throw bad(`max_attestation_validity_seconds ${p.maxAttestationValiditySeconds} must be between 1 and ${MAX_VALIDITY_SECONDS}`);
  }
  range('max_royalty_bps', p.maxRoyaltyBps, 0, 10_000);
  range('max_royalty_recipients', p.maxRoyaltyRecipients, 1, CAPS.maxRoyaltyRecipients);
  range('max_endpoints', p.maxEndpoints, 1, CAPS.maxEndpoints);
  range('max_linked_hosts', p.maxLinkedHosts, 0, CAPS.maxLinkedHosts);
  range('max_gpus_per_operator', p.maxGpusPerOperator, 1, CAPS.maxGpusPerOperator);
  range('max_served_models', p.maxServedModels, 1, CAPS.maxServedModels);
  range('max_payer_keys', p.maxPayerKeys, 1, CAPS.maxPayerKeys);
  range('max_unbonding_entries', p.maxUnbondingEntries, 1, CAPS.maxUnbondingEntries);
  range('max_evals', p.maxEvals, 0, CAPS.maxEvals);
  if (p.trustedVerifiers.length > CAPS.trustedVerifiers) throw bad(`at most ${CAPS.trustedVerifiers} trusted verifiers`);
  const seen = new Set<string>();
  for (const [i, key] of p.trustedVerifiers.entries()) {
    if (key.length !== ED25519_KEY_LENGTH) throw bad(`trusted_verifiers[${i}] has ${key.length} bytes; an ed25519 key has 32`);
    const hex = Buffer.from(key).toString('hex');
    if (seen.has(hex)) throw bad(`trusted_verifiers[${i}] is listed twice`);
    seen.add(hex);
  }
}

/** Genesis JSON (snake_case, u64 as strings, keys base64). */
export function paramsToJson(p: Params): Record<string, unknown> {
  return {
    authority: p.authority,
    min_operator_bond: { denom: p.minOperatorBond?.denom ?? '', amount: p.minOperatorBond?.amount ?? '' },
    operator_unbonding_blocks: p.operatorUnbondingBlocks.toString(),
    max_royalty_bps: p.maxRoyaltyBps,
    max_royalty_recipients: p.maxRoyaltyRecipients,
    trusted_verifiers: p.trustedVerifiers.map((k) => Buffer.from(k).toString('base64')),
    max_endpoints: p.maxEndpoints,
    max_linked_hosts: p.maxLinkedHosts,
    max_gpus_per_operator: p.maxGpusPerOperator,
    max_served_models: p.maxServedModels,
    max_payer_keys: p.maxPayerKeys,
    max_unbonding_entries: p.maxUnbondingEntries,
    max_attestation_validity_seconds: p.maxAttestationValiditySeconds.toString(),
    price_denom: p.priceDenom,
    max_evals: p.maxEvals,
  };
}
