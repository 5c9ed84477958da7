// MsgChallengeDoubleClaim: the same receipt id (of one payer) claimed twice by one operator: in two
// batches, or at two leaves of one batch. Each side is a leaf given with its inclusion proof, or a
// receipt already revealed on chain in that batch. The later batch (the higher id) is rejected, so
// it must still be pending.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { type Claim, MsgChallengeDoubleClaim, MsgChallengeDoubleClaimResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { type Batch, BatchStatus, ChallengeKind, FaultKind } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { equalBytes } from '../../../sdk/bytes.ts';
import type { Context } from '../../../core/framework/context.ts';
import { RECEIPT_ID_LENGTH } from '../../../sdk/receipts/receipt.ts';
import { ErrBatchNotPending, ErrInvalidChallenge, ErrInvalidProof, ErrWindowClosed } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import { doubleClaimEvidence } from '../../../sdk/receipts/evidence.ts';
import { faultBatch } from '../faults.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { statusName } from '../keeper.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';
import { checkShape, requireIncluded } from './proofs.ts';

/** Where a claim puts the receipt: its batch and leaf index. */
async function locate(k: ReceiptsKeeper, ctx: Context, receiptId: Uint8Array, claim: Claim, side: string): Promise<[Batch, bigint]> {
  const b = await k.requireBatch(ctx.store, claim.batchId);
  if (claim.receipt === undefined) {
    const seen = await keys.revealed.get(ctx.store, [ctx.addresses.decode(b.payer), receiptId, b.id]);
    if (seen === undefined) throw ErrInvalidChallenge.wrap(`${side}: receipt ${hex(receiptId)} was never revealed in batch ${b.id}; give it with its proof`);
    return [b, seen.index];
  }
  if (!equalBytes(claim.receipt.id, receiptId)) throw ErrInvalidChallenge.wrap(`${side}: the receipt's id is ${hex(claim.receipt.id)}, not ${hex(receiptId)}`);
  requireIncluded(ctx, b, claim.receipt, claim.proof!);
  return [b, claim.proof!.index];
}

export function msgChallengeDoubleClaim(k: ReceiptsKeeper): MsgHandler<MsgChallengeDoubleClaim> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgChallengeDoubleClaim,
    decode: (bytes) => MsgChallengeDoubleClaim.decode(bytes),
    signers: (msg) => [msg.challenger],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.challenger, 'challenger');
      if (msg.receiptId.length !== RECEIPT_ID_LENGTH) throw ErrInvalidChallenge.wrap(`receipt_id has ${msg.receiptId.length} bytes, not ${RECEIPT_ID_LENGTH}`);
      for (const [side, c] of [['first', msg.first], ['second', msg.second]] as const) {
        if (c === undefined) throw ErrInvalidChallenge.wrap(`${side} claim is missing`);
        if (c.receipt !== undefined || c.proof !== undefined) {
          try {
            checkShape(c.receipt, c.proof);
          } catch (e) {
            throw ErrInvalidProof.wrap(`${side}: ${(e as Error).message}`);
          }
        }
      }
    },

    async execute(msg, ctx) {
      const [a, ia] = await locate(k, ctx, msg.receiptId, msg.first!, 'first');
      const [b, ib] = await locate(k, ctx, msg.receiptId, msg.second!, 'second');
      const evidenceHash = doubleClaimEvidence(ctx.addresses.decode(a.payer), msg.receiptId, [a.id, ia], [b.id, ib]);
      await k.requireFreshEvidence(ctx.store, evidenceHash);
      if (a.id === b.id && ia === ib) throw ErrInvalidChallenge.wrap(`both claims are leaf ${ia} of batch ${a.id}`);
      if (a.operator !== b.operator) throw ErrInvalidChallenge.wrap(`the batches belong to different operators (${a.operator}, ${b.operator})`);
      if (a.payer !== b.payer) throw ErrInvalidChallenge.wrap('the batches belong to different payers: receipt ids are unique per payer');
      const later = a.id >= b.id ? a : b;
      const earlier = a.id >= b.id ? b : a;
      // Receipts of a rejected batch were never paid: claiming them again in a new batch is honest.
      if (earlier.id !== later.id && earlier.status === BatchStatus.BATCH_STATUS_REJECTED) {
        throw ErrInvalidChallenge.wrap(`the earlier batch ${earlier.id} was rejected, so its receipts may be claimed again`);
      }
      if (later.status !== BatchStatus.BATCH_STATUS_PENDING) throw ErrBatchNotPending.wrap(`the later batch ${later.id} is ${statusName(later.status)}`);
      if (ctx.block.height > later.disputeEnd) throw ErrWindowClosed.wrap(`batch ${later.id}'s window ended at height ${later.disputeEnd}`);
      const recorded = k.addChallenge(ctx.store, later, {
        kind: ChallengeKind.CHALLENGE_KIND_DOUBLE_CLAIM,
        challenger: msg.challenger,
        height: ctx.block.height,
        evidenceHash,
        index: later.id === a.id ? ia : ib,
        outcome: 'fault',
      });
      const detail = `receipt ${hex(msg.receiptId)} is leaf ${ia} of batch ${a.id} and leaf ${ib} of batch ${b.id}`;
      await faultBatch(k, ctx, recorded, { kind: FaultKind.FAULT_KIND_DOUBLE_CLAIM, detail, prover: msg.challenger, evidenceHash });
      ctx.events.emit(EVENTS.challenge, { batch_id: later.id.toString(), kind: 'double_claim', challenger: msg.challenger, evidence: hex(evidenceHash) });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgChallengeDoubleClaim, MsgChallengeDoubleClaimResponse, { rejectedBatchId: later.id });
    },
  };
}
