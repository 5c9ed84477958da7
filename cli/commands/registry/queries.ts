// cairn query registry params | operator | operators | model | models | model-versions | adapters |
// model-servers | operator-serves | attestations | payer-keys
import { arg, booleanFlag, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { fields, table } from '../../output.ts';
import * as q from '../../../proto/gen/cairn/registry/v1/query.ts';
import { GpuTier, ModelKind, type PageRequest, TeeType } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { enumByName, registryQuery, withRegistry } from './client.ts';
import * as v from './views.ts';

/** --limit and --page-key (the hex next key printed by the previous page). */
function pagination(ctx: CommandContext): PageRequest {
  const limit = stringFlag(ctx, 'limit') ?? '100';
  if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) throw new UsageError(`--limit "${limit}" must be between 1 and 1000`);
  const key = stringFlag(ctx, 'page-key') ?? '';
  if (!/^([0-9a-fA-F]{2})*$/.test(key)) throw new UsageError('--page-key must be the hex key printed as "next page key"');
  return { key: new Uint8Array(Buffer.from(key, 'hex')), offset: 0n, limit: BigInt(limit), countTotal: false, reverse: false };
}

function nextPage(nextKey: Uint8Array | undefined): string {
  return nextKey !== undefined && nextKey.length > 0 ? `\nnext page key: ${v.hexText(nextKey)} (use --page-key)` : '';
}

export async function params(ctx: CommandContext): Promise<void> {
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Params', q.QueryParamsRequest, q.QueryParamsResponse, {}));
  const p = res.params!;
  ctx.print({
    json: { ...p, minOperatorBond: v.coinText(p.minOperatorBond), trustedVerifiers: p.trustedVerifiers.map(v.hexText) },
    text: () =>
      fields([
        ['authority', p.authority],
        ['min operator bond', v.coinText(p.minOperatorBond)],
        ['unbonding blocks', p.operatorUnbondingBlocks.toString()],
        ['max royalty', `${p.maxRoyaltyBps} bps, ${p.maxRoyaltyRecipients} recipients`],
        ['trusted verifiers', p.trustedVerifiers.map(v.hexText).join(', ') || '(none)'],
        ['limits', `${p.maxEndpoints} endpoints, ${p.maxLinkedHosts} linked hosts, ${p.maxGpusPerOperator} GPU commitments, ${p.maxServedModels} served models, ${p.maxPayerKeys} payer keys, ${p.maxEvals} evals`],
        ['max attestation validity', `${p.maxAttestationValiditySeconds} s`],
        ['price denom', p.priceDenom],
      ]),
  });
}

export async function operator(ctx: CommandContext): Promise<void> {
  const address = checkAddress(arg(ctx, 0));
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Operator', q.QueryOperatorRequest, q.QueryOperatorResponse, { address }));
  const op = res.operator!;
  ctx.print({
    json: {
      operator: v.operatorView(op),
      active: res.active,
      trustLevel: v.trustText(res.trustLevel),
      gpus: res.gpus.map(v.gpuView),
      unbonding: res.unbonding.map((u) => ({ ...u, amount: v.coinText(u.amount) })),
      retiredReceiptKeys: res.retiredReceiptKeys,
    },
    text: () =>
      [
        fields([
          ['address', op.address],
          ['moniker', op.moniker],
          ['status', `${v.operatorView(op).status}${res.active ? ' (listed)' : ' (not listed)'}`],
          ['bond', v.coinText(op.bond)],
          ['region', op.region],
          ['endpoints', op.endpoints.join(', ')],
          ['linked hosts', op.linkedHosts.join(', ') || '-'],
          ['receipt key', `${v.hexText(op.receiptKey)} (since height ${op.receiptKeySince})`],
          ['reputation', op.reputation.toString()],
          ['trust', v.trustText(res.trustLevel)],
          ['unbonding', res.unbonding.map((u) => `${v.coinText(u.amount)} at height ${u.completionHeight}`).join(', ') || '-'],
        ]),
        '',
        v.gpusTable(res.gpus),
      ].join('\n'),
  });
}

export async function operators(ctx: CommandContext): Promise<void> {
  const sort = stringFlag(ctx, 'sort') ?? 'address';
  const sortBy = { address: q.SortBy.SORT_BY_UNSPECIFIED, price: q.SortBy.SORT_BY_PRICE, reputation: q.SortBy.SORT_BY_REPUTATION }[sort];
  if (sortBy === undefined) throw new UsageError(`--sort "${sort}" must be address, price or reputation`);
  const tier = stringFlag(ctx, 'tier');
  const tee = stringFlag(ctx, 'tee');
  const req: q.QueryOperatorsRequest = {
    region: stringFlag(ctx, 'region') ?? '',
    gpuModel: stringFlag(ctx, 'gpu-model') ?? '',
    tier: tier === undefined ? GpuTier.GPU_TIER_UNSPECIFIED : enumByName(GpuTier, 'GPU_TIER_', tier, '--tier'),
    teeType: tee === undefined ? TeeType.TEE_TYPE_UNSPECIFIED : enumByName(TeeType, 'TEE_TYPE_', tee, '--tee'),
    servedModel: stringFlag(ctx, 'serves') ?? '',
    sortBy,
    includeInactive: booleanFlag(ctx, 'include-inactive'),
    pagination: pagination(ctx),
  };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Operators', q.QueryOperatorsRequest, q.QueryOperatorsResponse, req));
  ctx.print({
    json: {
      operators: res.operators.map((e) => ({ operator: v.operatorView(e.operator!), gpus: e.gpus.map(v.gpuView), trustLevel: v.trustText(e.trustLevel), price: v.coinText(e.price) })),
      nextKey: res.pagination?.nextKey ?? new Uint8Array(),
    },
    text: () => v.catalogTable(res.operators) + nextPage(res.pagination?.nextKey),
  });
}

