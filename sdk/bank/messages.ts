// The Cosmos bank module's client face (sending coins, and its params), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgSend, MsgMultiSend, MsgUpdateParams } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';

export const BANK_TYPE_URLS = {
  MsgSend: '/cosmos.bank.v1beta1.MsgSend',
  MsgMultiSend: '/cosmos.bank.v1beta1.MsgMultiSend',
  MsgUpdateParams: '/cosmos.bank.v1beta1.MsgUpdateParams',
} as const;

const TYPES = { MsgSend, MsgMultiSend, MsgUpdateParams };

export type BankMsgName = keyof typeof BANK_TYPE_URLS;
/** e.g. `BankEncodeObject<'MsgSend'>`. */
export type BankEncodeObject<K extends BankMsgName = BankMsgName> = EncodeObjects<typeof BANK_TYPE_URLS, typeof TYPES>[K];

/** For a CosmJS Registry. */
export const bankTypes = generatedTypes(BANK_TYPE_URLS, TYPES);
/** `bankMsgs.MsgSend({ … })`: the EncodeObject to sign. */
export const bankMsgs = encodeObjectBuilders(BANK_TYPE_URLS, TYPES);
