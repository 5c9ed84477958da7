// MsgRevealReceipt: a leaf the chain asked for (in the sample drawn after submission, or requested
// with a bond), with its inclusion proof. Anyone may send it. The chain checks the receipt fully: a valid one is
// recorded as revealed (and a request's bond goes to the operator); an invalid one is a fault that
// rejects the batch, since its operator committed to it. A proof that does not lead to the batch
// root, a leaf already revealed, not asked for, or asked for too late (the batch was rejected for it)
// changes nothing.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgRevealReceipt, MsgRevealReceiptResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { BatchStatus } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { receiptLeafHash } from '../../../sdk/receipts/merkle.ts';
import { judgeReceipt, keeperFacts } from '../checks.ts';
import { ErrAlreadyRevealed, ErrBatchNotPending, ErrNotRequested, ErrRevealTooLate } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import { receiptEvidence } from '../../../sdk/receipts/evidence.ts';
import { faultBatch, markRequest } from '../faults.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';
import { checkShape, requireIncluded } from './proofs.ts';

export function msgRevealReceipt(k: ReceiptsKeeper): MsgHandler<MsgRevealReceipt> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgRevealReceipt,
    decode: (bytes) => MsgRevealReceipt.decode(bytes),
    signers: (msg) => [msg.sender],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.sender, 'sender');
      checkShape(msg.receipt, msg.proof);
    },

    async execute(msg, ctx) {
      const receipt = msg.receipt!;
      const proof = msg.proof!;
      let b = await k.requireBatch(ctx.store, msg.batchId);
      const index = proof.index;
      if (b.status !== BatchStatus.BATCH_STATUS_PENDING) {
        const missedSample = ctx.block.height > b.revealDeadline && b.sample.some((s) => s.index === index && !s.revealed);
        if (missedSample) throw ErrRevealTooLate.wrap(`leaf ${index} of batch ${b.id} was due by height ${b.revealDeadline}; the batch was rejected at height ${b.settledHeight}`);
        throw ErrBatchNotPending.wrap(`batch ${b.id} is no longer pending${b.fault === undefined ? '' : ` (${b.fault.detail})`}`);
      }
      if ((await keys.revealedLeaves.get(ctx.store, [b.id, index])) !== undefined) throw ErrAlreadyRevealed.wrap(`leaf ${index} of batch ${b.id} was already revealed`);
      const sampled = b.sample.findIndex((s) => s.index === index && !s.revealed);
      const request = await keys.requests.get(ctx.store, [b.id, index]);
      const askedBySample = sampled >= 0 && ctx.block.height <= b.revealDeadline;
      if (!askedBySample && request === undefined) {
        const when = b.sampleDrawn ? '' : ` (the sample is drawn at height ${b.sampleHeight})`;
        throw ErrNotRequested.wrap(`leaf ${index} of batch ${b.id} is neither sampled nor requested${when}`);
      }
      requireIncluded(ctx, b, receipt, proof);
      const leaf = receiptLeafHash(receipt);
      const verdict = await judgeReceipt(keeperFacts(k, ctx), b, receipt);
      if (!verdict.ok) {
        const prover = request?.requester ?? (msg.sender !== b.operator ? msg.sender : '');
        await faultBatch(k, ctx, b, { kind: verdict.kind, detail: `leaf ${index}: ${verdict.detail}`, prover, evidenceHash: receiptEvidence(b.id, leaf) });
        return msgResponse(RECEIPTS_TYPE_URLS.MsgRevealReceipt, MsgRevealReceiptResponse, { fault: true });
      }
      if (askedBySample) b = { ...b, sample: b.sample.map((s, i) => (i === sampled ? { ...s, revealed: true } : s)) };
      if (request !== undefined) {
        // The requester asked for data the operator had: the bond pays the operator for the trouble.
        await k.sendFromEscrow(ctx, ctx.addresses.decode(b.operator), { denom: request.bond!.denom, amount: BigInt(request.bond!.amount) });
        keys.requests.delete(ctx.store, [b.id, index]);
        await markRequest(ctx, b.id, index, 'revealed');
        b = { ...b, openRequests: b.openRequests - 1 };
      }
      keys.revealedLeaves.set(ctx.store, [b.id, index], receipt.id);
      keys.revealed.set(ctx.store, [ctx.addresses.decode(b.payer), receipt.id, b.id], { batchId: b.id, index, leafHash: leaf });
      k.setBatch(ctx.store, b, b.status);
      ctx.events.emit(EVENTS.revealReceipt, {
        batch_id: b.id.toString(),
        index: index.toString(),
        receipt_id: hex(receipt.id),
        sender: msg.sender,
        answered: request !== undefined ? 'request' : 'sample',
      });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgRevealReceipt, MsgRevealReceiptResponse, { fault: false });
    },
  };
}