export async function model(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 0);
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Model', q.QueryModelRequest, q.QueryModelResponse, { id }));
  ctx.print({ json: v.modelView(res.model!), text: () => v.modelFields(res.model!) });
}

export async function models(ctx: CommandContext): Promise<void> {
  const kind = stringFlag(ctx, 'kind');
  const author = stringFlag(ctx, 'author');
  const req: q.QueryModelsRequest = {
    kind: kind === undefined ? ModelKind.MODEL_KIND_UNSPECIFIED : enumByName(ModelKind, 'MODEL_KIND_', kind, '--kind'),
    author: author === undefined ? '' : checkAddress(author, '--author'),
    includeDeprecated: booleanFlag(ctx, 'include-deprecated'),
    pagination: pagination(ctx),
  };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Models', q.QueryModelsRequest, q.QueryModelsResponse, req));
  ctx.print({ json: { models: res.models.map(v.modelView), nextKey: res.pagination?.nextKey ?? new Uint8Array() }, text: () => v.modelsTable(res.models) + nextPage(res.pagination?.nextKey) });
}

export async function modelVersions(ctx: CommandContext): Promise<void> {
  const req = { id: arg(ctx, 0), pagination: pagination(ctx) };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'ModelVersions', q.QueryModelVersionsRequest, q.QueryModelVersionsResponse, req));
  ctx.print({ json: { versions: res.versions.map(v.modelView) }, text: () => v.modelsTable(res.versions) + nextPage(res.pagination?.nextKey) });
}

export async function adapters(ctx: CommandContext): Promise<void> {
  const req = { baseModelId: arg(ctx, 0), includeDeprecated: booleanFlag(ctx, 'include-deprecated'), pagination: pagination(ctx) };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Adapters', q.QueryAdaptersRequest, q.QueryAdaptersResponse, req));
  ctx.print({ json: { adapters: res.adapters.map(v.modelView) }, text: () => v.modelsTable(res.adapters) + nextPage(res.pagination?.nextKey) });
}

export async function modelServers(ctx: CommandContext): Promise<void> {
  const req = { modelId: arg(ctx, 0), pagination: pagination(ctx) };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'ModelServers', q.QueryModelServersRequest, q.QueryModelServersResponse, req));
  ctx.print({
    json: { servers: res.servers.map((s) => ({ ...s, offer: v.offerView(s.offer!), trustLevel: v.trustText(s.trustLevel) })) },
    text: () => v.serversTable(res.servers) + nextPage(res.pagination?.nextKey),
  });
}

export async function operatorServes(ctx: CommandContext): Promise<void> {
  const req = { operator: checkAddress(arg(ctx, 0)), pagination: pagination(ctx) };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'OperatorServes', q.QueryOperatorServesRequest, q.QueryOperatorServesResponse, req));
  ctx.print({
    json: { offers: res.offers.map(v.offerView) },
    text: () =>
      res.offers.length === 0
        ? `${req.operator} serves nothing.`
        : table(['MODEL', 'PRICE/UNIT', 'SINCE'], res.offers.map((o) => [o.modelId, v.coinText(o.pricePerUnit), `height ${o.sinceHeight}`])) + nextPage(res.pagination?.nextKey),
  });
}

export async function attestations(ctx: CommandContext): Promise<void> {
  const operator = checkAddress(arg(ctx, 0));
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'Attestations', q.QueryAttestationsRequest, q.QueryAttestationsResponse, { operator }));
  ctx.print({
    json: { attestations: res.attestations.map(v.attestationView), blockTime: res.blockTime },
    text: () =>
      res.attestations.length === 0
        ? `${operator} has no current attestation.`
        : table(
            ['GPU', 'TEE', 'EXPIRES (UNIX)', 'VERIFIER', 'ID'],
            res.attestations.map((a) => [a.gpuId, v.attestationView(a).teeType, a.expiresAt.toString(), a.verifier.length === 0 ? '-' : v.hexText(a.verifier).slice(0, 16), v.hexText(a.id).slice(0, 16)]),
          ),
  });
}

export async function payerKeys(ctx: CommandContext): Promise<void> {
  const req = { payer: checkAddress(arg(ctx, 0)), includeRevoked: booleanFlag(ctx, 'include-revoked'), pagination: pagination(ctx) };
  const res = await withRegistry(ctx, (c) => registryQuery(c, 'PayerKeys', q.QueryPayerKeysRequest, q.QueryPayerKeysResponse, req));
  ctx.print({
    json: { keys: res.keys.map(v.payerKeyView) },
    text: () =>
      res.keys.length === 0
        ? `${req.payer} has no authorised keys.`
        : table(
            ['KEY', 'LABEL', 'AUTHORISED', 'REVOKED'],
            res.keys.map((k) => [v.hexText(k.key), k.label || '-', `height ${k.authorizedHeight}`, k.revokedHeight === 0n ? '-' : `height ${k.revokedHeight}`]),
          ) + nextPage(res.pagination?.nextKey),
  });
}
