// What a trusted verifier signs for a capacity proof (MsgProveCapacity), and what the chain checks:
//   "cairn/capacity/v1" ‖ lp chain_id ‖ lp operator (raw address bytes) ‖ u64 challenge id ‖ lp gpu_id ‖ u32 measured count
// (integers big-endian; "lp" = u32 byte length, then the bytes).
import { concatBytes, lp, u32, u64, utf8Bytes } from '../bytes.ts';

export const CAPACITY_DOMAIN = 'cairn/capacity/v1';

export function capacitySignBytes(chainId: string, operator: Uint8Array, challengeId: bigint, gpuId: string, measuredCount: number): Uint8Array {
  return concatBytes(utf8Bytes(CAPACITY_DOMAIN), lp(utf8Bytes(chainId)), lp(operator), u64(challengeId), lp(utf8Bytes(gpuId)), u32(measuredCount));
}
