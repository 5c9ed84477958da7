// The Cosmos auth module's client face: its one message (MsgUpdateParams, signed by the params
// authority), and the Any types a client meets of it: accounts (the Account query) and the
// secp256k1 keys that sign transactions. The only place their type URLs are spelled.
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/auth/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { keep, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

const MSG_TYPE_URLS = {
  MsgUpdateParams: '/cosmos.auth.v1beta1.MsgUpdateParams',
} as const;

export const AUTH_TYPE_URLS = {
  ...MSG_TYPE_URLS,
  BaseAccount: '/cosmos.auth.v1beta1.BaseAccount',
  ModuleAccount: '/cosmos.auth.v1beta1.ModuleAccount',
  /** The only account key type Cairn accepts. */
  Secp256k1PubKey: '/cosmos.crypto.secp256k1.PubKey',
} as const;

const MSG_TYPES = { MsgUpdateParams };

export type AuthMsgName = keyof typeof MSG_TYPE_URLS;
/** e.g. `AuthEncodeObject<'MsgUpdateParams'>`. */
export type AuthEncodeObject<K extends AuthMsgName = AuthMsgName> = EncodeObjects<typeof MSG_TYPE_URLS, typeof MSG_TYPES>[K];

/** For a CosmJS Registry (the message, and the account and key types for decoding queries' Anys). */
export const authTypes = generatedTypes(AUTH_TYPE_URLS, { ...MSG_TYPES, BaseAccount, ModuleAccount, Secp256k1PubKey: PubKey });
/** `authMsgs.MsgUpdateParams({ authority, params })`: the EncodeObject to sign. */
export const authMsgs = encodeObjectBuilders(MSG_TYPE_URLS, MSG_TYPES);

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's name. */
export const authAmino: readonly AminoMessage[] = aminoMessages(MSG_TYPE_URLS, MSG_TYPES, {
  MsgUpdateParams: [
    'cosmos-sdk/x/auth/MsgUpdateParams',
    {
      authority: 'string',
      params: keep({
        max_memo_characters: 'int64',
        tx_sig_limit: 'int64',
        tx_size_cost_per_byte: 'int64',
        sig_verify_cost_ed25519: 'int64',
        sig_verify_cost_secp256k1: 'int64',
      }),
    },
  ],
});
/** For `new AminoTypes({ ...authAminoConverters })`. */
export const authAminoConverters = aminoConverters(authAmino);
