// Parsing and printing of amounts typed by people: `100ucairn`, `100ucairn,5uatom`, `0.025ucairn`.
// Amounts are bigint end to end; a mistake (decimals, negatives, a display unit, overflow) gets a
// message that says how to write the amount instead.
import { BASE_DENOM, DISPLAY_DENOM, DISPLAY_EXPONENT } from '../sdk/chain.ts';
import { CliError } from './errors.ts';

/** A coin as the CLI handles it; converted to CosmJS's string amounts at the edge. */
export interface Coin {
  readonly denom: string;
  readonly amount: bigint;
}

export class AmountError extends CliError {
  override name = 'AmountError';
}

/** Amounts are u128 on chain (SPEC §0). */
export const MAX_AMOUNT = (1n << 128n) - 1n;

// Cosmos SDK denom rule: a letter, then 2..127 of letters, digits and / : . _ -
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const WHOLE_COIN = /^(\d+)\s*([a-zA-Z][a-zA-Z0-9/:._-]*)$/;
const DECIMAL_COIN = /^(\d*)\.(\d*)\s*([a-zA-Z][a-zA-Z0-9/:._-]*)?$/;

export interface ParseCoinOptions {
  /** Accept `0<denom>` (fees may be zero; a transfer may not). Default false. */
  readonly allowZero?: boolean;
  /** What the amount is for, used in messages ("amount", "fees"). Default "amount". */
  readonly what?: string;
}

/** Parses `<integer><denom>`, e.g. `100ucairn`. */
export function parseCoin(input: string, options: ParseCoinOptions = {}): Coin {
  const what = options.what ?? 'amount';
  const text = input.trim();
  const example = `e.g. 100${BASE_DENOM}`;
  if (text === '') throw new AmountError(`${what} is empty: write it as <integer><denom>, ${example}`);
  if (text.startsWith('-')) {
    throw new AmountError(`${what} "${text}" is negative: amounts are positive whole numbers, ${example}`);
  }
  if (text.startsWith('+')) throw new AmountError(`${what} "${text}" has a sign: write it without "+", ${example}`);
  if (/^\d+$/.test(text)) {
    throw new AmountError(`${what} "${text}" has no denom: write ${text}${BASE_DENOM}`);
  }
  const decimal = DECIMAL_COIN.exec(text);
  if (decimal) throw new AmountError(decimalMessage(what, text, decimal[1] ?? '', decimal[2] ?? '', decimal[3]));
  const match = WHOLE_COIN.exec(text);
  if (!match) {
    throw new AmountError(`${what} "${text}" is not <integer><denom>: write it like 100${BASE_DENOM}`);
  }
  const digits = match[1] ?? '';
  const denom = match[2] ?? '';
  if (/^[eE]\d/.test(denom)) {
    throw new AmountError(`${what} "${text}" uses scientific notation: write all the digits, e.g. 1000000${BASE_DENOM}`);
  }
  if (denom.toLowerCase() === DISPLAY_DENOM.toLowerCase()) {
    const base = BigInt(digits) * 10n ** BigInt(DISPLAY_EXPONENT);
    throw new AmountError(
      `${what} "${text}" is in the display unit ${DISPLAY_DENOM}: the chain counts ${BASE_DENOM}, so write ${base}${BASE_DENOM}`,
    );
  }
  checkDenom(denom, what);
  const amount = BigInt(digits);
  if (amount > MAX_AMOUNT) {
    throw new AmountError(`${what} "${text}" is too large: the maximum is ${MAX_AMOUNT} (2^128-1)`);
  }
  if (amount === 0n && options.allowZero !== true) {
    throw new AmountError(`${what} "${text}" is zero: it must be greater than zero`);
  }
  return { denom, amount };
}

/**
 * Parses a comma-separated list of coins, e.g. `100ucairn,5uatom`. Returns them sorted by denom,
 * as the chain requires; the same denom twice is an error rather than a silent sum.
 */
export function parseCoins(input: string, options: ParseCoinOptions = {}): Coin[] {
  const what = options.what ?? 'amount';
  const parts = input.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    throw new AmountError(`${what} "${input}" has an empty entry: separate coins with single commas, e.g. 100${BASE_DENOM},5uatom`);
  }
  const coins = parts.map((part) => parseCoin(part, options));
  const seen = new Set<string>();
  for (const coin of coins) {
    if (seen.has(coin.denom)) throw new AmountError(`${what} "${input}" names ${coin.denom} twice: add the amounts up`);
    seen.add(coin.denom);
  }
  return coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/** A gas price such as `0.025ucairn`, checked here and handed to CosmJS's GasPrice as a string. */
