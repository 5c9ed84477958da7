// The Cosmos bank module's client face (sending coins, and its params), as Cairn runs it: the messages its
// handlers accept, with the cosmjs-types types that encode them. The only place their type URLs are spelled.
import { MsgSend, MsgMultiSend, MsgUpdateParams } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { COINS, keep, list, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

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

const IO = { address: 'string', coins: COINS } as const;

/** Amino JSON (Ledger, Keplr's amino path), with the SDK's names. */
export const bankAmino: readonly AminoMessage[] = aminoMessages(BANK_TYPE_URLS, TYPES, {
  MsgSend: ['cosmos-sdk/MsgSend', { from_address: 'string', to_address: 'string', amount: COINS }],
  MsgMultiSend: ['cosmos-sdk/MsgMultiSend', { inputs: list(IO, { keep: true }), outputs: list(IO, { keep: true }) }],
  MsgUpdateParams: [
    'cosmos-sdk/x/bank/MsgUpdateParams',
    { authority: 'string', params: keep({ send_enabled: list({ denom: 'string', enabled: 'bool' }), default_send_enabled: 'bool' }) },
  ],
});
/** For `new AminoTypes({ ...bankAminoConverters })`. */
export const bankAminoConverters = aminoConverters(bankAmino);
