// staking state layout. One byte per collection under "staking/"; addresses are length-prefixed so
// that (delegator, validator) pairs never collide, and heights are big-endian so queues iterate in
// height order. The power index sorts by inverted power, so the first entries are the strongest.
import { DVPair, DVVTriplet, Delegation, HistoricalInfo, Params, Redelegation, UnbondingDelegation, Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { Item, Map, lengthPrefixedBytes, marker, pairKey, protoCodec, u64Key, u64Value, uintValue } from '../../core/framework/collections.ts';

export const MODULE = 'staking';
export const BONDED_POOL = 'bonded_tokens_pool';
export const NOT_BONDED_POOL = 'not_bonded_tokens_pool';

const PREFIX = new TextEncoder().encode('staking/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

const lp = lengthPrefixedBytes;
const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);
/** (address, address): delegator/validator pairs and their reverse indexes. */
export const addressPair = pairKey(lp, lp, lpLength);
/** (delegator, source validator, destination validator). */
export const addressTriple = pairKey(lp, addressPair, lpLength);
/** (height, id): unbonding and redelegation maturity queues. */
const heightId = pairKey(u64Key, u64Key, () => 8);
/** (height, operator): the validator maturity queue. */
const heightAddress = pairKey(u64Key, lp, () => 8);
/** (inverted power, operator): the power index. */
const powerKey = pairKey(u64Key, lp, () => 8);


export const params = new Item(key(0x01), protoCodec(Params));
/** The unbonding period in blocks (SPEC §2); `Params.unbonding_time` only reports an estimate of it. */
export const unbondingBlocks = new Item(key(0x02), u64Value);
export const lastTotalPower = new Item(key(0x03), uintValue);
export const nextUnbondingId = new Item(key(0x04), u64Value);
/** Recent milliseconds per block and the consensus time of the last block, to turn block counts into time estimates. */
export const averageBlockMs = new Item(key(0x05), u64Value);
export const lastBlockTime = new Item(key(0x06), u64Value);

/** operator address bytes → Validator. */
export const validators = new Map(key(0x21), lp, protoCodec(Validator));
/** consensus address (sha256(pubkey)[:20]) → operator address bytes. */
export const validatorsByConsAddr = new Map(key(0x22), lp, { encode: (v: Uint8Array) => v, decode: (b: Uint8Array) => b });
/** Non-jailed validators with power > 0, strongest first. */
export const powerIndex = new Map(key(0x23), powerKey, marker);
/** operator → power last sent to CometBFT (the current validator set). */
export const lastValidatorPowers = new Map(key(0x24), lp, u64Value);

/** (delegator, validator) → Delegation, and the (validator, delegator) index. */
export const delegations = new Map(key(0x31), addressPair, protoCodec(Delegation));
export const delegationsByValidator = new Map(key(0x32), addressPair, marker);
/** (delegator, validator) → UnbondingDelegation, and the (validator, delegator) index. */
export const unbondingDelegations = new Map(key(0x33), addressPair, protoCodec(UnbondingDelegation));
export const unbondingByValidator = new Map(key(0x34), addressPair, marker);
/** (delegator, src, dst) → Redelegation, with indexes by source and by destination validator. */
export const redelegations = new Map(key(0x35), addressTriple, protoCodec(Redelegation));
export const redelegationsBySrc = new Map(key(0x36), addressTriple, marker);
export const redelegationsByDst = new Map(key(0x37), addressTriple, marker);

/** (completion height, unbonding id) → the pair / triple whose entry matures then. */
export const unbondingQueue = new Map(key(0x41), heightId, protoCodec(DVPair));
export const redelegationQueue = new Map(key(0x42), heightId, protoCodec(DVVTriplet));
/** (completion height, operator) → the unbonding height the validator had when it was queued. */
export const validatorQueue = new Map(key(0x43), heightAddress, u64Value);

export const MAX_U64 = 2n ** 64n - 1n;

export function invertPower(power: bigint): bigint {
  return MAX_U64 - (power > MAX_U64 ? MAX_U64 : power);
}

/** unbonding id → completion height of that unbonding or redelegation entry. */
export const entryCompletion = new Map(key(0x44), u64Key, u64Value);

/** height → the block's header and bonded set (the last `historical_entries` heights; SDK HistoricalInfo). */
export const historicalInfo = new Map(key(0x50), u64Key, protoCodec(HistoricalInfo));
