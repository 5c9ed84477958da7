// Availability: the stake-weighted median of the validators' uptime reports for an operator in an
// epoch. Weights are the reporters' powers at the epoch end (a validator that left weighs 0), so
// validators holding less than half the reporting power cannot move the median outside the honest
// reports. Lower weighted median: the smallest reported uptime u with 2 × Σ{w : uptime ≤ u} ≥ W.
import type { KVRead } from '../../core/store/types.ts';
import type { EmissionStaking } from './deps.ts';
import * as keys from './keys.ts';

export interface WeightedValue {
  readonly value: number;
  readonly weight: bigint;
}

/** 0 with no weight at all. Ties in value are order-independent; the input order does not matter. */
export function weightedMedian(values: readonly WeightedValue[]): number {
  const sorted = values.filter((v) => v.weight > 0n).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, v) => s + v.weight, 0n);
  if (total === 0n) return 0;
  let acc = 0n;
  for (const v of sorted) {
    acc += v.weight;
    if (2n * acc >= total) return v.value;
  }
  return sorted[sorted.length - 1]!.value;
}

export async function medianUptime(staking: EmissionStaking, store: KVRead, epoch: bigint, operator: Uint8Array): Promise<number> {
  const values: WeightedValue[] = [];
  const sub = new Uint8Array([...keys.u64(epoch), ...keys.addressKey(operator)]);
  for await (const [[, [, validator]], r] of keys.reports.entries(store, { subPrefix: sub })) {
    values.push({ value: r.uptimeBps, weight: await staking.lastValidatorPower(store, validator) });
  }
  return weightedMedian(values);
}
