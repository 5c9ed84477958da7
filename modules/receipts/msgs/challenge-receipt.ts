// MsgChallengeReceipt: anyone proves that a leaf of a pending batch is an invalid receipt (bad
// signature, key not authorised at its time, wrong field, bad amount, outside the epoch, stale or
// foreign attestation). A valid receipt, or a proof that does not lead to the root, changes nothing.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgChallengeReceipt, MsgChallengeReceiptResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ChallengeKind } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { receiptLeafHash } from '../../../sdk/receipts/merkle.ts';
import { judgeReceipt, keeperFacts } from '../checks.ts';
import { ErrNoFault } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import { receiptEvidence } from '../../../sdk/receipts/evidence.ts';
import { faultBatch } from '../faults.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';
import { checkShape, requireIncluded } from './proofs.ts';

export function msgChallengeReceipt(k: ReceiptsKeeper): MsgHandler<MsgChallengeReceipt> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgChallengeReceipt,
    decode: (bytes) => MsgChallengeReceipt.decode(bytes),
    signers: (msg) => [msg.challenger],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.challenger, 'challenger');
      checkShape(msg.receipt, msg.proof);
    },

    async execute(msg, ctx) {
      const receipt = msg.receipt!;
      const evidenceHash = receiptEvidence(msg.batchId, receiptLeafHash(receipt));
      await k.requireFreshEvidence(ctx.store, evidenceHash);
      const b = await k.requireDisputable(ctx, msg.batchId);
      requireIncluded(ctx, b, receipt, msg.proof!);
      const verdict = await judgeReceipt(keeperFacts(k, ctx), b, receipt);
      if (verdict.ok) throw ErrNoFault.wrap(`leaf ${msg.proof!.index} of batch ${b.id} is a valid receipt`);
      const recorded = k.addChallenge(ctx.store, b, {
        kind: ChallengeKind.CHALLENGE_KIND_RECEIPT,
        challenger: msg.challenger,
        height: ctx.block.height,
        evidenceHash,
        index: msg.proof!.index,
        outcome: 'fault',
      });
      await faultBatch(k, ctx, recorded, { kind: verdict.kind, detail: `leaf ${msg.proof!.index}: ${verdict.detail}`, prover: msg.challenger, evidenceHash });
      ctx.events.emit(EVENTS.challenge, { batch_id: b.id.toString(), kind: 'receipt', challenger: msg.challenger, evidence: hex(evidenceHash) });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgChallengeReceipt, MsgChallengeReceiptResponse, { fault: verdict.kind });
    },
  };
}
