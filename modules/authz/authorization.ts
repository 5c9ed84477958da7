// Authorizations as the SDK defines them: GenericAuthorization (any message of one type) and the
// bank's SendAuthorization (MsgSends within a spend limit that decreases, optionally only to listed
// recipients). Decoding with the SDK's ValidateBasic checks, and Accept, which decides one message.
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import type { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { AddressCodec } from '../../core/framework/address.ts';
import { type Amount, parseCoins, subCoins, toProtoCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import type { AppError } from '../../core/framework/errors.ts';
import { ErrInsufficientFunds, ErrInvalidAddress, ErrInvalidCoins, ErrInvalidType, ErrTxDecode, ErrUnauthorized } from '../../core/framework/sdk-errors.ts';
import { AUTHZ_TYPE_URLS } from '../../sdk/authz/messages.ts';
import { rejectUnknownFields } from '../../core/tx/decode.ts';
import { BANK_TYPE_URLS } from '../../sdk/bank/messages.ts';
import { ErrDuplicateEntry } from '../bank/errors.ts';

export type Authorization =
  | { readonly kind: 'generic'; readonly msg: string }
  | { readonly kind: 'send'; readonly spendLimit: Amount[]; readonly allowList: readonly string[] };

/** The SDK charges this much gas per allow-list entry it compares. */
const GAS_PER_ALLOW_LIST_ENTRY = 10n;

function decodeOrThrow<T>(typeUrl: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw ErrTxDecode.wrap(`failed to decode ${typeUrl}: ${(err as Error).message}`);
  }
}

export function decodeAuthorization(any: Any | undefined, addresses: AddressCodec): Authorization {
  if (any === undefined) throw ErrInvalidType.wrap('expected authz.Authorization, got <nil>');
  if (any.typeUrl === AUTHZ_TYPE_URLS.GenericAuthorization) {
    const g = decodeOrThrow(any.typeUrl, () => GenericAuthorization.decode(any.value));
    rejectUnknownFields(any.typeUrl, any.value, GenericAuthorization.encode(g).finish(), true);
    return { kind: 'generic', msg: g.msg };
  }
  if (any.typeUrl === AUTHZ_TYPE_URLS.SendAuthorization) {
    const s = decodeOrThrow(any.typeUrl, () => SendAuthorization.decode(any.value));
    rejectUnknownFields(any.typeUrl, any.value, SendAuthorization.encode(s).finish(), true);
    if (s.spendLimit.length === 0) throw ErrInvalidCoins.wrap('spend limit cannot be nil');
    let spendLimit: Amount[];
    try {
      spendLimit = parseCoins(s.spendLimit);
    } catch (err) {
      throw ErrInvalidCoins.wrap(`spend limit must be positive: ${(err as AppError).message}`);
    }
    const seen = new Set<string>();
    for (const a of s.allowList) {
      if (seen.has(a)) throw ErrDuplicateEntry.wrap(`duplicate allow list address ${a}`);
      seen.add(a);
      try {
        addresses.decode(a);
      } catch (err) {
        throw ErrInvalidAddress.wrap(`invalid allow list address: ${(err as Error).message}`);
      }
    }
    return { kind: 'send', spendLimit, allowList: s.allowList };
  }
  throw ErrTxDecode.wrap(`no concrete type registered for type URL ${any.typeUrl} against interface Authorization`);
}

export function encodeAuthorization(a: Authorization): Any {
  return a.kind === 'generic'
    ? { typeUrl: AUTHZ_TYPE_URLS.GenericAuthorization, value: GenericAuthorization.encode({ msg: a.msg }).finish() }
    : { typeUrl: AUTHZ_TYPE_URLS.SendAuthorization, value: SendAuthorization.encode({ spendLimit: toProtoCoins(a.spendLimit), allowList: [...a.allowList] }).finish() };
}

/** The message type the authorization is for. */
export function msgTypeUrl(a: Authorization): string {
  return a.kind === 'generic' ? a.msg : BANK_TYPE_URLS.MsgSend;
}

/** What Accept decided: the message may run; the grant is deleted, replaced, or left as it is. */
export type AcceptResult = { readonly delete: true } | { readonly delete: false; readonly updated?: Authorization };

/** Decides one message of the authorization's type; throws the SDK's error when it is refused. */
export function accept(a: Authorization, msg: unknown, ctx: Context): AcceptResult {
  if (a.kind === 'generic') return { delete: false };
  const send = msg as MsgSend;
  const { left, negative } = subCoins(a.spendLimit, parseCoins(send.amount));
  if (negative) throw ErrInsufficientFunds.wrap('requested amount is more than spend limit');
  if (a.allowList.length > 0) {
    let listed = false;
    for (const address of a.allowList) {
      ctx.gas.consume(GAS_PER_ALLOW_LIST_ENTRY, 'send authorization');
      if (address === send.toAddress) {
        listed = true;
        break;
      }
    }
    if (!listed) throw ErrUnauthorized.wrap(`cannot send to ${send.toAddress} address`);
  }
  return left.length === 0 ? { delete: true } : { delete: false, updated: { ...a, spendLimit: left } };
}
