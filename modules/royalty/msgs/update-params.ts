// MsgUpdateParams: replaces every royalty param; only params.authority may sign it.
import type { MsgHandler } from '../../../core/framework/module.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../../proto/gen/cairn/royalty/v1/tx.ts';
import { ErrInvalidParams, ErrUnauthorized } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RoyaltyKeeper } from '../keeper.ts';
import { validateParams } from '../params.ts';
import { ROYALTY_PACKAGE } from '../../../sdk/royalty/messages.ts';


export function msgUpdateParams(royalty: RoyaltyKeeper): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: `/${ROYALTY_PACKAGE}.MsgUpdateParams`,
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
      return { typeUrl: `/${ROYALTY_PACKAGE}.MsgUpdateParamsResponse`, value: MsgUpdateParamsResponse.encode({}).finish() };
    },
  };
}
