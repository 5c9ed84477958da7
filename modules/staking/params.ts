// staking params. The cosmos Params proto is kept as-is for what it can say; the unbonding period is
// a number of blocks (SPEC §2: "unbonding period in blocks"), so `unbonding_time` in the Params query
// is an estimate: unbonding_blocks × the chain's average block interval so far.
import type { Params } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { GenesisError, at, object, optional, string, uint } from '../../core/framework/json.ts';
import { type Dec, ONE, decToProto, formatDec, parseDec, parseDecJson } from '../../core/framework/dec.ts';

/** Tokens per unit of CometBFT voting power (the SDK's DefaultPowerReduction). */
export const POWER_REDUCTION = 1_000_000n;

export interface StakingParams {
  readonly unbondingBlocks: bigint;
  readonly maxValidators: number;
  readonly maxEntries: number;
  readonly historicalEntries: number;
  readonly bondDenom: string;
  readonly minCommissionRate: Dec;
}

export const DEFAULT_PARAMS: StakingParams = {
  // 21 days of Cairn's 1-second blocks: the Cosmos SDK's unbonding_time, and far above the 100,000
  // blocks of max evidence age, so a double sign is still punishable until the stake has left.
  unbondingBlocks: 1_814_400n,
  maxValidators: 100,
  maxEntries: 7,
  // The SDK's default: headers and validator sets of the last 10000 blocks (HistoricalInfo query).
  historicalEntries: 10_000,
  bondDenom: 'ucairn',
  minCommissionRate: 0n,
};

export function paramsToJson(p: StakingParams): Record<string, unknown> {
  return {
    unbonding_blocks: p.unbondingBlocks.toString(),
    max_validators: p.maxValidators,
    max_entries: p.maxEntries,
    historical_entries: p.historicalEntries,
    bond_denom: p.bondDenom,
    min_commission_rate: formatDec(p.minCommissionRate),
  };
}

export function readParams(json: unknown): StakingParams {
  const p = object(json, 'staking.params');
  const small = (k: string, fallback: number): number => Number(optional(p[k], BigInt(fallback), (x) => uint(x, `staking.params.${k}`, 2n ** 32n - 1n)));
  let minCommissionRate: Dec;
  try {
    minCommissionRate = optional(p['min_commission_rate'], DEFAULT_PARAMS.minCommissionRate, (v) => parseDecJson(string(v, 'staking.params.min_commission_rate')));
  } catch (err) {
    if (err instanceof GenesisError) throw err;
    throw new GenesisError(`staking.params.min_commission_rate: ${(err as Error).message}`);
  }
  const params: StakingParams = {
    unbondingBlocks: optional(p['unbonding_blocks'], DEFAULT_PARAMS.unbondingBlocks, (v) => uint(v, 'staking.params.unbonding_blocks')),
    maxValidators: small('max_validators', DEFAULT_PARAMS.maxValidators),
    maxEntries: small('max_entries', DEFAULT_PARAMS.maxEntries),
    historicalEntries: small('historical_entries', DEFAULT_PARAMS.historicalEntries),
    bondDenom: optional(p['bond_denom'], DEFAULT_PARAMS.bondDenom, (v) => string(v, 'staking.params.bond_denom')),
    minCommissionRate,
  };
  at('staking.params', () => validateParams(params));
  return params;
}

/** The check genesis and MsgUpdateParams share (the SDK's Params.Validate); throws an Error naming the field. */
export function validateParams(p: StakingParams): void {
  if (p.unbondingBlocks <= 0n) throw new Error('unbonding_time (unbonding_blocks) must be positive');
  if (p.maxValidators < 1) throw new Error(`max_validators must be positive, got ${p.maxValidators}`);
  if (p.maxEntries < 1) throw new Error(`max_entries must be positive, got ${p.maxEntries}`);
  if (p.bondDenom === '') throw new Error('bond_denom cannot be blank');
  if (!DENOM.test(p.bondDenom)) throw new Error(`bond_denom "${p.bondDenom}" is not a valid denom`);
  if (p.minCommissionRate < 0n || p.minCommissionRate > ONE) throw new Error(`min_commission_rate must be between 0 and 1, got ${formatDec(p.minCommissionRate)}`);
}

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

/** The cosmos proto form kept in state (unbonding_time there is only an estimate, see above). */
export function toProtoParams(p: StakingParams, blockMs: bigint): Params {
  const ms = p.unbondingBlocks * blockMs;
  return {
    unbondingTime: { seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1_000_000 },
    maxValidators: p.maxValidators,
    maxEntries: p.maxEntries,
    historicalEntries: p.historicalEntries,
    bondDenom: p.bondDenom,
    minCommissionRate: decToProto(p.minCommissionRate),
  };
}

export function fromProtoParams(p: Params, unbondingBlocks: bigint): StakingParams {
  return {
    unbondingBlocks,
    maxValidators: p.maxValidators,
    maxEntries: p.maxEntries,
    historicalEntries: p.historicalEntries,
    bondDenom: p.bondDenom,
    minCommissionRate: parseDec(p.minCommissionRate),
  };
}
