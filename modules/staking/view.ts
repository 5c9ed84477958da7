// Read-only access to staking state, for staking itself and for the modules that depend on it
// (distribution, slashing). Stateless: every method takes the store it reads.
import { BondStatus, type Delegation, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { KVRead } from '../../core/store/types.ts';
import { type Dec, mulDivTrunc, parseDec } from '../../core/framework/dec.ts';
import * as keys from './keys.ts';
import { DEFAULT_PARAMS, POWER_REDUCTION, type StakingParams, fromProtoParams } from './params.ts';
import { consensusAddress, consensusKeyBytes } from './addresses.ts';
import { fromBech32 } from '@cosmjs/encoding';
import { BECH32_LIMIT } from '../../core/framework/address.ts';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';

export function tokensOf(v: Validator): bigint {
  return BigInt(v.tokens);
}

export function sharesOf(v: Validator): Dec {
  return parseDec(v.delegatorShares);
}

export function powerOf(v: Validator): bigint {
  return tokensOf(v) / POWER_REDUCTION;
}

export function isBonded(v: Validator): boolean {
  return v.status === BondStatus.BOND_STATUS_BONDED;
}

/** The operator's raw address bytes (validators keep the bech32 form). */
export function operatorBytes(v: Validator): Uint8Array {
  return fromBech32(v.operatorAddress, BECH32_LIMIT).data;
}

export function consAddressOf(v: Validator): Uint8Array {
  return consensusAddress(consensusKeyBytes(v.consensusPubkey));
}

/** Tokens a number of shares is worth, truncated (the SDK's TokensFromSharesTruncated). */
export function tokensFromShares(v: Validator, shares: Dec): Dec {
  const total = sharesOf(v);
  if (total === 0n) return 0n;
  return mulDivTrunc(shares, tokensOf(v) * 10n ** 18n, total);
}

export class StakingView {
  async params(store: KVRead): Promise<StakingParams> {
    const p = await keys.params.get(store);
    if (p === undefined) return DEFAULT_PARAMS;
    return fromProtoParams(p, (await keys.unbondingBlocks.get(store)) ?? DEFAULT_PARAMS.unbondingBlocks);
  }

  validator(store: KVRead, operator: Uint8Array): Promise<Validator | undefined> {
    return keys.validators.get(store, operator);
  }

  async validatorByConsAddr(store: KVRead, consAddr: Uint8Array): Promise<Validator | undefined> {
    const operator = await keys.validatorsByConsAddr.get(store, consAddr);
    return operator === undefined ? undefined : keys.validators.get(store, operator);
  }

  delegation(store: KVRead, delegator: Uint8Array, operator: Uint8Array): Promise<Delegation | undefined> {
    return keys.delegations.get(store, [delegator, operator]);
  }

  /** Delegators of a validator, in address order. */
  async *delegatorsOf(store: KVRead, operator: Uint8Array): AsyncIterable<Uint8Array> {
    for await (const [[, delegator]] of keys.delegationsByValidator.entries(store, { subPrefix: lengthPrefixedBytes.encode(operator) })) yield delegator;
  }

  /** Delegations of a delegator, in validator address order. */
  async *delegationsOf(store: KVRead, delegator: Uint8Array): AsyncIterable<[Uint8Array, Delegation]> {
    for await (const [[, operator], d] of keys.delegations.entries(store, { subPrefix: lengthPrefixedBytes.encode(delegator) })) yield [operator, d];
  }

  async *allValidators(store: KVRead): AsyncIterable<Validator> {
    for await (const [, v] of keys.validators.entries(store)) yield v;
  }

  /** Every delegation as (delegator, validator), in delegator order. */
  async *allDelegations(store: KVRead): AsyncIterable<[Uint8Array, Uint8Array]> {
    for await (const [pair] of keys.delegations.entries(store)) yield pair;
  }

  /** The validator's power in the last validator set sent to CometBFT; 0 when it was not in it. */
  async lastValidatorPower(store: KVRead, operator: Uint8Array): Promise<bigint> {
    return (await keys.lastValidatorPowers.get(store, operator)) ?? 0n;
  }

  /** The last validator set sent to CometBFT, as (operator, power), in operator order. */
  async *lastValidatorPowers(store: KVRead): AsyncIterable<[Uint8Array, bigint]> {
    for await (const entry of keys.lastValidatorPowers.entries(store)) yield entry;
  }

  async totalBondedPower(store: KVRead): Promise<bigint> {
    return (await keys.lastTotalPower.get(store)) ?? 0n;
  }
}
