// emission state layout: one prefix byte per collection under "emission/". Operator addresses that
// are followed by more key parts are length-prefixed; epochs are big-endian u64, so byte order is
// logical order.
import { Item, Map, lastStringKey, lengthPrefixedBytes, pairKey, protoCodec, u64Key, uintValue } from '../../core/framework/collections.ts';
import { AvailabilityReport, CapacityChallenge, EpochEmission, OperatorPoints, OperatorReward, Params, Reputation, ReputationRoot } from '../../proto/gen/cairn/emission/v1/types.ts';

export const MODULE = 'emission';
/** Mints each epoch's rewards and pays them out in the same step: empty after every block. */
export const EMISSION_ACCOUNT = 'emission';
/** Holds the bonds of open bonded capacity challenges, exactly (and, within one step, a fake-capacity slash being split). */
export const CHALLENGE_ACCOUNT = 'emission_challenges';

const PREFIX = new TextEncoder().encode('emission/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);
const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);

export const params = new Item(key(0x01), protoCodec(Params));
/** Everything emission ever minted. */
export const mintedTotal = new Item(key(0x02), uintValue);
/** epoch → EpochEmission */
export const epochs = new Map(key(0x03), u64Key, protoCodec(EpochEmission));
/** (epoch, operator) → OperatorReward */
export const rewards = new Map(key(0x04), pairKey(u64Key, lengthPrefixedBytes, () => 8), protoCodec(OperatorReward));
/** (operator, epoch) → marker: the epochs an operator earned in. */
export const rewardEpochs = new Map(key(0x05), pairKey(lengthPrefixedBytes, u64Key, lpLength), {
  encode: (_: true) => Uint8Array.of(1),
  decode: (): true => true,
});
/** operator → OperatorPoints (written only by the epoch end: no message moves points) */
export const points = new Map(key(0x06), lengthPrefixedBytes, protoCodec(OperatorPoints));
/** operator → Reputation */
export const reputations = new Map(key(0x07), lengthPrefixedBytes, protoCodec(Reputation));
/** epoch → ReputationRoot */
export const reputationRoots = new Map(key(0x08), u64Key, protoCodec(ReputationRoot));

/** (epoch, operator, validator) → AvailabilityReport */
export const reports = new Map(
  key(0x09),
  pairKey(u64Key, pairKey(lengthPrefixedBytes, lengthPrefixedBytes, lpLength), () => 8),
  protoCodec(AvailabilityReport),
);

/** challenge id → CapacityChallenge */
export const challenges = new Map(key(0x0a), u64Key, protoCodec(CapacityChallenge));
/** (deadline, challenge id) → marker: open challenges to enforce. */
export const challengeDeadlines = new Map(key(0x0b), pairKey(u64Key, u64Key, () => 8), {
  encode: (_: true) => Uint8Array.of(1),
  decode: (): true => true,
});
export const nextChallengeId = new Item(key(0x0c), uintValue);
/** (epoch, operator) → capacity challenges passed in that epoch */
export const passed = new Map(key(0x0d), pairKey(u64Key, lengthPrefixedBytes, () => 8), uintValue);
/** (operator, GPU id) → id of the GPU's open challenge: one open challenge per GPU. */
export const openByGpu = new Map(key(0x0e), pairKey(lengthPrefixedBytes, lastStringKey, lpLength), u64Key);

/** validator account → the account it lets sign its availability reports */
export const reporters = new Map(key(0x0f), lengthPrefixedBytes, { encode: (a: Uint8Array) => a, decode: (b: Uint8Array) => b });

export const STATE_PREFIX = PREFIX;
export const ALL_PREFIXES: readonly Uint8Array[] = [params.key, mintedTotal.key, epochs.prefix, rewards.prefix, rewardEpochs.prefix, points.prefix, reputations.prefix, reputationRoots.prefix, reports.prefix, challenges.prefix, challengeDeadlines.prefix, nextChallengeId.key, passed.prefix, openByGpu.prefix, reporters.prefix];

/** The key bytes of an operator address (reputation leaves follow this order). */
export function addressKey(address: Uint8Array): Uint8Array {
  return lengthPrefixedBytes.encode(address);
}

export function u64(v: bigint): Uint8Array {
  return u64Key.encode(v);
}
