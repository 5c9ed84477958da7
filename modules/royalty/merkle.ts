// The epoch royalty root: a Merkle-sum tree (sdk/merkle.ts) over the epoch's accruals in recipient
// address order. Leaf bytes = "cairn/royalty-accrual/v1" || u64 epoch || lp recipient address ||
// u128 paid || u128 owed; leaf amount = paid + owed, count 1. An epoch without accruals has the
// all-zero root.
import { concatBytes, lp, u128, u64, utf8Bytes } from '../../sdk/bytes.ts';
import { SumTree, leafHash } from '../../sdk/receipts/merkle.ts';

const DOMAIN = utf8Bytes('cairn/royalty-accrual/v1');
export const EMPTY_ROOT = new Uint8Array(32);

export interface AccrualLeaf {
  readonly epoch: bigint;
  readonly recipient: Uint8Array;
  readonly paid: bigint;
  readonly owed: bigint;
}

export function accrualLeaf(a: AccrualLeaf): { hash: Uint8Array; amount: bigint; count: bigint } {
  return { hash: leafHash(concatBytes(DOMAIN, u64(a.epoch), lp(a.recipient), u128(a.paid), u128(a.owed))), amount: a.paid + a.owed, count: 1n };
}

export function accrualRoot(leaves: readonly AccrualLeaf[]): Uint8Array {
  return leaves.length === 0 ? EMPTY_ROOT : SumTree.build(leaves.map(accrualLeaf)).root.hash;
}
