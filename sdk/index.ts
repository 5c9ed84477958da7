// Cairn's receipts SDK: what a payer, an operator or a watcher needs off chain. Sign and verify
// receipts, build a batch and its Merkle-sum tree, prove leaves and nodes, and build the messages.
// The chain runs this same code, so what verifies here verifies on chain.
export { Receipt, SettlementMode } from '../proto/gen/cairn/receipts/v1/types.ts';
export type { InclusionProof, ProofStep, SumNode, SumNodeProof } from '../proto/gen/cairn/receipts/v1/types.ts';
export { MsgSubmitBatch } from '../proto/gen/cairn/receipts/v1/tx.ts';
export { U128_MAX, parseU128 } from './bytes.ts';
export { type Ed25519Signer, ed25519FromSeed, generateEd25519, verifyEd25519 } from './ed25519.ts';
export {
  RECEIPT_DOMAIN,
  ReceiptFormatError,
  type ReceiptRole,
  type ReceiptVerdict,
  addressBytes,
  expectedAmount,
  receiptAmount,
  receiptProblems,
  receiptSignBytes,
  signReceipt,
  verifyReceipt,
} from './receipts/receipt.ts';
export {
  MAX_PROOF_STEPS,
  type PathResult,
  type SumCheck,
  SumOverflowError,
  SumTree,
  type SumValue,
  checkSumNodeProof,
  climb,
  leafHash,
  nodeHash,
  parentOf,
  parseSumNode,
  pathProblem,
  receiptInclusionProblem,
  receiptLeaf,
  receiptLeafHash,
  toSumNode,
  verifyInclusion,
} from './receipts/merkle.ts';
export { type Batch, BatchError, type BatchErrorKind, type BatchHeader, batchRoot, buildBatch, inclusionProof, paymentRefsRoot, submitBatchMsg } from './receipts/batch.ts';
export { sampleIndices } from './receipts/sample.ts';
