// Emission params: defaults (SPEC: 21M cap, 5.25M in year 0, halving every 2 years) and the checks
// genesis and MsgUpdateParams run: bps in range, weights summing to 10000, and a schedule that fits under the cap.
import type { AddressCodec } from '../../core/framework/address.ts';
import { govAccount } from '../../core/framework/authority.ts';
import type { Params } from '../../proto/gen/cairn/emission/v1/types.ts';
import { U128_MAX } from '../../sdk/bytes.ts';
import { ErrInvalidParams } from './errors.ts';
import { scheduleTotal } from './schedule.ts';

export const BPS = 10_000;
const CAIRN = 1_000_000n;

/** The default authority is the gov module account, so params change by governance once it exists. */
export function defaultParams(addresses: AddressCodec): Params {
  return {
    authority: addresses.encode(govAccount()),
    denom: 'ucairn',
    maxSupply: (21_000_000n * CAIRN).toString(),
    year0Budget: (5_250_000n * CAIRN).toString(),
    halvingIntervalYears: 2,
    // The receipts module's default epoch is 3600 blocks of ~1 s: one hour.
    epochsPerYear: 8760n,
    validatorShareBps: 2000,
    usageWeightBps: 6000,
    jobsWeightBps: 2000,
    uptimeWeightBps: 1000,
    availabilityWeightBps: 1000,
    maxOperatorShareBps: 2500,
    maxEmissionPerFeeBps: 5000,
    // On: a real network must pay its operators. Test chains that assert exact balances turn it
    // off in their genesis (test/support/registry.ts).
    enabled: true,
    // Four GPUs an hour. Picks need a trusted verifier to answer them: none are made while the
    // registry trusts no verifier.
    capacityChallengesPerEpoch: 4,
    // ~10 minutes of 1 s blocks to run and sign a benchmark.
    capacityWindow: 600n,
    fakeCapacityBps: 2000,
    fakeCapacityJailBlocks: 86_400n,
    // 10 CAIRN: a griefer who challenges honest operators loses it to each of them.
    capacityChallengeBond: (10n * CAIRN).toString(),
    // As in receipts: a fifth of the slash to whoever proved the fault, the rest burned.
    challengerRewardBps: 2000,
    // 2 CAIRN of finalized paid usage in the (one-hour) epoch makes it count for reputation: one
    // GPU-hour at the guides' example price, so an operator that served an hour of real work clears
    // it, while a self-paying farmer loses at least (1 − max_emission_per_fee_bps) × protocol_fee_bps
    // of it, 0.05 CAIRN, per identity and epoch (README.md "Reputation").
    minActiveEpochAmount: (2n * CAIRN).toString(),
  };
}

function bps(name: string, v: number, min = 0, max = BPS): void {
  if (!Number.isInteger(v) || v < min || v > max) throw ErrInvalidParams.wrap(`${name} ${v} must be an integer between ${min} and ${max}`);
}

function amount(name: string, text: string): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw ErrInvalidParams.wrap(`${name} "${text}" is not a non-negative integer`);
  const v = BigInt(text);
  if (v > U128_MAX) throw ErrInvalidParams.wrap(`${name} exceeds u128`);
  return v;
}

export function validateParams(p: Params, addresses: AddressCodec): void {
  try {
    addresses.decode(p.authority);
  } catch (e) {
    throw ErrInvalidParams.wrap(`authority: ${(e as Error).message}`);
  }
  if (!/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(p.denom)) throw ErrInvalidParams.wrap(`denom "${p.denom}" is not a valid denom`);
  const max = amount('max_supply', p.maxSupply);
  const year0 = amount('year0_budget', p.year0Budget);
  if (max === 0n) throw ErrInvalidParams.wrap('max_supply must be positive');
  if (p.epochsPerYear < 1n || p.epochsPerYear > 1_000_000_000n) throw ErrInvalidParams.wrap(`epochs_per_year ${p.epochsPerYear} must be between 1 and 10^9`);
  if (!Number.isInteger(p.halvingIntervalYears) || p.halvingIntervalYears < 1 || p.halvingIntervalYears > 100) {
    throw ErrInvalidParams.wrap(`halving_interval_years ${p.halvingIntervalYears} must be between 1 and 100`);
  }
  if (year0 > max) throw ErrInvalidParams.wrap(`year0_budget ${year0} exceeds max_supply ${max}`);
  // Minting also stops at the cap, but a schedule that could not fit under it is a mistake.
  const total = scheduleTotal(p);
  if (total > max) throw ErrInvalidParams.wrap(`the schedule would mint ${total}, more than max_supply ${max}`);
  // Below 10000: validators are paid in proportion to what operators earned, so operators need a pool.
  bps('validator_share_bps', p.validatorShareBps, 0, BPS - 1);
  bps('usage_weight_bps', p.usageWeightBps);
  bps('jobs_weight_bps', p.jobsWeightBps);
  bps('uptime_weight_bps', p.uptimeWeightBps);
  bps('availability_weight_bps', p.availabilityWeightBps);
  const weights = p.usageWeightBps + p.jobsWeightBps + p.uptimeWeightBps + p.availabilityWeightBps;
  if (weights !== BPS) throw ErrInvalidParams.wrap(`usage + jobs + uptime + availability weights sum to ${weights}, not ${BPS}`);
  bps('max_operator_share_bps', p.maxOperatorShareBps, 1);
  // At or above 10000 an operator paying itself would get back at least the fee: farmable.
  bps('max_emission_per_fee_bps', p.maxEmissionPerFeeBps, 0, BPS - 1);
  if (!Number.isInteger(p.capacityChallengesPerEpoch) || p.capacityChallengesPerEpoch > 1024) throw ErrInvalidParams.wrap(`capacity_challenges_per_epoch ${p.capacityChallengesPerEpoch} must be between 0 and 1024`);
  if (p.capacityWindow < 1n || p.capacityWindow > 10_000_000n) throw ErrInvalidParams.wrap(`capacity_window ${p.capacityWindow} must be between 1 and 10^7 blocks`);
  bps('fake_capacity_bps', p.fakeCapacityBps, 1);
  if (p.fakeCapacityJailBlocks < 1n) throw ErrInvalidParams.wrap('fake_capacity_jail_blocks must be at least 1');
  // A free challenge would let anyone make operators run benchmarks for nothing.
  if (amount('capacity_challenge_bond', p.capacityChallengeBond) === 0n) throw ErrInvalidParams.wrap('capacity_challenge_bond must be positive');
  bps('challenger_reward_bps', p.challengerRewardBps);
  // Zero would count any epoch with a batch, however small: reputation would be bought again.
  if (amount('min_active_epoch_amount', p.minActiveEpochAmount) === 0n) throw ErrInvalidParams.wrap('min_active_epoch_amount must be positive');
}
