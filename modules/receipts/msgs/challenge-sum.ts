// MsgChallengeSum: anyone proves that a node of a pending batch's Merkle-sum tree does not add up:
// its amount or count differs from its two children's, a leaf is counted as more than one receipt
// or with another amount than its receipt's, or a node holds an amount but no leaves.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgChallengeSum, MsgChallengeSumResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ChallengeKind, FaultKind } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { MAX_PROOF_STEPS, checkSumNodeProof, parseSumNode } from '../../../sdk/receipts/merkle.ts';
import { ErrInvalidProof, ErrNoFault } from '../errors.ts';
import { EVENTS, hex } from '../events.ts';
import { sumEvidence } from '../../../sdk/receipts/evidence.ts';
import { faultBatch } from '../faults.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';
import { STEP_GAS, batchRoot } from './proofs.ts';

export function msgChallengeSum(k: ReceiptsKeeper): MsgHandler<MsgChallengeSum> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgChallengeSum,
    decode: (bytes) => MsgChallengeSum.decode(bytes),
    signers: (msg) => [msg.challenger],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.challenger, 'challenger');
      const p = msg.proof;
      if (p === undefined || p.node === undefined || p.path === undefined) throw ErrInvalidProof.wrap('proof, node and path are required');
      if (p.path.steps.length > MAX_PROOF_STEPS) throw ErrInvalidProof.wrap(`path has ${p.path.steps.length} steps; at most ${MAX_PROOF_STEPS}`);
      try {
        parseSumNode(p.node, 'node');
      } catch (e) {
        throw ErrInvalidProof.wrap((e as Error).message);
      }
    },

    async execute(msg, ctx) {
      const proof = msg.proof!;
      const node = parseSumNode(proof.node, 'node');
      const evidenceHash = sumEvidence(msg.batchId, node);
      await k.requireFreshEvidence(ctx.store, evidenceHash);
      const b = await k.requireDisputable(ctx, msg.batchId);
      ctx.gas.consume(STEP_GAS * BigInt(proof.path!.steps.length + 2), 'sum-node proof');
      const check = checkSumNodeProof(batchRoot(b), proof);
      if (!check.valid) throw ErrInvalidProof.wrap(`batch ${b.id}: ${check.reason}`);
      if (check.fraud === undefined) throw ErrNoFault.wrap(`the node at index ${proof.path!.index} of batch ${b.id} adds up`);
      const recorded = k.addChallenge(ctx.store, b, {
        kind: ChallengeKind.CHALLENGE_KIND_SUM,
        challenger: msg.challenger,
        height: ctx.block.height,
        evidenceHash,
        index: proof.path!.index,
        outcome: 'fault',
      });
      await faultBatch(k, ctx, recorded, { kind: FaultKind.FAULT_KIND_SUM_FRAUD, detail: check.fraud, prover: msg.challenger, evidenceHash });
      ctx.events.emit(EVENTS.challenge, { batch_id: b.id.toString(), kind: 'sum', challenger: msg.challenger, evidence: hex(evidenceHash) });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgChallengeSum, MsgChallengeSumResponse, {});
    },
  };
}
