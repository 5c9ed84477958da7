// MsgUpdateParams: replaces every param. Only the current params.authority may sign it (by default
// the gov module account). The bond denom and price denom are fixed at genesis: changing them would
// strand every bond and offer priced in the old denom.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrInvalidParams, ErrUnauthorized } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { validateParams } from '../params.ts';
import { decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgUpdateParams(registry: RegistryKeeper): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.authority, 'authority');
      if (msg.params === undefined) throw ErrInvalidParams.wrap('params are missing');
      validateParams(msg.params, ctx.addresses);
    },

    async execute(msg, ctx) {
      const current = await registry.params(ctx.store);
      if (msg.authority !== current.authority) throw ErrUnauthorized.wrap(`expected ${current.authority}, got ${msg.authority}`);
      const next = msg.params!;
      if (next.minOperatorBond!.denom !== current.minOperatorBond!.denom) {
        throw ErrInvalidParams.wrap(`the bond denom is ${current.minOperatorBond!.denom} and cannot change`);
      }
      if (next.priceDenom !== current.priceDenom) throw ErrInvalidParams.wrap(`the price denom is ${current.priceDenom} and cannot change`);
      keys.params.set(ctx.store, next);
      ctx.events.emit(EVENTS.updateParams, { authority: msg.authority });
      return msgResponse(REGISTRY_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}
