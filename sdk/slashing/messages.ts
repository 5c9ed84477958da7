// The Cosmos slashing module's client face (a jailed validator's way back, and its params), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgUnjail, MsgUpdateParams } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { field, keep, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

export const SLASHING_TYPE_URLS = {
  MsgUnjail: '/cosmos.slashing.v1beta1.MsgUnjail',
  MsgUpdateParams: '/cosmos.slashing.v1beta1.MsgUpdateParams',
} as const;

const TYPES = { MsgUnjail, MsgUpdateParams };

export type SlashingMsgName = keyof typeof SLASHING_TYPE_URLS;
/** e.g. `SlashingEncodeObject<'MsgUnjail'>`. */
export type SlashingEncodeObject<K extends SlashingMsgName = SlashingMsgName> = EncodeObjects<typeof SLASHING_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry. */
export const slashingTypes = generatedTypes(SLASHING_TYPE_URLS, TYPES);
/** `slashingMsgs.MsgUnjail({ … })`: the EncodeObject to sign. */
export const slashingMsgs = encodeObjectBuilders(SLASHING_TYPE_URLS, TYPES);

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's names (MsgUnjail's address is `address` there). */
export const slashingAmino: readonly AminoMessage[] = aminoMessages(SLASHING_TYPE_URLS, TYPES, {
  MsgUnjail: ['cosmos-sdk/MsgUnjail', { address: field('string', { key: 'validatorAddr', keep: true }) }],
  MsgUpdateParams: [
    'cosmos-sdk/x/slashing/MsgUpdateParams',
    {
      authority: 'string',
      params: keep({
        signed_blocks_window: 'int64',
        min_signed_per_window: keep('decBytes'),
        downtime_jail_duration: keep('duration'),
        slash_fraction_double_sign: keep('decBytes'),
        slash_fraction_downtime: keep('decBytes'),
      }),
    },
  ],
});
/** For `new AminoTypes({ ...slashingAminoConverters })`. */
export const slashingAminoConverters = aminoConverters(slashingAmino);
