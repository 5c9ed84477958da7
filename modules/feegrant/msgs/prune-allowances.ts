// MsgPruneAllowances: anyone may delete expired allowances, up to 75 per message (the SDK's limit).
import { MsgPruneAllowances, MsgPruneAllowancesResponse } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { FEEGRANT_TYPE_URLS } from '../../../sdk/feegrant/messages.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import type { FeegrantKeeper } from '../keeper.ts';

export const MAX_PRUNED_PER_MSG = 75;

export function msgPruneAllowances(k: FeegrantKeeper): MsgHandler<MsgPruneAllowances> {
  return {
    typeUrl: FEEGRANT_TYPE_URLS.MsgPruneAllowances,
    decode: (bytes) => MsgPruneAllowances.decode(bytes),
    signers: (msg) => [msg.pruner],

    validate(msg, ctx) {
      decodeNamed(ctx.addresses, msg.pruner, 'pruner');
    },

    async execute(msg, ctx) {
      await k.pruneExpired(ctx, MAX_PRUNED_PER_MSG);
      ctx.events.emit('prune_feegrant', { pruner: msg.pruner });
      return msgResponse(FEEGRANT_TYPE_URLS.MsgPruneAllowances, MsgPruneAllowancesResponse, {});
    },
  };
}
