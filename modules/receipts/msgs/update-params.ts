// MsgUpdateParams: replaces every receipts param; only params.authority may sign it. epoch_blocks is
// fixed at genesis: changing it would renumber every epoch batches and roots refer to.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ErrInvalidParams, ErrUnauthorized } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { validateParams } from '../params.ts';
import { decodeAddress } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgUpdateParams(k: ReceiptsKeeper): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.authority, 'authority');
      if (msg.params === undefined) throw ErrInvalidParams.wrap('params are missing');
      validateParams(msg.params, ctx.addresses);
    },

    async execute(msg, ctx) {
      const current = await k.params(ctx.store);
      if (msg.authority !== current.authority) throw ErrUnauthorized.wrap(`expected ${current.authority}, got ${msg.authority}`);
      if (msg.params!.epochBlocks !== current.epochBlocks) throw ErrInvalidParams.wrap(`epoch_blocks is ${current.epochBlocks} and cannot change`);
      keys.params.set(ctx.store, msg.params!);
      ctx.events.emit(EVENTS.updateParams, { authority: msg.authority });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
