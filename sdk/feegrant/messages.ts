// The Cosmos feegrant module's client face (one account paying another's fees), as Cairn runs it:
// the messages its handlers accept, the allowance types they carry, and the legacy amino names the
// SDK gives the messages. The only place their type URLs are spelled.
import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import { MsgGrantAllowance, MsgPruneAllowances, MsgRevokeAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { COINS, keep, list, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

const MSG_TYPE_URLS = {
  MsgGrantAllowance: '/cosmos.feegrant.v1beta1.MsgGrantAllowance',
  MsgRevokeAllowance: '/cosmos.feegrant.v1beta1.MsgRevokeAllowance',
  MsgPruneAllowances: '/cosmos.feegrant.v1beta1.MsgPruneAllowances',
} as const;

export const FEEGRANT_TYPE_URLS = {
  ...MSG_TYPE_URLS,
  BasicAllowance: '/cosmos.feegrant.v1beta1.BasicAllowance',
  PeriodicAllowance: '/cosmos.feegrant.v1beta1.PeriodicAllowance',
  AllowedMsgAllowance: '/cosmos.feegrant.v1beta1.AllowedMsgAllowance',
} as const;

/** The SDK's legacy amino names (what amino-JSON sign docs carry as `type`). */
export const FEEGRANT_AMINO_NAMES = {
  MsgGrantAllowance: 'cosmos-sdk/MsgGrantAllowance',
  MsgRevokeAllowance: 'cosmos-sdk/MsgRevokeAllowance',
  MsgPruneAllowances: 'cosmos-sdk/MsgPruneAllowances',
  BasicAllowance: 'cosmos-sdk/BasicAllowance',
  PeriodicAllowance: 'cosmos-sdk/PeriodicAllowance',
  AllowedMsgAllowance: 'cosmos-sdk/AllowedMsgAllowance',
} as const;

const MSG_TYPES = { MsgGrantAllowance, MsgRevokeAllowance, MsgPruneAllowances };

export type FeegrantMsgName = keyof typeof MSG_TYPE_URLS;
/** e.g. `FeegrantEncodeObject<'MsgGrantAllowance'>`. */
export type FeegrantEncodeObject<K extends FeegrantMsgName = FeegrantMsgName> = EncodeObjects<typeof MSG_TYPE_URLS, typeof MSG_TYPES>[K];

/** For a CosmJS Registry (the messages, and the allowance types for encoding and decoding their Anys). */
export const feegrantTypes = generatedTypes(FEEGRANT_TYPE_URLS, { ...MSG_TYPES, BasicAllowance, PeriodicAllowance, AllowedMsgAllowance });
/** `feegrantMsgs.MsgGrantAllowance({ granter, grantee, allowance })`: the EncodeObject to sign. */
export const feegrantMsgs = encodeObjectBuilders(MSG_TYPE_URLS, MSG_TYPES);

/** The Any of a BasicAllowance, for MsgGrantAllowance.allowance. */
export function basicAllowance(value: Partial<BasicAllowance>): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: FEEGRANT_TYPE_URLS.BasicAllowance, value: BasicAllowance.encode(BasicAllowance.fromPartial(value)).finish() };
}

/** The Any of a PeriodicAllowance, for MsgGrantAllowance.allowance. */
export function periodicAllowance(value: Partial<PeriodicAllowance>): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: FEEGRANT_TYPE_URLS.PeriodicAllowance, value: PeriodicAllowance.encode(PeriodicAllowance.fromPartial(value)).finish() };
}

const BASIC = { spend_limit: COINS, expiration: 'timestamp' } as const;
const N = FEEGRANT_AMINO_NAMES;

/** Amino JSON (Ledger, Keplr's amino path): the messages and the allowances their Anys hold. */
export const feegrantAmino: readonly AminoMessage[] = aminoMessages(
  FEEGRANT_TYPE_URLS,
  { ...MSG_TYPES, BasicAllowance, PeriodicAllowance, AllowedMsgAllowance },
  {
    MsgGrantAllowance: [N.MsgGrantAllowance, { granter: 'string', grantee: 'string', allowance: 'any' }],
    MsgRevokeAllowance: [N.MsgRevokeAllowance, { granter: 'string', grantee: 'string' }],
    MsgPruneAllowances: [N.MsgPruneAllowances, { pruner: 'string' }],
    BasicAllowance: [N.BasicAllowance, BASIC],
    PeriodicAllowance: [
      N.PeriodicAllowance,
      { basic: keep(BASIC), period: keep('duration'), period_spend_limit: COINS, period_can_spend: COINS, period_reset: keep('timestamp') },
    ],
    AllowedMsgAllowance: [N.AllowedMsgAllowance, { allowance: 'any', allowed_messages: list('string') }],
  },
);
/** For `new AminoTypes({ ...feegrantAminoConverters })`. */
export const feegrantAminoConverters = aminoConverters(feegrantAmino);
