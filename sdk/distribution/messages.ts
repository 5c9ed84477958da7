// The Cosmos distribution module's client face (staking rewards, commission and the community pool), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgSetWithdrawAddress, MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission, MsgFundCommunityPool, MsgUpdateParams } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { COINS, keep, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

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

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's names (which differ from the proto names here). */
export const distributionAmino: readonly AminoMessage[] = aminoMessages(DISTRIBUTION_TYPE_URLS, TYPES, {
  MsgSetWithdrawAddress: ['cosmos-sdk/MsgModifyWithdrawAddress', { delegator_address: 'string', withdraw_address: 'string' }],
  MsgWithdrawDelegatorReward: ['cosmos-sdk/MsgWithdrawDelegationReward', { delegator_address: 'string', validator_address: 'string' }],
  MsgWithdrawValidatorCommission: ['cosmos-sdk/MsgWithdrawValCommission', { validator_address: 'string' }],
  MsgFundCommunityPool: ['cosmos-sdk/MsgFundCommunityPool', { amount: COINS, depositor: 'string' }],
  MsgUpdateParams: [
    'cosmos-sdk/distribution/MsgUpdateParams',
    {
      authority: 'string',
      params: keep({ community_tax: keep('dec'), base_proposer_reward: keep('dec'), bonus_proposer_reward: keep('dec'), withdraw_addr_enabled: 'bool' }),
    },
  ],
});
/** For `new AminoTypes({ ...distributionAminoConverters })`. */
export const distributionAminoConverters = aminoConverters(distributionAmino);