export function parseGasPrice(input: string): string {
  const text = input.trim();
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(text);
  if (text.startsWith('-')) throw new AmountError(`gas price "${text}" is negative: write e.g. 0.025${BASE_DENOM}`);
  if (!match) throw new AmountError(`gas price "${text}" is not <decimal><denom>: write e.g. 0.025${BASE_DENOM}`);
  const [, value = '', denom = ''] = match;
  checkDenom(denom, 'gas price');
  const fraction = value.split('.')[1] ?? '';
  // CosmJS's Decimal accepts at most 18 fractional digits.
  if (fraction.length > 18) throw new AmountError(`gas price "${text}" has more than 18 decimal places`);
  return `${value}${denom}`;
}

/** A gas limit: a positive integer below 2^53, or `auto` to simulate first. */
export function parseGasLimit(input: string): number | 'auto' {
  const text = input.trim();
  if (text === 'auto') return 'auto';
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) {
    throw new AmountError(`--gas "${text}" is not a positive integer: write e.g. --gas 200000, or --gas auto to estimate it`);
  }
  const value = BigInt(text);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountError(`--gas "${text}" is too large`);
  return Number(value);
}

/** A multiplier such as `1.4`, kept exact as a fraction so gas estimates do not depend on floats. */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export function parseRatio(input: string, what: string): Ratio {
  const text = input.trim();
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!match) throw new AmountError(`${what} "${text}" is not a positive decimal number such as 1.4`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const ratio = { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
  if (ratio.numerator === 0n) throw new AmountError(`${what} "${text}" must be greater than zero`);
  return ratio;
}

/** ceil(value × ratio). */
export function scaleUp(value: bigint, ratio: Ratio): bigint {
  const product = value * ratio.numerator;
  return (product + ratio.denominator - 1n) / ratio.denominator;
}

/** A positive block height (e.g. --timeout-height). */
export function parseHeight(input: string, what: string): bigint {
  const text = input.trim();
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) {
    throw new AmountError(`${what} "${text}" is not a positive block height: write e.g. ${what} 1200`);
  }
  const value = BigInt(text);
  if (value > (1n << 63n) - 1n) throw new AmountError(`${what} "${text}" is too large`);
  return value;
}

export function formatCoin(coin: Coin): string {
  return `${coin.amount}${coin.denom}`;
}

export function formatCoins(coins: readonly Coin[]): string {
  return coins.map(formatCoin).join(',');
}

/** `1500000` ucairn → `1.5 CAIRN`; exact, trailing zeros trimmed. */
export function toDisplayAmount(baseAmount: bigint): string {
  const unit = 10n ** BigInt(DISPLAY_EXPONENT);
  const negative = baseAmount < 0n;
  const abs = negative ? -baseAmount : baseAmount;
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(DISPLAY_EXPONENT, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`} ${DISPLAY_DENOM}`;
}

/** A coin for people: `1500000ucairn (1.5 CAIRN)`; other denoms as they are. */
export function describeCoin(coin: Coin): string {
  const note = displayNote(coin);
  return note === '' ? formatCoin(coin) : `${formatCoin(coin)} ${note}`;
}

/** `(1.5 CAIRN)` for the base denom, empty for others. */
export function displayNote(coin: Coin): string {
  return coin.denom === BASE_DENOM ? `(${toDisplayAmount(coin.amount)})` : '';
}

/** Reads a coin from CosmJS (string amount). */
export function coinFromChain(coin: { readonly denom: string; readonly amount: string }): Coin {
  if (!/^\d+$/.test(coin.amount)) throw new CliError(`the node returned a malformed amount "${coin.amount}" for ${coin.denom}`);
  return { denom: coin.denom, amount: BigInt(coin.amount) };
}

/** Hands a coin to CosmJS. */
export function coinToChain(coin: Coin): { denom: string; amount: string } {
  return { denom: coin.denom, amount: coin.amount.toString() };
}

function checkDenom(denom: string, what: string): void {
  if (!DENOM.test(denom)) {
    throw new AmountError(
      `${what} has an invalid denom "${denom}": a denom is 3-128 characters, starts with a letter, e.g. ${BASE_DENOM}`,
    );
  }
}

function decimalMessage(what: string, text: string, whole: string, fraction: string, denom: string | undefined): string {
  const isDisplay = denom !== undefined && denom.toLowerCase() === DISPLAY_DENOM.toLowerCase();
  if (isDisplay && fraction.length <= DISPLAY_EXPONENT && (whole !== '' || fraction !== '')) {
    const base = BigInt((whole === '' ? '0' : whole) + fraction.padEnd(DISPLAY_EXPONENT, '0'));
    return `${what} "${text}" has decimals: the chain counts whole ${BASE_DENOM} (1 ${DISPLAY_DENOM} = 10^${DISPLAY_EXPONENT} ${BASE_DENOM}), so write ${base}${BASE_DENOM}`;
  }
  if (denom === BASE_DENOM) {
    return `${what} "${text}" has decimals: ${BASE_DENOM} is the smallest unit and cannot be split; write a whole number, e.g. 100${BASE_DENOM}`;
  }
  return `${what} "${text}" has decimals: amounts are whole numbers of the base denom, e.g. 100${BASE_DENOM}`;
}
