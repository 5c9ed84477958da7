// Fee allowances as the SDK defines them (x/feegrant basic_fee.go, periodic_fee.go, filtered_fee.go):
// decoding from the Any a grant carries, the stateless checks (ValidateBasic), and Accept, which
// spends a fee from an allowance at a block time and says whether the grant is used up. Pure
// functions over bigint coins and exact timestamps, so the arithmetic is unit-tested alone.
import { AllowedMsgAllowance, BasicAllowance, PeriodicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { type Amount, parseCoins, subCoins, toProtoCoins } from '../../core/framework/coins.ts';
import type { AppError } from '../../core/framework/errors.ts';
import { ErrInvalidCoins, ErrTxDecode } from '../../core/framework/sdk-errors.ts';
import { addDuration, compareTime } from '../../core/framework/timestamps.ts';
import { FEEGRANT_TYPE_URLS } from '../../sdk/feegrant/messages.ts';
import { rejectUnknownFields } from '../../core/tx/decode.ts';
import { ErrFeeLimitExceeded, ErrFeeLimitExpired, ErrInvalidDuration, ErrMessageNotAllowed, ErrNoAllowance, ErrNoMessages } from './errors.ts';

export interface Basic {
  readonly kind: 'basic';
  /** Empty: no limit. */
  readonly spendLimit: Amount[];
  readonly expiration: Timestamp | undefined;
}

export interface Periodic {
  readonly kind: 'periodic';
  readonly basic: Basic;
  readonly period: Duration;
  readonly periodSpendLimit: Amount[];
  readonly periodCanSpend: Amount[];
  readonly periodReset: Timestamp;
}

export interface AllowedMsgs {
  readonly kind: 'allowed-msgs';
  readonly allowance: Basic | Periodic;
  readonly allowedMessages: readonly string[];
}

export type Allowance = Basic | Periodic | AllowedMsgs;

function coins(list: BasicAllowance['spendLimit'], what: string): Amount[] {
  try {
    return parseCoins(list, true);
  } catch (err) {
    throw ErrInvalidCoins.wrap(`${what} is invalid: ${(err as AppError).message}`);
  }
}

/** Decodes an allowance's bytes, refusing bytes that do not decode and fields this chain does not know (sdk/2). */
function decodeOrThrow<T>(typeUrl: string, bytes: Uint8Array, type: { decode(b: Uint8Array): T; encode(m: T): { finish(): Uint8Array } }): T {
  let value: T;
  try {
    value = type.decode(bytes);
  } catch (err) {
    throw ErrTxDecode.wrap(`failed to decode ${typeUrl}: ${(err as Error).message}`);
  }
  rejectUnknownFields(typeUrl, bytes, type.encode(value).finish(), true);
  return value;
}

function basicFrom(b: BasicAllowance): Basic {
  return { kind: 'basic', spendLimit: coins(b.spendLimit, 'spend limit'), expiration: b.expiration };
}

/**
 * The allowance an Any holds, with every ValidateBasic check of the SDK (coins valid and positive,
 * times not negative, a period limit in the basic limit's denoms, allowed messages not empty).
 */
export function decodeAllowance(any: Any | undefined, nested = false): Allowance {
  if (any === undefined) throw ErrNoAllowance.wrap('failed to get allowance');
  let allowance: Allowance;
  switch (any.typeUrl) {
    case FEEGRANT_TYPE_URLS.BasicAllowance:
      allowance = basicFrom(decodeOrThrow(any.typeUrl, any.value, BasicAllowance));
      break;
    case FEEGRANT_TYPE_URLS.PeriodicAllowance: {
      const p = decodeOrThrow(any.typeUrl, any.value, PeriodicAllowance);
      allowance = {
        kind: 'periodic',
        basic: basicFrom(p.basic),
        period: p.period,
        periodSpendLimit: coins(p.periodSpendLimit, 'spend amount'),
        periodCanSpend: coins(p.periodCanSpend, 'can spend amount'),
        periodReset: p.periodReset,
      };
      break;
    }
    case FEEGRANT_TYPE_URLS.AllowedMsgAllowance: {
      if (nested) throw ErrTxDecode.wrap('an AllowedMsgAllowance cannot hold another AllowedMsgAllowance');
      const a = decodeOrThrow(any.typeUrl, any.value, AllowedMsgAllowance);
      if (a.allowance === undefined) throw ErrNoAllowance.wrap('allowance should not be empty');
      const inner = decodeAllowance(a.allowance, true) as Basic | Periodic;
      if (a.allowedMessages.length === 0) throw ErrNoMessages.wrap("allowed messages shouldn't be empty");
      allowance = { kind: 'allowed-msgs', allowance: inner, allowedMessages: a.allowedMessages };
      break;
    }
    default:
      throw ErrTxDecode.wrap(`no concrete type registered for type URL ${any.typeUrl} against interface FeeAllowanceI`);
  }
  validate(allowance);
  return allowance;
}

function validate(a: Allowance): void {
  if (a.kind === 'allowed-msgs') return validate(a.allowance);
  const basic = a.kind === 'basic' ? a : a.basic;
  if (basic.expiration !== undefined && basic.expiration.seconds < 0n) throw ErrInvalidDuration.wrap('expiration time cannot be negative');
  if (a.kind === 'basic') return;
  if (a.periodSpendLimit.length === 0) throw ErrInvalidCoins.wrap('spend limit must be positive');
  if (basic.spendLimit.length > 0 && !a.periodSpendLimit.every((c) => basic.spendLimit.some((s) => s.denom === c.denom))) {
    throw ErrInvalidCoins.wrap('period spend limit has different currency than basic spend limit');
  }
  if (a.period.seconds < 0n || a.period.nanos < 0) throw ErrInvalidDuration.wrap('negative clock step');
}

export function encodeAllowance(a: Allowance): Any {
  const basic = (b: Basic): BasicAllowance => ({ spendLimit: toProtoCoins(b.spendLimit), ...(b.expiration === undefined ? {} : { expiration: b.expiration }) });
  switch (a.kind) {
    case 'basic':
      return { typeUrl: FEEGRANT_TYPE_URLS.BasicAllowance, value: BasicAllowance.encode(basic(a)).finish() };
    case 'periodic':
      return {
        typeUrl: FEEGRANT_TYPE_URLS.PeriodicAllowance,
        value: PeriodicAllowance.encode({
          basic: basic(a.basic),
          period: a.period,
          periodSpendLimit: toProtoCoins(a.periodSpendLimit),
          periodCanSpend: toProtoCoins(a.periodCanSpend),
          periodReset: a.periodReset,
        }).finish(),
      };
    case 'allowed-msgs':
      return {
        typeUrl: FEEGRANT_TYPE_URLS.AllowedMsgAllowance,
        value: AllowedMsgAllowance.encode({ allowance: encodeAllowance(a.allowance), allowedMessages: [...a.allowedMessages] }).finish(),
      };
  }
}

/** When the allowance stops being usable, if ever. */
export function expiresAt(a: Allowance): Timestamp | undefined {
  if (a.kind === 'allowed-msgs') return expiresAt(a.allowance);
  return a.kind === 'basic' ? a.expiration : a.basic.expiration;
}

/**
 * A new grant of a periodic allowance starts its first period at the grant's block time, unless the
 * granter set a later reset (the SDK's UpdatePeriodReset).
 */
export function startPeriod(a: Allowance, now: Timestamp): Allowance {
  if (a.kind === 'allowed-msgs') return { ...a, allowance: startPeriod(a.allowance, now) as Basic | Periodic };
  if (a.kind === 'basic' || compareTime(now, a.periodReset) <= 0) return a;
  return { ...a, periodReset: addDuration(now, a.period) };
}

export type AcceptResult =
  /** The fee is covered; `remove` when nothing is left to spend (the grant is deleted). */
  | { readonly ok: true; readonly updated: Allowance; readonly remove: boolean }
  /** Refused; `remove` when the allowance has expired (the SDK deletes it too). */
  | { readonly ok: false; readonly error: AppError; readonly remove: boolean };

/** Spends `fee` from the allowance at block time `now` for a tx with these messages. */
export function accept(a: Allowance, fee: readonly Amount[], now: Timestamp, msgTypeUrls: readonly string[]): AcceptResult {
  switch (a.kind) {
    case 'basic': {
      if (a.expiration !== undefined && compareTime(a.expiration, now) < 0) return { ok: false, error: ErrFeeLimitExpired.wrap('basic allowance'), remove: true };
      if (a.spendLimit.length === 0) return { ok: true, updated: a, remove: false };
      const { left, negative } = subCoins(a.spendLimit, fee);
      if (negative) return { ok: false, error: ErrFeeLimitExceeded.wrap('basic allowance'), remove: false };
      return { ok: true, updated: { ...a, spendLimit: left }, remove: left.length === 0 };
    }
    case 'periodic': {
      const expiration = a.basic.expiration;
      if (expiration !== undefined && compareTime(now, expiration) > 0) return { ok: false, error: ErrFeeLimitExpired.wrap('absolute limit'), remove: true };
      const reset = resetPeriod(a, now);
      const period = subCoins(reset.periodCanSpend, fee);
      if (period.negative) return { ok: false, error: ErrFeeLimitExceeded.wrap('period limit'), remove: false };
      if (a.basic.spendLimit.length === 0) return { ok: true, updated: { ...reset, periodCanSpend: period.left }, remove: false };
      const total = subCoins(a.basic.spendLimit, fee);
      if (total.negative) return { ok: false, error: ErrFeeLimitExceeded.wrap('absolute limit'), remove: false };
      return { ok: true, updated: { ...reset, periodCanSpend: period.left, basic: { ...a.basic, spendLimit: total.left } }, remove: total.left.length === 0 };
    }
    case 'allowed-msgs': {
      if (!msgTypeUrls.every((url) => a.allowedMessages.includes(url))) {
        return { ok: false, error: ErrMessageNotAllowed.wrap('message does not exist in allowed messages'), remove: false };
      }
      const inner = accept(a.allowance, fee, now, msgTypeUrls);
      return inner.ok ? { ...inner, updated: { ...a, allowance: inner.updated as Basic | Periodic } } : inner;
    }
  }
}

/**
 * A period that has ended refills to the smaller of the period limit and what is left overall. The
 * next reset steps one period from the last (one tx a day keeps the same reset time), or one period
 * from now after a longer pause.
 */
function resetPeriod(a: Periodic, now: Timestamp): Periodic {
  if (compareTime(now, a.periodReset) < 0) return a;
  const capped = a.basic.spendLimit.length > 0 && subCoins(a.basic.spendLimit, a.periodSpendLimit).negative;
  let periodReset = addDuration(a.periodReset, a.period);
  if (compareTime(now, periodReset) > 0) periodReset = addDuration(now, a.period);
  return { ...a, periodCanSpend: capped ? a.basic.spendLimit : a.periodSpendLimit, periodReset };
}
