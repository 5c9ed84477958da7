// Checking proofs inside messages: against a batch's root and claimed sums, with gas per step.
import type { Context } from '../../../core/framework/context.ts';
import type { Batch, InclusionProof, Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { MAX_PROOF_STEPS, type SumValue, receiptInclusionProblem } from '../../../sdk/receipts/merkle.ts';
import { ErrInvalidProof, ErrInvalidReceipt } from '../errors.ts';

/** Gas per proof step (one sha256 over ~115 bytes) and per leaf byte hashed. */
export const STEP_GAS = 100n;
export const LEAF_BYTE_GAS = 1n;

export function batchRoot(b: Batch): SumValue {
  return { hash: b.root, amount: BigInt(b.amount!.amount), count: b.count };
}

/** Stateless shape checks of a receipt and proof carried by a message. */
export function checkShape(receipt: Receipt | undefined, proof: InclusionProof | undefined): void {
  if (receipt === undefined) throw ErrInvalidReceipt.wrap('receipt is missing');
  if (proof === undefined) throw ErrInvalidProof.wrap('proof is missing');
  if (proof.steps.length > MAX_PROOF_STEPS) throw ErrInvalidProof.wrap(`proof has ${proof.steps.length} steps; at most ${MAX_PROOF_STEPS}`);
}

/** Throws ErrInvalidProof unless `receipt` is leaf `proof.index` of the batch. */
export function requireIncluded(ctx: Context, b: Batch, receipt: Receipt, proof: InclusionProof): void {
  ctx.gas.consume(STEP_GAS * BigInt(proof.steps.length + 1), 'inclusion proof');
  const problem = receiptInclusionProblem(batchRoot(b), receipt, proof);
  if (problem !== undefined) throw ErrInvalidProof.wrap(`leaf ${proof.index} of batch ${b.id}: ${problem}`);
}
