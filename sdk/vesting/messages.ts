// The Cosmos vesting module's client face, as Cairn runs it: MsgCreateVestingAccount (a continuous or
// delayed vesting account funded by the sender) and the vesting account types the auth Account query
// returns (CosmJS's accountFromAny reads them). The only place their type URLs are spelled.
import { ContinuousVestingAccount, DelayedVestingAccount, PeriodicVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/vesting';
import { MsgCreateVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { COINS, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

const MSG_TYPE_URLS = {
  MsgCreateVestingAccount: '/cosmos.vesting.v1beta1.MsgCreateVestingAccount',
} as const;

export const VESTING_TYPE_URLS = {
  ...MSG_TYPE_URLS,
  ContinuousVestingAccount: '/cosmos.vesting.v1beta1.ContinuousVestingAccount',
  DelayedVestingAccount: '/cosmos.vesting.v1beta1.DelayedVestingAccount',
  PeriodicVestingAccount: '/cosmos.vesting.v1beta1.PeriodicVestingAccount',
} as const;

/** The SDK's legacy amino names. */
export const VESTING_AMINO_NAMES = {
  MsgCreateVestingAccount: 'cosmos-sdk/MsgCreateVestingAccount',
} as const;

const MSG_TYPES = { MsgCreateVestingAccount };

export type VestingMsgName = keyof typeof MSG_TYPE_URLS;
export type VestingEncodeObject<K extends VestingMsgName = VestingMsgName> = EncodeObjects<typeof MSG_TYPE_URLS, typeof MSG_TYPES>[K];

/** For a CosmJS Registry (the message, and the account types for decoding the Account query's Any). */
export const vestingTypes = generatedTypes(VESTING_TYPE_URLS, { ...MSG_TYPES, ContinuousVestingAccount, DelayedVestingAccount, PeriodicVestingAccount });
/** `vestingMsgs.MsgCreateVestingAccount({ fromAddress, toAddress, amount, endTime, delayed })`. */
export const vestingMsgs = encodeObjectBuilders(MSG_TYPE_URLS, MSG_TYPES);

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's name. */
export const vestingAmino: readonly AminoMessage[] = aminoMessages(MSG_TYPE_URLS, MSG_TYPES, {
  MsgCreateVestingAccount: [
    VESTING_AMINO_NAMES.MsgCreateVestingAccount,
    { from_address: 'string', to_address: 'string', amount: COINS, end_time: 'int64', delayed: 'bool' },
  ],
});
/** For `new AminoTypes({ ...vestingAminoConverters })`. */
export const vestingAminoConverters = aminoConverters(vestingAmino);
