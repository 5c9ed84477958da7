// Reputation: a deterministic score 0..10000 from finalized paid usage, uptime, capacity challenges
// and faults (README.md "Reputation"), and the Merkle root over an epoch's reputations.
//   active     = epochs whose finalized paid amount reached min_active_epoch_amount
//   depth      = ⌊log2(1 + paid_amount / min_active_epoch_amount)⌋       (paid summed over active epochs)
//   usage      = 2500 × active / (active + 24) + 2500 × depth / (depth + 10)
//   uptime     = 3000 × uptime_bps / 10000                        (last epoch's median)
//   challenges = 2000 × passed / (passed + 4)
//   score      = max(0, usage + uptime + challenges − 2500 × faults); 0 once tombstoned
// Each term rounds down; integers only.
import { createHash } from 'node:crypto';
import type { Reputation } from '../../proto/gen/cairn/emission/v1/types.ts';
import { U128_MAX, concatBytes, lp, u128, u32, u64 } from '../../sdk/bytes.ts';

/** ⌊log2(x)⌋ for x ≥ 1 (the bit length minus one), 0 below. */
export function ilog2(x: bigint): bigint {
  return x < 1n ? 0n : BigInt(x.toString(2).length - 1);
}

/** The paid amount summed after one more epoch (saturating at u128, so the leaf always encodes it). */
export function addPaid(paid: string, amount: bigint): string {
  const sum = BigInt(paid) + amount;
  return (sum > U128_MAX ? U128_MAX : sum).toString();
}

export function reputationScore(r: Omit<Reputation, 'score'>, tombstoned: boolean, minActiveEpochAmount: bigint): number {
  if (tombstoned) return 0;
  const depth = ilog2(1n + BigInt(r.paidAmount) / minActiveEpochAmount);
  const usage = (2500n * r.activeEpochs) / (r.activeEpochs + 24n) + (2500n * depth) / (depth + 10n);
  const uptime = (3000n * BigInt(r.uptimeBps)) / 10_000n;
  const challenges = (2000n * r.challengesPassed) / (r.challengesPassed + 4n);
  const score = usage + uptime + challenges - 2500n * r.faults;
  return Number(score < 0n ? 0n : score > 10_000n ? 10_000n : score);
}

const sha = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(createHash('sha256').update(concatBytes(...parts)).digest());

/** Leaf: sha256(0x00 ‖ lp(operator) ‖ u64 epoch ‖ u32 score ‖ u64 active ‖ u64 receipts ‖ u32 uptime ‖ u64 passed ‖ u64 faults ‖ u128 paid). */
export function reputationLeaf(epoch: bigint, operator: Uint8Array, r: Reputation): Uint8Array {
  return sha(Uint8Array.of(0), lp(operator), u64(epoch), u32(r.score), u64(r.activeEpochs), u64(r.receipts), u32(r.uptimeBps), u64(r.challengesPassed), u64(r.faults), u128(BigInt(r.paidAmount)));
}

/** Binary Merkle root over leaves in operator address order: node = sha256(0x01 ‖ left ‖ right), an odd node moves up; no leaves → sha256(""). */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  let level = [...leaves];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha(Uint8Array.of(1), level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}
