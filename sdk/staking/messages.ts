// The Cosmos staking module's client face (validators, delegations and its params), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgCreateValidator, MsgEditValidator, MsgDelegate, MsgUndelegate, MsgBeginRedelegate, MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';

export const STAKING_TYPE_URLS = {
  MsgCreateValidator: '/cosmos.staking.v1beta1.MsgCreateValidator',
  MsgEditValidator: '/cosmos.staking.v1beta1.MsgEditValidator',
  MsgDelegate: '/cosmos.staking.v1beta1.MsgDelegate',
  MsgUndelegate: '/cosmos.staking.v1beta1.MsgUndelegate',
  MsgBeginRedelegate: '/cosmos.staking.v1beta1.MsgBeginRedelegate',
  MsgUpdateParams: '/cosmos.staking.v1beta1.MsgUpdateParams',
} as const;

const TYPES = { MsgCreateValidator, MsgEditValidator, MsgDelegate, MsgUndelegate, MsgBeginRedelegate, MsgUpdateParams };

export type StakingMsgName = keyof typeof STAKING_TYPE_URLS;
/** e.g. `StakingEncodeObject<'MsgCreateValidator'>`. */
export type StakingEncodeObject<K extends StakingMsgName = StakingMsgName> = EncodeObjects<typeof STAKING_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry. */
export const stakingTypes = generatedTypes(STAKING_TYPE_URLS, TYPES);
/** `stakingMsgs.MsgCreateValidator({ … })`: the EncodeObject to sign. */
export const stakingMsgs = encodeObjectBuilders(STAKING_TYPE_URLS, TYPES);

/** The Any type of a validator's consensus key (MsgCreateValidator.pubkey): Cairn accepts only ed25519. */
export const CONSENSUS_PUBKEY_TYPE_URL = '/cosmos.crypto.ed25519.PubKey';
