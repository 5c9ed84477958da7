// MsgRegisterModel: a base model or an adapter manifest under an author-chosen id. An adapter's base
// must exist, be a base model and not be deprecated. A new version names its predecessor (same
// author, same kind, not already succeeded): versions form a single chain per family.
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgRegisterModel, MsgRegisterModelResponse } from '../../../proto/gen/cairn/registry/v1/tx.ts';
import { type Model, ModelKind } from '../../../proto/gen/cairn/registry/v1/types.ts';
import {
  ErrBaseModelIsAdapter,
  ErrBaseModelNotFound,
  ErrDuplicateContentHash,
  ErrInvalidModelKind,
  ErrInvalidVersion,
  ErrModelDeprecated,
  ErrModelExists,
  ErrNotAuthor,
} from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { RegistryKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { checkContentHash, checkModelId, decodeAddress } from '../validate.ts';
import { REGISTRY_TYPE_URLS } from '../../../sdk/registry/messages.ts';
import { checkTermLimits, checkTerms } from './model-terms.ts';

export function msgRegisterModel(registry: RegistryKeeper): MsgHandler<MsgRegisterModel> {
  return {
    typeUrl: REGISTRY_TYPE_URLS.MsgRegisterModel,
    decode: (bytes) => MsgRegisterModel.decode(bytes),
    signers: (msg) => [msg.author],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.author, 'author');
      checkModelId(msg.id, 'id');
      if (msg.kind === ModelKind.MODEL_KIND_ADAPTER) {
        if (msg.baseModelId === '') throw ErrInvalidModelKind.wrap('an adapter needs base_model_id');
        checkModelId(msg.baseModelId, 'base_model_id');
        if (msg.baseModelId === msg.id) throw ErrInvalidModelKind.wrap('an adapter cannot be its own base model');
      } else if (msg.kind === ModelKind.MODEL_KIND_BASE) {
        if (msg.baseModelId !== '') throw ErrInvalidModelKind.wrap('a base model has no base_model_id');
      } else {
        throw ErrInvalidModelKind.wrap(`kind ${msg.kind}: expected MODEL_KIND_BASE or MODEL_KIND_ADAPTER`);
      }
      checkContentHash(msg.contentHash);
      checkTerms(msg, ctx.addresses);
      if (msg.previousVersion !== '') {
        checkModelId(msg.previousVersion, 'previous_version');
        if (msg.previousVersion === msg.id) throw ErrInvalidVersion.wrap('a model cannot be its own previous version');
      }
    },

    async execute(msg, ctx) {
      if ((await registry.modelOf(ctx.store, msg.id)) !== undefined) throw ErrModelExists.wrap(msg.id);
      const owner = await keys.contentHashes.get(ctx.store, msg.contentHash);
      if (owner !== undefined) throw ErrDuplicateContentHash.wrap(`${msg.contentHash} is model ${owner}`);
      checkTermLimits(msg, await registry.params(ctx.store));
      if (msg.kind === ModelKind.MODEL_KIND_ADAPTER) {
        const base = await registry.modelOf(ctx.store, msg.baseModelId);
        if (base === undefined) throw ErrBaseModelNotFound.wrap(msg.baseModelId);
        if (base.kind === ModelKind.MODEL_KIND_ADAPTER) throw ErrBaseModelIsAdapter.wrap(`${msg.baseModelId} is an adapter of ${base.baseModelId}; adapters do not stack`);
        if (base.deprecated) throw ErrModelDeprecated.wrap(`base model ${msg.baseModelId}`);
      }
      let version = 1n;
      let family = msg.id;
      if (msg.previousVersion !== '') {
        const previous = await registry.modelOf(ctx.store, msg.previousVersion);
        if (previous === undefined) throw ErrInvalidVersion.wrap(`previous version ${msg.previousVersion} does not exist`);
        if (previous.author !== msg.author) throw ErrNotAuthor.wrap(`previous version ${msg.previousVersion} belongs to ${previous.author}`);
        if (previous.kind !== msg.kind) throw ErrInvalidVersion.wrap(`previous version ${msg.previousVersion} is of another kind`);
        if (previous.nextVersion !== '') throw ErrInvalidVersion.wrap(`${msg.previousVersion} already has a next version, ${previous.nextVersion}`);
        version = previous.version + 1n;
        family = previous.family;
        keys.models.set(ctx.store, previous.id, { ...previous, nextVersion: msg.id });
      }
      const model: Model = {
        id: msg.id,
        kind: msg.kind,
        baseModelId: msg.baseModelId,
        author: msg.author,
        contentHash: msg.contentHash,
        license: msg.license,
        evals: msg.evals,
        royaltyBps: msg.royaltyBps,
        recipients: msg.recipients,
        previousVersion: msg.previousVersion,
        nextVersion: '',
        version,
        family,
        deprecated: false,
        registeredHeight: ctx.block.height,
        updatedHeight: ctx.block.height,
        deprecatedHeight: 0n,
      };
      keys.models.set(ctx.store, msg.id, model);
      keys.contentHashes.set(ctx.store, msg.contentHash, msg.id);
      keys.versions.set(ctx.store, [family, version], msg.id);
      if (msg.kind === ModelKind.MODEL_KIND_ADAPTER) keys.adapters.set(ctx.store, [msg.baseModelId, msg.id], true);
      ctx.events.emit(EVENTS.registerModel, {
        model_id: msg.id,
        author: msg.author,
        kind: msg.kind === ModelKind.MODEL_KIND_ADAPTER ? 'adapter' : 'base',
        base_model_id: msg.baseModelId,
        version: version.toString(),
        royalty_bps: String(msg.royaltyBps),
      });
      return msgResponse(REGISTRY_TYPE_URLS.MsgRegisterModel, MsgRegisterModelResponse, { id: msg.id, version });
    },
  };
}
