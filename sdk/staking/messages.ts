// The Cosmos staking module's client face (validators, delegations and its params), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgCreateValidator, MsgEditValidator, MsgDelegate, MsgUndelegate, MsgBeginRedelegate, MsgUpdateParams } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { KEPT_COIN, keep, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

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

const DESCRIPTION = { moniker: 'string', identity: 'string', website: 'string', security_contact: 'string', details: 'string' } as const;

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's names. */
export const stakingAmino: readonly AminoMessage[] = aminoMessages(STAKING_TYPE_URLS, TYPES, {
  MsgCreateValidator: [
    'cosmos-sdk/MsgCreateValidator',
    {
      description: keep(DESCRIPTION),
      commission: keep({ rate: keep('dec'), max_rate: keep('dec'), max_change_rate: keep('dec') }),
      min_self_delegation: keep('int'),
      delegator_address: 'string',
      validator_address: 'string',
      pubkey: 'pubkey',
      value: KEPT_COIN,
    },
  ],
  MsgEditValidator: [
    'cosmos-sdk/MsgEditValidator',
    { description: keep(DESCRIPTION), validator_address: 'string', commission_rate: 'dec', min_self_delegation: 'int' },
  ],
  MsgDelegate: ['cosmos-sdk/MsgDelegate', { delegator_address: 'string', validator_address: 'string', amount: KEPT_COIN }],
  MsgUndelegate: ['cosmos-sdk/MsgUndelegate', { delegator_address: 'string', validator_address: 'string', amount: KEPT_COIN }],
  MsgBeginRedelegate: [
    'cosmos-sdk/MsgBeginRedelegate',
    { delegator_address: 'string', validator_src_address: 'string', validator_dst_address: 'string', amount: KEPT_COIN },
  ],
  MsgUpdateParams: [
    'cosmos-sdk/x/staking/MsgUpdateParams',
    {
      authority: 'string',
      params: keep({
        unbonding_time: keep('duration'),
        max_validators: 'number',
        max_entries: 'number',
        historical_entries: 'number',
        bond_denom: 'string',
        min_commission_rate: keep('dec'),
      }),
    },
  ],
});
/** For `new AminoTypes({ ...stakingAminoConverters })`. */
export const stakingAminoConverters = aminoConverters(stakingAmino);
