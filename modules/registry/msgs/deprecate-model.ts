// MsgDeprecateModel: the author marks a model deprecated, for good. It stays queryable and existing
// offers stay, but no new adapter may build on it, no new offer may serve it, and its terms freeze.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import type { KVRead } from '../../../core/store/types.ts';
import { MsgDeprecateModel, MsgDeprecateModelResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import type { Model } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { ErrModelDeprecated, ErrModelNotFound, ErrNotAuthor } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkModelId, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';

export async function requireAuthoredModel(registry: RegistryKeeper, store: KVRead, id: string, signer: string): Promise<Model> {
  const model = await registry.modelOf(store, id);
  if (model === undefined) throw ErrModelNotFound.wrap(id);
  if (model.author !== signer) throw ErrNotAuthor.wrap(`${id} belongs to ${model.author}, not ${signer}`);
  return model;
}

export function msgDeprecateModel(registry: RegistryKeeper): MsgHandler<MsgDeprecateModel> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgDeprecateModel,
    decode: (bytes) => MsgDeprecateModel.decode(bytes),
    signers: (msg) => [msg.author],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.author, 'author');
      checkModelId(msg.id, 'id');
    },

    async execute(msg, ctx) {
      const model = await requireAuthoredModel(registry, ctx.store, msg.id, msg.author);
      if (model.deprecated) throw ErrModelDeprecated.wrap(`${msg.id} is already deprecated`);
      keys.models.set(ctx.store, msg.id, { ...model, deprecated: true, deprecatedHeight: ctx.block.height, updatedHeight: ctx.block.height });
      ctx.events.emit(EVENTS.deprecateModel, { model_id: msg.id, author: msg.author });
      return msgResponse(REGISTRY_TYPE_URLS.MsgDeprecateModel, MsgDeprecateModelResponse, {});
    },
  };
}
