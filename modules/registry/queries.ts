// cairn.registry.v1.Query: the catalog, models, offers, attestations (current, or one by id), payer keys and params, as
// ABCI queries at /cairn.registry.v1.Query/<Method> with protobuf bodies.
import type { QueryContext } from '../../core/framework/context.ts';
import { REGISTRY_QUERY_SERVICE } from '../../sdk/registry/queries.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { concat } from '../../core/framework/collections.ts';
import {
  QueryAdaptersRequest,
  QueryAdaptersResponse,
  QueryAttestationRequest,
  QueryAttestationResponse,
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  QueryModelRequest,
  QueryModelResponse,
  QueryModelServersRequest,
  QueryModelServersResponse,
  QueryModelVersionsRequest,
  QueryModelVersionsResponse,
  QueryModelsRequest,
  QueryModelsResponse,
  QueryOperatorRequest,
  QueryOperatorResponse,
  QueryOperatorServesRequest,
  QueryOperatorServesResponse,
  QueryOperatorsRequest,
  QueryOperatorsResponse,
  QueryParamsResponse,
  QueryPayerKeyRequest,
  QueryPayerKeyResponse,
  QueryPayerKeysRequest,
  QueryPayerKeysResponse,
  type ModelServer,
} from '../../proto/gen/cairn/registry/v1/query.ts';
import { Model, ModelKind, PayerKey, ServeOffer } from '../../proto/gen/cairn/registry/v1/types.ts';
import { decodeAddressArg, invalidArgument, notFound } from '../../core/framework/query-args.ts';
import { priceKey, queryCatalog } from './catalog.ts';
import type { RegistryKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { type Keyed, paginateFiltered, paginateSorted } from './page.ts';

const PATH = REGISTRY_QUERY_SERVICE;
const fromUtf8 = new TextDecoder();

async function requireModel(registry: RegistryKeeper, id: string, ctx: QueryContext): Promise<Model> {
  if (id === '') throw invalidArgument('empty model id');
  const model = await registry.modelOf(ctx.store, id);
  if (model === undefined) throw notFound(`model ${id} not found`);
  return model;
}

export function registryQueries(registry: RegistryKeeper): Record<string, QueryHandler> {
  return {
    [`${PATH}Params`]: async (_data, ctx) => QueryParamsResponse.encode({ params: await registry.params(ctx.store) }).finish(),

    [`${PATH}Operator`]: async (data, ctx) => {
      const req = QueryOperatorRequest.decode(data);
      const address = decodeAddressArg(req.address, ctx);
      const op = await registry.getOperator(ctx.store, address);
      if (op === undefined) throw notFound(`operator ${req.address} not found`);
      const current = await registry.currentAttestationsOf(ctx.store, address, await registry.blockTime(ctx.store));
      const retired = (await registry.receiptKeysOf(ctx.store, address)).filter((k) => k.validUntil !== undefined);
      return QueryOperatorResponse.encode({
        operator: op,
        gpus: await registry.gpusOf(ctx.store, address),
        unbonding: await registry.unbondingOf(ctx.store, address),
        retiredReceiptKeys: retired.map((k) => ({ key: k.key, validFrom: k.validFrom, validUntil: k.validUntil! })),
        trustLevel: registry.trustLevel(current),
        active: registry.isActive(op, await registry.params(ctx.store)),
      }).finish();
    },

    [`${PATH}Operators`]: async (data, ctx) => {
      const req = QueryOperatorsRequest.decode(data);
      const { items, pagination } = await queryCatalog(registry, req, ctx);
      return QueryOperatorsResponse.encode({ operators: items, pagination }).finish();
    },

    [`${PATH}Model`]: async (data, ctx) => {
      const req = QueryModelRequest.decode(data);
      return QueryModelResponse.encode({ model: await requireModel(registry, req.id, ctx) }).finish();
    },

    [`${PATH}Models`]: async (data, ctx) => {
      const req = QueryModelsRequest.decode(data);
      if (req.author !== '') decodeAddressArg(req.author, ctx);
      const { items, pagination } = await paginateFiltered(ctx.store, keys.models.prefix, req.pagination, (_k, v) => {
        const m = Model.decode(v);
        if (req.kind !== ModelKind.MODEL_KIND_UNSPECIFIED && m.kind !== req.kind) return undefined;
        if (req.author !== '' && m.author !== req.author) return undefined;
        if (!req.includeDeprecated && m.deprecated) return undefined;
        return m;
      });
      return QueryModelsResponse.encode({ models: items, pagination }).finish();
    },

    [`${PATH}ModelVersions`]: async (data, ctx) => {
      const req = QueryModelVersionsRequest.decode(data);
      const model = await requireModel(registry, req.id, ctx);
      const prefix = concat(keys.versions.prefix, keys.prefixedString.encode(model.family));
      const { items, pagination } = await paginateFiltered(ctx.store, prefix, req.pagination, (_k, v) => registry.modelOf(ctx.store, fromUtf8.decode(v)));
      return QueryModelVersionsResponse.encode({ versions: items, pagination }).finish();
    },

    [`${PATH}Adapters`]: async (data, ctx) => {
      const req = QueryAdaptersRequest.decode(data);
      await requireModel(registry, req.baseModelId, ctx);
      const prefix = concat(keys.adapters.prefix, keys.prefixedString.encode(req.baseModelId));
      const { items, pagination } = await paginateFiltered(ctx.store, prefix, req.pagination, async (k) => {
        const m = await registry.modelOf(ctx.store, fromUtf8.decode(k));
        return m === undefined || (!req.includeDeprecated && m.deprecated) ? undefined : m;
      });
      return QueryAdaptersResponse.encode({ adapters: items, pagination }).finish();
    },

    [`${PATH}ModelServers`]: async (data, ctx) => {
      const req = QueryModelServersRequest.decode(data);
      await requireModel(registry, req.modelId, ctx);
      const params = await registry.params(ctx.store);
      const now = await registry.blockTime(ctx.store);
      const servers: Keyed<ModelServer>[] = [];
      for await (const [[, address]] of keys.servers.entries(ctx.store, { subPrefix: keys.prefixedString.encode(req.modelId) })) {
        const op = await keys.operators.get(ctx.store, address);
        const offer = await keys.serves.get(ctx.store, [address, req.modelId]);
        if (op === undefined || offer === undefined || !registry.isActive(op, params)) continue;
        const trustLevel = registry.trustLevel(await registry.currentAttestationsOf(ctx.store, address, now));
        servers.push({
          key: concat(priceKey(offer.pricePerUnit), address),
          value: { offer, moniker: op.moniker, region: op.region, endpoints: op.endpoints, reputation: op.reputation, trustLevel },
        });
      }
      const { items, pagination } = await paginateSorted(servers, req.pagination);
      return QueryModelServersResponse.encode({ servers: items, pagination }).finish();
    },

    [`${PATH}OperatorServes`]: async (data, ctx) => {
      const req = QueryOperatorServesRequest.decode(data);
      const prefix = concat(keys.serves.prefix, keys.addressPrefix(decodeAddressArg(req.operator, ctx)));
      const { items, pagination } = await paginateFiltered(ctx.store, prefix, req.pagination, (_k, v) => ServeOffer.decode(v));
      return QueryOperatorServesResponse.encode({ offers: items, pagination }).finish();
    },

    [`${PATH}Attestations`]: async (data, ctx) => {
      const req = QueryAttestationsRequest.decode(data);
      const address = decodeAddressArg(req.operator, ctx);
      const now = await registry.blockTime(ctx.store);
      const attestations = await registry.currentAttestationsOf(ctx.store, address, now);
      return QueryAttestationsResponse.encode({ attestations, blockTime: now }).finish();
    },

    [`${PATH}PayerKeys`]: async (data, ctx) => {
      const req = QueryPayerKeysRequest.decode(data);
      const prefix = concat(keys.payerKeys.prefix, keys.addressPrefix(decodeAddressArg(req.payer, ctx)));
      const { items, pagination } = await paginateFiltered(ctx.store, prefix, req.pagination, (_k, v) => {
        const key = PayerKey.decode(v);
        return req.includeRevoked || key.revokedHeight === 0n ? key : undefined;
      });
      return QueryPayerKeysResponse.encode({ keys: items, pagination }).finish();
    },

    [`${PATH}PayerKey`]: async (data, ctx) => {
      const req = QueryPayerKeyRequest.decode(data);
      const key = await registry.payerKeyOf(ctx.store, decodeAddressArg(req.payer, ctx), req.key);
      if (key === undefined) throw notFound(`${req.payer} never authorised payer key ${Buffer.from(req.key).toString('hex')}`);
      return QueryPayerKeyResponse.encode({ key }).finish();
    },

    [`${PATH}Attestation`]: async (data, ctx) => {
      const req = QueryAttestationRequest.decode(data);
      const attestation = await registry.getAttestation(ctx.store, req.id);
      if (attestation === undefined) throw notFound(`attestation ${Buffer.from(req.id).toString('hex')} not found`);
      return QueryAttestationResponse.encode({ attestation }).finish();
    },
  };
}
