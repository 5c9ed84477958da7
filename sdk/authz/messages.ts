// The Cosmos authz module's client face (one account acting for another), as Cairn runs it: the
// messages its handlers accept, the authorization types a grant carries (SendAuthorization is the
// bank module's, by the SDK's naming), and the SDK's legacy amino names. The only place their type
// URLs are spelled.
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { MsgExec, MsgGrant, MsgRevoke } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { type EncodeObjects, encodeObjectBuilders, generatedTypes } from '../messages.ts';
import { COINS, keep, list, type AminoMessage, aminoConverters, aminoMessages } from '../amino.ts';

const MSG_TYPE_URLS = {
  MsgGrant: '/cosmos.authz.v1beta1.MsgGrant',
  MsgExec: '/cosmos.authz.v1beta1.MsgExec',
  MsgRevoke: '/cosmos.authz.v1beta1.MsgRevoke',
} as const;

export const AUTHZ_TYPE_URLS = {
  ...MSG_TYPE_URLS,
  GenericAuthorization: '/cosmos.authz.v1beta1.GenericAuthorization',
  SendAuthorization: '/cosmos.bank.v1beta1.SendAuthorization',
} as const;

/** The SDK's legacy amino names (what amino-JSON sign docs carry as `type`). */
export const AUTHZ_AMINO_NAMES = {
  MsgGrant: 'cosmos-sdk/MsgGrant',
  MsgExec: 'cosmos-sdk/MsgExec',
  MsgRevoke: 'cosmos-sdk/MsgRevoke',
  GenericAuthorization: 'cosmos-sdk/GenericAuthorization',
  SendAuthorization: 'cosmos-sdk/SendAuthorization',
} as const;

const MSG_TYPES = { MsgGrant, MsgExec, MsgRevoke };

export type AuthzMsgName = keyof typeof MSG_TYPE_URLS;
/** e.g. `AuthzEncodeObject<'MsgExec'>`. */
export type AuthzEncodeObject<K extends AuthzMsgName = AuthzMsgName> = EncodeObjects<typeof MSG_TYPE_URLS, typeof MSG_TYPES>[K];

/** For a CosmJS Registry (the messages, and the authorization types of their Anys). */
export const authzTypes = generatedTypes(AUTHZ_TYPE_URLS, { ...MSG_TYPES, GenericAuthorization, SendAuthorization });
/** `authzMsgs.MsgGrant({ granter, grantee, grant })`: the EncodeObject to sign. */
export const authzMsgs = encodeObjectBuilders(MSG_TYPE_URLS, MSG_TYPES);

/** The Any of a GenericAuthorization: any message of type `msg` (a type URL). */
export function genericAuthorization(msg: string): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: AUTHZ_TYPE_URLS.GenericAuthorization, value: GenericAuthorization.encode({ msg }).finish() };
}

/** The Any of a SendAuthorization: MsgSends up to `spendLimit`, to `allowList` only when given. */
export function sendAuthorization(spendLimit: { denom: string; amount: string }[], allowList: string[] = []): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: AUTHZ_TYPE_URLS.SendAuthorization, value: SendAuthorization.encode({ spendLimit, allowList }).finish() };
}

const N = AUTHZ_AMINO_NAMES;

/**
 * Amino JSON (Ledger, Keplr's amino path): the messages and the authorizations their Anys hold.
 * MsgExec carries other modules' messages: sign it with `cairnAminoConverters()` (sdk/cosmjs-registry.ts).
 */
export const authzAmino: readonly AminoMessage[] = aminoMessages(
  AUTHZ_TYPE_URLS,
  { ...MSG_TYPES, GenericAuthorization, SendAuthorization },
  {
    MsgGrant: [N.MsgGrant, { granter: 'string', grantee: 'string', grant: keep({ authorization: 'any', expiration: 'timestamp' }) }],
    MsgExec: [N.MsgExec, { grantee: 'string', msgs: list('any') }],
    MsgRevoke: [N.MsgRevoke, { granter: 'string', grantee: 'string', msg_type_url: 'string' }],
    GenericAuthorization: [N.GenericAuthorization, { msg: 'string' }],
    SendAuthorization: [N.SendAuthorization, { spend_limit: COINS, allow_list: list('string') }],
  },
);
/** For `new AminoTypes({ ...authzAminoConverters })`. */
export const authzAminoConverters = aminoConverters(authzAmino);
