// MsgUpdateParams: replaces every emission param; only the current params.authority may sign it (by
// default the gov module account). The new params pass genesis's checks (CheckTx); the denom is
// fixed (minted totals, bonds and the fee guard are in it) and max_supply cannot fall below the
// supply already out (the cap invariant would break at once).
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { EMISSION_TYPE_URLS } from '../../../sdk/emission/messages.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../../proto/gen/cairn/emission/v1/tx.ts';
import { ErrInvalidParams, ErrUnauthorized } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { EmissionKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { validateParams } from '../params.ts';

export function msgUpdateParams(k: EmissionKeeper): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      ctx.addresses.decode(msg.authority);
      if (msg.params === undefined) throw ErrInvalidParams.wrap('params are missing');
      validateParams(msg.params, ctx.addresses);
    },

    async execute(msg, ctx) {
      const current = await k.params(ctx.store);
      if (msg.authority !== current.authority) throw ErrUnauthorized.wrap(`expected ${current.authority}, got ${msg.authority}`);
      const next = msg.params!;
      if (next.denom !== current.denom) throw ErrInvalidParams.wrap(`the denom is ${current.denom} and cannot change`);
      const supply = await k.deps.bank.supplyOf(ctx.store, current.denom);
      if (BigInt(next.maxSupply) < supply) throw ErrInvalidParams.wrap(`max_supply ${next.maxSupply} is below the current supply ${supply}${current.denom}`);
      keys.params.set(ctx.store, next);
      ctx.events.emit(EVENTS.updateParams, { authority: msg.authority });
      return msgResponse(EMISSION_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
