// The Cosmos slashing module's client face (a jailed validator's way back, and its params), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgUnjail, MsgUpdateParams } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';

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
