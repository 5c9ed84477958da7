// The leaves the chain audits. Their number is fixed at submission and grows with the batch's
// amount (sampleSize); the leaves themselves are drawn from the hash of block
// submission + sample_delay_blocks and the batch id, so neither the operator nor the proposer of
// the block that carried the batch knows them when the batch is submitted. Off-chain tools compute
// the same sample from the same block hash (a batch's sample_height).
//
//   candidate j = u64 from the first 8 bytes of sha256("cairn/sample/v1" || block_hash || u64 batch_id || u32 j), mod count
// Candidates are taken in order, skipping repeats, until min(size, count) distinct indices; when
// count <= size every leaf is sampled. Returned in ascending order.
import { concatBytes, u32, u64, utf8Bytes } from '../bytes.ts';
import { sha256 } from '../hash.ts';

const DOMAIN = utf8Bytes('cairn/sample/v1');
// Enough candidates for any sample_count <= 256 with overwhelming probability; after that the
// lowest unused indices fill the sample, so the result is always defined.
const MAX_CANDIDATES = 8192;

export function sampleIndices(blockHash: Uint8Array, batchId: bigint, count: bigint, sampleCount: number): bigint[] {
  if (count <= 0n) return [];
  if (BigInt(sampleCount) >= count) return Array.from({ length: Number(count) }, (_, i) => BigInt(i));
  const chosen = new Set<bigint>();
  const prefix = concatBytes(DOMAIN, blockHash, u64(batchId));
  for (let j = 0; chosen.size < sampleCount && j < MAX_CANDIDATES; j++) {
    const digest = sha256(concatBytes(prefix, u32(j)));
    const x = new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0);
    chosen.add(x % count);
  }
  for (let i = 0n; chosen.size < sampleCount; i++) chosen.add(i);
  return [...chosen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface SampleParams {
  readonly sampleCount: number;
  readonly maxSampleCount: number;
  /** Decimal u128 > 0, in the price denom. */
  readonly sampleAmountStep: string;
}

/** How many leaves a batch of `count` receipts worth `amount` has sampled: max(sample_count, ceil(amount / step)), at most max_sample_count and count. */
export function sampleSize(amount: bigint, count: bigint, p: SampleParams): number {
  const step = BigInt(p.sampleAmountStep);
  const byAmount = step > 0n ? (amount + step - 1n) / step : 0n;
  let n = BigInt(p.sampleCount) > byAmount ? BigInt(p.sampleCount) : byAmount;
  if (n > BigInt(p.maxSampleCount)) n = BigInt(p.maxSampleCount);
  if (n > count) n = count;
  return Number(n);
}
