// The royalty module's client face: its only message is the authority's MsgUpdateParams.
// The only place its type URLs are spelled: the module's handlers register with them, and
// wallets, the CLI and the node's own signers build their messages with `royaltyMsgs`.
import * as tx from '../../proto/gen/cairn/royalty/v1/tx.ts';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { type AminoMessage, aminoConverters } from '../amino.ts';
import { cairnModuleAmino } from '../cairn-amino.ts';

export const ROYALTY_TYPE_URLS = {
  MsgUpdateParams: '/cairn.royalty.v1.MsgUpdateParams',
} as const;

export type RoyaltyMsgName = keyof typeof ROYALTY_TYPE_URLS;
/** e.g. `RoyaltyEncodeObject<'MsgUpdateParams'>`. */
export type RoyaltyEncodeObject<K extends RoyaltyMsgName = RoyaltyMsgName> = EncodeObjects<typeof ROYALTY_TYPE_URLS, typeof tx>[K];

/** For a CosmJS Registry. */
export const royaltyTypes = generatedTypes(ROYALTY_TYPE_URLS, tx);
/** `royaltyMsgs.MsgUpdateParams({ … })`: the EncodeObject to sign. */
export const royaltyMsgs = encodeObjectBuilders(ROYALTY_TYPE_URLS, tx);

/** Amino JSON (Ledger, Keplr's amino path): `cairn/MsgX`, params as `cairn/x/royalty/MsgUpdateParams`. */
export const royaltyAmino: readonly AminoMessage[] = cairnModuleAmino('royalty', ROYALTY_TYPE_URLS, tx);
/** For `new AminoTypes({ ...royaltyAminoConverters })`: a CosmJS client signs royalty messages with amino JSON. */
export const royaltyAminoConverters = aminoConverters(royaltyAmino);
