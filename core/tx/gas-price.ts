// Minimum gas prices: a node setting (not consensus) that CheckTx enforces, written like the SDK's
// `minimum-gas-prices = "0.025ucairn"`. Prices are exact decimals, kept as fractions of bigints.
import type { Amount } from '../framework/coins.ts';

export interface GasPrice {
  readonly denom: string;
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const PRICE = /^([0-9]+)(?:\.([0-9]{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

export function parseGasPrices(text: string): GasPrice[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = PRICE.exec(part.trim());
    if (m === null) throw new RangeError(`invalid gas price "${part}": expected e.g. 0.025ucairn`);
    const fraction = m[2] ?? '';
    return {
      denom: m[3]!,
      numerator: BigInt(m[1]! + fraction),
      denominator: 10n ** BigInt(fraction.length),
    };
  });
}

/** The fee each price requires for `gasLimit`, rounded up as the SDK does (Dec.Ceil). */
export function requiredFees(prices: readonly GasPrice[], gasLimit: bigint): Amount[] {
  return prices.map((p) => ({ denom: p.denom, amount: (p.numerator * gasLimit + p.denominator - 1n) / p.denominator }));
}

/** True when the fee pays at least one of the required amounts (the SDK's IsAnyGTE). */
export function feeCovers(fee: readonly Amount[], required: readonly Amount[]): boolean {
  if (required.every((r) => r.amount === 0n)) return true;
  return required.some((r) => (fee.find((f) => f.denom === r.denom)?.amount ?? 0n) >= r.amount);
}
