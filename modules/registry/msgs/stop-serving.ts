// MsgStopServing: withdraws an offer.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgStopServing, MsgStopServingResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrNotServing } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkModelId, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgStopServing(registry: RegistryKeeper): MsgHandler<MsgStopServing> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgStopServing,
    decode: (bytes) => MsgStopServing.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkModelId(msg.modelId, 'model_id');
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      await registry.requireOperator(ctx.store, address, msg.operator);
      if ((await keys.serves.get(ctx.store, [address, msg.modelId])) === undefined) throw ErrNotServing.wrap(`${msg.operator} does not serve ${msg.modelId}`);
      keys.serves.delete(ctx.store, [address, msg.modelId]);
      keys.servers.delete(ctx.store, [msg.modelId, address]);
      ctx.events.emit(EVENTS.stopServing, { operator: msg.operator, model_id: msg.modelId });
      return msgResponse(REGISTRY_TYPE_URLS.MsgStopServing, MsgStopServingResponse, {});
    },
  };
}
