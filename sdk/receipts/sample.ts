// The leaves the chain audits: derived at submission from the block hash and the batch id, so
// neither the operator nor anyone else knows them before the batch is in a block.
//
//   candidate j = u64 from the first 8 bytes of sha256("cairn/sample/v1" || block_hash || u64 batch_id || u32 j), mod count
// Candidates are taken in order, skipping repeats, until min(sample_count, count) distinct indices;
// when count <= sample_count every leaf is sampled. Returned in ascending order.
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
