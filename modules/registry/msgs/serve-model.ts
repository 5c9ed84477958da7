// MsgServeModel: the operator declares it serves a model or adapter at a price per unit; sending it
// again re-prices the offer. Deprecated models take no new offers.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgServeModel, MsgServeModelResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrInvalidPrice, ErrModelDeprecated, ErrModelNotFound, ErrTooManyServedModels } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkModelId, decodeAddress, parseCoin } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export function msgServeModel(registry: RegistryKeeper): MsgHandler<MsgServeModel> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgServeModel,
    decode: (bytes) => MsgServeModel.decode(bytes),
    signers: (msg) => [msg.operator],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.operator, 'operator');
      checkModelId(msg.modelId, 'model_id');
      parseCoin(msg.pricePerUnit, 'price_per_unit', ErrInvalidPrice);
    },

    async execute(msg, ctx) {
      const address = ctx.addresses.decode(msg.operator);
      await registry.requireListedOperator(ctx.store, address, msg.operator);
      const params = await registry.params(ctx.store);
      const price = parseCoin(msg.pricePerUnit, 'price_per_unit', ErrInvalidPrice);
      if (price.denom !== params.priceDenom) throw ErrInvalidPrice.wrap(`price_per_unit is in ${price.denom}; prices are in ${params.priceDenom}`);
      const model = await registry.modelOf(ctx.store, msg.modelId);
      if (model === undefined) throw ErrModelNotFound.wrap(msg.modelId);
      if (model.deprecated) throw ErrModelDeprecated.wrap(msg.modelId);
      const existing = await keys.serves.get(ctx.store, [address, msg.modelId]);
      if (existing === undefined) {
        let count = 0;
        for await (const _ of keys.serves.entries(ctx.store, { subPrefix: keys.addressPrefix(address) })) count++;
        if (count >= params.maxServedModels) throw ErrTooManyServedModels.wrap(`already serving ${count}; max_served_models is ${params.maxServedModels}`);
      }
      keys.serves.set(ctx.store, [address, msg.modelId], {
        operator: msg.operator,
        modelId: msg.modelId,
        pricePerUnit: { denom: price.denom, amount: price.amount.toString() },
        sinceHeight: existing?.sinceHeight ?? ctx.block.height,
      });
      keys.servers.set(ctx.store, [msg.modelId, address], true);
      ctx.events.emit(EVENTS.serveModel, { operator: msg.operator, model_id: msg.modelId, price_per_unit: formatCoins([price]) });
      return msgResponse(REGISTRY_TYPE_URLS.MsgServeModel, MsgServeModelResponse, {});
    },
  };
}
