// The split of one settled amount A, exact to the base unit, every division rounded down:
//   fee          = A × protocol_fee_bps / 10000
//   fee_burned   = fee × burn_bps / 10000
//   fee_treasury = fee × (10000 − burn_bps) / 10000
//   royalties    : model_bps and base_bps of A; if model_bps + base_bps > max_total_royalty_bps the
//                  pool is A × max_total / 10000, shared model:base in proportion to their bps
//   per recipient = pool × weight_bps / 10000
//   operator     = A − fee_burned − fee_treasury − Σ royalties  (so every remainder goes to the operator)
import type { Params, Payout, Split, SplitTerms } from '../../proto/gen/cairn/royalty/v1/types.ts';
import { BPS } from './params.ts';

const B = BigInt(BPS);

export interface SplitAmounts {
  readonly feeBurned: bigint;
  readonly feeTreasury: bigint;
  readonly royalties: readonly { readonly address: string; readonly modelId: string; readonly amount: bigint }[];
  readonly operatorAmount: bigint;
}

export function computeSplit(total: bigint, terms: SplitTerms, params: Params): SplitAmounts {
  if (total < 0n) throw new RangeError('a negative amount cannot be split');
  const fee = (total * BigInt(params.protocolFeeBps)) / B;
  const feeBurned = (fee * BigInt(params.burnBps)) / B;
  const feeTreasury = (fee * (B - BigInt(params.burnBps))) / B;
  const mBps = BigInt(terms.modelRoyaltyBps);
  const bBps = terms.baseModelId === '' ? 0n : BigInt(terms.baseRoyaltyBps);
  const cap = BigInt(params.maxTotalRoyaltyBps);
  let modelPool: bigint;
  let basePool: bigint;
  if (mBps + bBps > cap) {
    const pool = (total * cap) / B;
    modelPool = (pool * mBps) / (mBps + bBps);
    basePool = (pool * bBps) / (mBps + bBps);
  } else {
    modelPool = (total * mBps) / B;
    basePool = (total * bBps) / B;
  }
  const royalties: { address: string; modelId: string; amount: bigint }[] = [];
  for (const r of terms.modelRecipients) royalties.push({ address: r.address, modelId: terms.modelId, amount: (modelPool * BigInt(r.weightBps)) / B });
  if (terms.baseModelId !== '') {
    for (const r of terms.baseRecipients) royalties.push({ address: r.address, modelId: terms.baseModelId, amount: (basePool * BigInt(r.weightBps)) / B });
  }
  const paid = feeBurned + feeTreasury + royalties.reduce((s, r) => s + r.amount, 0n);
  return { feeBurned, feeTreasury, royalties, operatorAmount: total - paid };
}

export function splitToProto(denom: string, total: bigint, operator: string, s: SplitAmounts): Split {
  const royalties: Payout[] = s.royalties.map((r) => ({ address: r.address, amount: r.amount.toString(), modelId: r.modelId }));
  return {
    denom,
    total: total.toString(),
    feeBurned: s.feeBurned.toString(),
    feeTreasury: s.feeTreasury.toString(),
    royalties,
    operator,
    operatorAmount: s.operatorAmount.toString(),
  };
}

/** No royalties: what reservations pay (protocol fee, the rest to the operator). */
export const NO_ROYALTY: SplitTerms = { modelId: '', modelRoyaltyBps: 0, modelRecipients: [], baseModelId: '', baseRoyaltyBps: 0, baseRecipients: [] };
