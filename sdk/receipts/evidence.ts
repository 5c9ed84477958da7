// Evidence: what makes two challenges "the same". Each proven fault stores the hash of its evidence,
// and a challenge whose evidence hash is already stored is refused, so every piece of evidence is
// processed once.
//   receipt fraud:   sha256("cairn/evidence/receipt/v1" || u64 batch id || leaf hash)
//   sum fraud:       sha256("cairn/evidence/sum/v1" || u64 batch id || node hash || u128 amount || u64 count)
//   double claim:    sha256("cairn/evidence/double-claim/v1" || lp payer || lp receipt id || u64 batch a || u64 leaf a || u64 batch b || u64 leaf b), (a, b) in order
//   missing reveal:  sha256("cairn/evidence/unavailable/v1" || u64 batch id || u64 leaf index)
//   refusal:         sha256("cairn/evidence/refusal/v1" || u64 reservation id)
import { concatBytes, lp, u128, u64, utf8Bytes } from '../bytes.ts';
import { sha256 } from '../hash.ts';
import type { SumValue } from './merkle.ts';

const tag = (name: string): Uint8Array => utf8Bytes(`cairn/evidence/${name}/v1`);

export function receiptEvidence(batchId: bigint, leafHash: Uint8Array): Uint8Array {
  return sha256(concatBytes(tag('receipt'), u64(batchId), leafHash));
}

export function sumEvidence(batchId: bigint, node: SumValue): Uint8Array {
  return sha256(concatBytes(tag('sum'), u64(batchId), node.hash, u128(node.amount), u64(node.count)));
}

export function doubleClaimEvidence(payer: Uint8Array, receiptId: Uint8Array, a: readonly [bigint, bigint], b: readonly [bigint, bigint]): Uint8Array {
  const [first, second] = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? [a, b] : [b, a];
  return sha256(concatBytes(tag('double-claim'), lp(payer), lp(receiptId), u64(first[0]), u64(first[1]), u64(second[0]), u64(second[1])));
}

export function unavailableEvidence(batchId: bigint, index: bigint): Uint8Array {
  return sha256(concatBytes(tag('unavailable'), u64(batchId), u64(index)));
}

export function refusalEvidence(reservationId: bigint): Uint8Array {
  return sha256(concatBytes(tag('refusal'), u64(reservationId)));
}
