// MsgChallengeCapacity: anyone with `capacity_challenge_bond` challenges one committed GPU of an
// active operator. The bond waits in the challenge account: the operator's if it proves in time,
// the challenger's again (with a share of the slash) if it does not. Refused, changing nothing:
// no trusted verifier on the chain, an unknown operator, an inactive one, a GPU it has not committed, a GPU already under an open
// challenge, a challenge of oneself, a challenger who cannot pay the bond.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { EMISSION_TYPE_URLS, MAX_GPU_ID_LENGTH } from '../../../sdk/emission/messages.ts';
import { MsgChallengeCapacity, MsgChallengeCapacityResponse } from '../../../proto/gen/cairn/emission/v1/tx.ts';
import { answerable, openChallenge } from '../capacity.ts';
import { ErrAlreadyChallenged, ErrInvalidChallenge, ErrNotCommitted, ErrUnknownOperator, ErrUntrustedVerifier } from '../errors.ts';
import type { EmissionKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';

export function msgChallengeCapacity(k: EmissionKeeper): MsgHandler<MsgChallengeCapacity> {
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgChallengeCapacity,
    decode: (bytes) => MsgChallengeCapacity.decode(bytes),
    signers: (msg) => [msg.challenger],

    validate(msg, ctx) {
      ctx.addresses.decode(msg.challenger);
      ctx.addresses.decode(msg.operator);
      if (msg.gpuId === '' || msg.gpuId.length > MAX_GPU_ID_LENGTH) throw ErrInvalidChallenge.wrap(`gpu_id must be 1 to ${MAX_GPU_ID_LENGTH} characters`);
      // Self-challenges are refused: the bond would only move in a circle. (A second account can
      // still do it, which is why bonded passes earn no reward or reputation.)
      if (msg.challenger === msg.operator) throw ErrInvalidChallenge.wrap('an operator cannot challenge itself');
    },

    async execute(msg, ctx) {
      const p = await k.params(ctx.store);
      if (!(await answerable(k, ctx.store))) throw ErrUntrustedVerifier.wrap('the registry trusts no verifier, so no operator could answer a challenge');
      const operator = ctx.addresses.decode(msg.operator);
      const op = await k.deps.registry.getOperator(ctx.store, operator);
      if (op === undefined) throw ErrUnknownOperator.wrap(msg.operator);
      if (!(await k.deps.registry.isActiveOperator(ctx.store, operator))) throw ErrNotCommitted.wrap(`${msg.operator} is not active`);
      const gpu = (await k.deps.registry.gpusOf(ctx.store, operator)).find((g) => g.id === msg.gpuId);
      if (gpu === undefined) throw ErrNotCommitted.wrap(`${msg.operator} has no GPU ${msg.gpuId}`);
      const open = await keys.openByGpu.get(ctx.store, [operator, msg.gpuId]);
      if (open !== undefined) throw ErrAlreadyChallenged.wrap(`${msg.operator}/${msg.gpuId} is under challenge ${open}`);
      const bond = BigInt(p.capacityChallengeBond);
      // Fails with sdk/5 (insufficient funds) when the challenger cannot pay.
      await k.deps.bank.sendToModule(ctx, ctx.addresses.decode(msg.challenger), keys.CHALLENGE_ACCOUNT, [{ denom: p.denom, amount: bond }]);
      const { epoch } = await k.epochAt(ctx.store, ctx.block.height);
      const ch = await openChallenge(ctx, p, { epoch, operator: msg.operator, gpuId: gpu.id, gpuCount: gpu.count, challenger: msg.challenger, bond });
      return msgResponse(EMISSION_TYPE_URLS.MsgChallengeCapacity, MsgChallengeCapacityResponse, { challengeId: ch.id });
    },
  };
}
