// MsgRequestReceipt: anyone asks, with a bond of exactly params.challenge_bond, for a leaf of a
// pending batch. The operator must reveal it within reveal_window (and not before the batch's sample
// deadline): then the bond pays the operator;
// otherwise the batch is rejected for data unavailability and the requester gets the bond back and
// the prover's reward. A batch whose window ends with requests open waits for them.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgRequestReceipt, MsgRequestReceiptResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ChallengeKind } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { ErrAlreadyRequested, ErrInvalidBond, ErrInvalidChallenge, ErrTooManyRequests } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress, parseCoin } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgRequestReceipt(k: ReceiptsKeeper): MsgHandler<MsgRequestReceipt> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgRequestReceipt,
    decode: (bytes) => MsgRequestReceipt.decode(bytes),
    signers: (msg) => [msg.requester],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.requester, 'requester');
      parseCoin(msg.bond, 'bond', ErrInvalidBond);
    },

    async execute(msg, ctx) {
      const p = await k.params(ctx.store);
      const bond = parseCoin(msg.bond, 'bond', ErrInvalidBond);
      const want = p.challengeBond!;
      if (bond.denom !== want.denom || bond.amount.toString() !== want.amount) throw ErrInvalidBond.wrap(`the bond is ${want.amount}${want.denom}, not ${formatCoins([bond])}`);
      let b = await k.requireDisputable(ctx, msg.batchId);
      if (msg.index >= b.count) throw ErrInvalidChallenge.wrap(`batch ${b.id} has ${b.count} leaves; there is no leaf ${msg.index}`);
      if (b.sample.some((s) => s.index === msg.index && !s.revealed)) throw ErrAlreadyRequested.wrap(`leaf ${msg.index} is sampled and not yet revealed`);
      if ((await keys.revealedLeaves.get(ctx.store, [b.id, msg.index])) !== undefined) throw ErrAlreadyRequested.wrap(`leaf ${msg.index} was already revealed`);
      if ((await keys.requests.get(ctx.store, [b.id, msg.index])) !== undefined) throw ErrAlreadyRequested.wrap(`leaf ${msg.index} is already requested`);
      if (b.openRequests >= p.maxOpenRequests) throw ErrTooManyRequests.wrap(`${b.openRequests} open; max_open_requests is ${p.maxOpenRequests}`);
      await k.bank.sendToModule(ctx, ctx.addresses.decode(msg.requester), keys.ESCROW_ACCOUNT, [bond]);
      // Never before the sample's deadline: a request the operator arranged itself must not let a
      // batch fall as data-unavailable (jail) before a hidden sampled leaf makes it fraud (tombstone).
      const own = ctx.block.height + p.revealWindow;
      const deadline = own > b.revealDeadline ? own : b.revealDeadline;
      keys.requests.set(ctx.store, [b.id, msg.index], { batchId: b.id, index: msg.index, requester: msg.requester, bond: want, height: ctx.block.height, deadline });
      keys.deadlines.set(ctx.store, [deadline, b.id], true);
      b = k.addChallenge(ctx.store, b, { kind: ChallengeKind.CHALLENGE_KIND_REQUEST, challenger: msg.requester, height: ctx.block.height, evidenceHash: new Uint8Array(), index: msg.index, outcome: 'open' });
      k.setBatch(ctx.store, { ...b, openRequests: b.openRequests + 1 }, b.status);
      ctx.events.emit(EVENTS.requestReceipt, { batch_id: b.id.toString(), index: msg.index.toString(), requester: msg.requester, bond: formatCoins([bond]), deadline: deadline.toString() });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgRequestReceipt, MsgRequestReceiptResponse, { deadline });
    },
  };
}
