// MsgUpdateParams: replaces every royalty param; only params.authority may sign it.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ROYALTY_TYPE_URLS } from '../../../sdk/royalty/messages.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../../proto/gen/cairn/royalty/v1/tx.ts';
import { ErrInvalidParams, ErrUnauthorized } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RoyaltyKeeper } from '../keeper.ts';
import { validateParams } from '../params.ts';

export function msgUpdateParams(royalty: RoyaltyKeeper): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: ROYALTY_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      if (msg.params === undefined) throw ErrInvalidParams.wrap('params are missing');
      ctx.addresses.decode(msg.authority);
      validateParams(msg.params, ctx.addresses);
    },

    async execute(msg, ctx) {
      const current = await royalty.params(ctx.store);
      if (msg.authority !== current.authority) throw ErrUnauthorized.wrap(`expected ${current.authority}, got ${msg.authority}`);
      royalty.setParams(ctx.store, msg.params!);
      ctx.events.emit(EVENTS.updateParams, { authority: msg.authority });
      return msgResponse(ROYALTY_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
