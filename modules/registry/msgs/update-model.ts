// MsgUpdateModel: the author replaces the mutable terms (license, evals, royalty). Weights, kind,
// base and version chain never change: new weights are a new version.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgUpdateModel, MsgUpdateModelResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { ErrModelDeprecated } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkModelId, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';
import { requireAuthoredModel } from './deprecate-model.ts';
import { checkTermLimits, checkTerms } from './model-terms.ts';

export function msgUpdateModel(registry: RegistryKeeper): MsgHandler<MsgUpdateModel> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgUpdateModel,
    decode: (bytes) => MsgUpdateModel.decode(bytes),
    signers: (msg) => [msg.author],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.author, 'author');
      checkModelId(msg.id, 'id');
      checkTerms(msg, ctx.addresses);
    },

    async execute(msg, ctx) {
      const model = await requireAuthoredModel(registry, ctx.store, msg.id, msg.author);
      if (model.deprecated) throw ErrModelDeprecated.wrap(`${msg.id} was deprecated at height ${model.deprecatedHeight}`);
      checkTermLimits(msg, await registry.params(ctx.store));
      keys.models.set(ctx.store, msg.id, {
        ...model,
        license: msg.license,
        evals: msg.evals,
        royaltyBps: msg.royaltyBps,
        recipients: msg.recipients,
        updatedHeight: ctx.block.height,
      });
      ctx.events.emit(EVENTS.updateModel, { model_id: msg.id, author: msg.author, royalty_bps: String(msg.royaltyBps) });
      return msgResponse(REGISTRY_TYPE_URLS.MsgUpdateModel, MsgUpdateModelResponse, {});
    },
  };
}
