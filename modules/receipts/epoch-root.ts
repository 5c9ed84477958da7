// An epoch's receipts root: a Merkle-sum tree (sdk/merkle.ts) over the batches that finalized in the
// epoch, in batch id order. Leaf bytes = "cairn/epoch-batch/v1" || u64 batch id || batch root; leaf
// amount and count = the batch's. An epoch without finalized batches has the all-zero root.
import type { Batch } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { concatBytes, u64, utf8Bytes } from '../../sdk/bytes.ts';
import { SumTree, type SumValue, leafHash } from '../../sdk/receipts/merkle.ts';

const DOMAIN = utf8Bytes('cairn/epoch-batch/v1');
export const EMPTY_ROOT = new Uint8Array(32);

export function epochBatchLeaf(b: Pick<Batch, 'id' | 'root' | 'count' | 'amount'>): SumValue {
  return { hash: leafHash(concatBytes(DOMAIN, u64(b.id), b.root)), amount: BigInt(b.amount!.amount), count: b.count };
}

export function epochReceiptsRoot(batches: readonly Pick<Batch, 'id' | 'root' | 'count' | 'amount'>[]): SumValue {
  if (batches.length === 0) return { hash: EMPTY_ROOT, amount: 0n, count: 0n };
  return SumTree.build(batches.map(epochBatchLeaf)).root;
}
