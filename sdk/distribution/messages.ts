// The Cosmos distribution module's client face (staking rewards, commission and the community pool), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgSetWithdrawAddress, MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission, MsgFundCommunityPool, MsgUpdateParams } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';

export const DISTRIBUTION_TYPE_URLS = {
  MsgSetWithdrawAddress: '/cosmos.distribution.v1beta1.MsgSetWithdrawAddress',
  MsgWithdrawDelegatorReward: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
  MsgWithdrawValidatorCommission: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission',
  MsgFundCommunityPool: '/cosmos.distribution.v1beta1.MsgFundCommunityPool',
  MsgUpdateParams: '/cosmos.distribution.v1beta1.MsgUpdateParams',
} as const;

const TYPES = { MsgSetWithdrawAddress, MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission, MsgFundCommunityPool, MsgUpdateParams };

export type DistributionMsgName = keyof typeof DISTRIBUTION_TYPE_URLS;
/** e.g. `DistributionEncodeObject<'MsgSetWithdrawAddress'>`. */
export type DistributionEncodeObject<K extends DistributionMsgName = DistributionMsgName> = EncodeObjects<typeof DISTRIBUTION_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry. */
export const distributionTypes = generatedTypes(DISTRIBUTION_TYPE_URLS, TYPES);
/** `distributionMsgs.MsgSetWithdrawAddress({ … })`: the EncodeObject to sign. */
export const distributionMsgs = encodeObjectBuilders(DISTRIBUTION_TYPE_URLS, TYPES);
