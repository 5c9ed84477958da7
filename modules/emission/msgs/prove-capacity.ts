// MsgProveCapacity: the operator answers an open capacity challenge with a benchmark signed by a
// trusted verifier, in time, measuring at least the committed count. Anything else is refused and
// changes nothing; an unanswered challenge becomes a fake-capacity fault at its deadline.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { EMISSION_TYPE_URLS } from '../../../sdk/emission/messages.ts';
import { MsgProveCapacity, MsgProveCapacityResponse } from '../../../proto/gen/cairn/emission/v1/tx.ts';
import { ChallengeStatus } from '../../../proto/gen/cairn/emission/v1/types.ts';
import { verifyEd25519 } from '../../../sdk/registry/sign-bytes.ts';
import { bondOf, closeChallenge } from '../capacity.ts';
import { capacitySignBytes } from '../../../sdk/emission/sign-bytes.ts';
import { ErrBadCapacityProof, ErrNotChallenged, ErrUntrustedVerifier } from '../errors.ts';
import type { EmissionKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';

export function msgProveCapacity(k: EmissionKeeper): MsgHandler<MsgProveCapacity> {
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgProveCapacity,
    decode: (bytes) => MsgProveCapacity.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      ctx.addresses.decode(msg.operator);
      if (msg.verifier.length !== 32) throw ErrBadCapacityProof.wrap('verifier key must be 32 bytes');
      if (msg.signature.length !== 64) throw ErrBadCapacityProof.wrap('signature must be 64 bytes');
    },

    async execute(msg, ctx) {
      const ch = await keys.challenges.get(ctx.store, msg.challengeId);
      if (ch === undefined || ch.operator !== msg.operator) throw ErrNotChallenged.wrap(`challenge ${msg.challengeId} is not one of ${msg.operator}'s`);
      if (ch.status !== ChallengeStatus.CHALLENGE_STATUS_OPEN) throw ErrNotChallenged.wrap(`challenge ${msg.challengeId} is already settled`);
      if (ctx.block.height > ch.deadline) throw ErrNotChallenged.wrap(`challenge ${msg.challengeId} closed at height ${ch.deadline}`);
      const trusted = (await k.deps.registry.params(ctx.store)).trustedVerifiers;
      if (!trusted.some((t) => Buffer.from(t).equals(msg.verifier))) throw ErrUntrustedVerifier.wrap(Buffer.from(msg.verifier).toString('hex'));
      const operator = ctx.addresses.decode(msg.operator);
      if (!verifyEd25519(msg.verifier, capacitySignBytes(ctx.block.chainId, operator, ch.id, ch.gpuId, msg.measuredCount), msg.signature)) throw ErrBadCapacityProof.wrap('the verifier signature does not verify');
      if (msg.measuredCount < ch.gpuCount) throw ErrBadCapacityProof.wrap(`measured ${msg.measuredCount} GPUs, ${ch.gpuCount} committed`);
      closeChallenge(ctx, ch, ChallengeStatus.CHALLENGE_STATUS_PASSED);
      const bond = bondOf(ch);
      if (ch.challenger === '') {
        // Only the chain's random picks count for rewards and reputation: a bonded challenge could
        // come from the operator's own second account, and its bond would come straight back.
        const { epoch } = await k.epochAt(ctx.store, ctx.block.height);
        keys.passed.set(ctx.store, [epoch, operator], ((await keys.passed.get(ctx.store, [epoch, operator])) ?? 0n) + 1n);
      } else if (bond > 0n) {
        // Griefing costs the griefer: the bond goes to the operator who had to run the benchmark.
        const denom = (await k.params(ctx.store)).denom;
        await k.deps.bank.sendFromModule(ctx, keys.CHALLENGE_ACCOUNT, operator, [{ denom, amount: bond }]);
      }
      ctx.events.emit('prove_capacity', { challenge_id: ch.id.toString(), operator: msg.operator, gpu_id: ch.gpuId, challenger: ch.challenger, bond_to_operator: ch.challenger === '' ? '0' : bond.toString() });
      return msgResponse(EMISSION_TYPE_URLS.MsgProveCapacity, MsgProveCapacityResponse, {});
    },
  };
}
