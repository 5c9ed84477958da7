// 18-decimal fixed point, the SDK's LegacyDec, as a bigint of "atomics" (value × 10^18). Every
// operation says how it rounds; consensus code only truncates (rounds toward zero, and every value
// here is non-negative, so toward zero is down), and the caller decides where a remainder goes.
import { ErrInvalidRequest } from './sdk-errors.ts';

export type Dec = bigint;

export const PRECISION = 18;
export const ONE: Dec = 10n ** 18n;
/** 1 bps = 10^-4 = 10^14 atomics. */
export const BPS: Dec = 10n ** 14n;

/** An integer amount as a Dec. */
export function decFromInt(n: bigint): Dec {
  return n * ONE;
}

export function decFromBps(bps: bigint): Dec {
  return bps * BPS;
}

/** The integer part (truncated). */
export function truncate(d: Dec): bigint {
  return d / ONE;
}

/** a × b, truncated. */
export function mulTrunc(a: Dec, b: Dec): Dec {
  return (a * b) / ONE;
}

/** a × n for an integer n (exact). */
export function mulInt(a: Dec, n: bigint): Dec {
  return a * n;
}

/** a / b, truncated; b must be positive. */
export function quoTrunc(a: Dec, b: Dec): Dec {
  if (b <= 0n) throw new RangeError('division by a non-positive Dec');
  return (a * ONE) / b;
}

/** a × b / c in one step (no intermediate rounding), truncated. Works for Dec or Int operands alike. */
export function mulDivTrunc(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new RangeError('division by a non-positive number');
  return (a * b) / c;
}

/** a × b / c rounded up. */
export function mulDivCeil(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new RangeError('division by a non-positive number');
  return (a * b + c - 1n) / c;
}

/**
 * Parses a Dec from its protobuf wire form (the SDK writes the atomics as an integer string, e.g.
 * "100000000000000000" for 0.1) or from a human decimal with a point ("0.1"). A string without a
 * point is atomics, exactly as the SDK reads it.
 */
export function parseDec(text: string, what = 'decimal'): Dec {
  if (/^(0|[1-9][0-9]*)$/.test(text)) return BigInt(text);
  const m = /^([0-9]+)\.([0-9]{1,18})$/.exec(text);
  if (m === null) throw ErrInvalidRequest.wrap(`invalid ${what} "${text}": expected a non-negative decimal such as 0.1`);
  return BigInt(m[1]!) * ONE + BigInt(m[2]!.padEnd(PRECISION, '0'));
}

/** A Dec as JSON writes it (genesis, CLI): a plain number, "1" meaning one, not 10^-18. */
export function parseDecJson(text: string, what = 'decimal'): Dec {
  if (/^(0|[1-9][0-9]*)$/.test(text)) return BigInt(text) * ONE;
  return parseDec(text, what);
}

/** The protobuf wire form: atomics as an integer string. */
export function decToProto(d: Dec): string {
  if (d < 0n) throw new RangeError('negative Dec');
  return d.toString();
}

/** Human form with 18 decimals, as the SDK's JSON shows it ("0.100000000000000000"). */
export function formatDec(d: Dec): string {
  const sign = d < 0n ? '-' : '';
  const abs = d < 0n ? -d : d;
  return `${sign}${abs / ONE}.${(abs % ONE).toString().padStart(PRECISION, '0')}`;
}

/** Decs stored as protobuf `bytes` (slashing params): the atomics' decimal digits in UTF-8. */
export function decToBytes(d: Dec): Uint8Array {
  return new TextEncoder().encode(decToProto(d));
}

export function decFromBytes(b: Uint8Array): Dec {
  return parseDec(new TextDecoder().decode(b));
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
