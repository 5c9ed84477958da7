// cairn query upgrade plan | applied <name> | module-versions | authority; cairn query consensus params
import { QueryParamsRequest, QueryParamsResponse } from 'cosmjs-types/cosmos/consensus/v1/query';
import * as q from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { arg, type CommandContext } from '../../context.ts';
import { fields, table } from '../../output.ts';
import { moduleQuery, withChain } from '../receipts/client.ts';

const S = 'cosmos.upgrade.v1beta1.Query';

export async function plan(ctx: CommandContext): Promise<void> {
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'CurrentPlan', q.QueryCurrentPlanRequest, q.QueryCurrentPlanResponse, {}));
  const p = r.plan;
  ctx.print({
    json: p === undefined ? { plan: null } : { plan: { name: p.name, height: p.height.toString(), info: p.info } },
    text: () => (p === undefined ? 'no upgrade is scheduled' : fields([['name', p.name], ['height', p.height.toString()], ['info', p.info || '(none)']])),
  });
}

export async function applied(ctx: CommandContext): Promise<void> {
  const name = arg(ctx, 0);
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'AppliedPlan', q.QueryAppliedPlanRequest, q.QueryAppliedPlanResponse, { name }));
  ctx.print({
    json: { name, height: r.height.toString() },
    text: () => (r.height === 0n ? `upgrade "${name}" has not been applied` : `upgrade "${name}" was applied at height ${r.height}`),
  });
}

export async function moduleVersions(ctx: CommandContext): Promise<void> {
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'ModuleVersions', q.QueryModuleVersionsRequest, q.QueryModuleVersionsResponse, { moduleName: '' }));
  ctx.print({ json: r.moduleVersions.map((v) => ({ name: v.name, version: v.version.toString() })), text: () => table(['module', 'version'], r.moduleVersions.map((v) => [v.name, v.version.toString()])) });
}

export async function authority(ctx: CommandContext): Promise<void> {
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'Authority', q.QueryAuthorityRequest, q.QueryAuthorityResponse, {}));
  ctx.print({ json: r, text: () => r.address });
}

export async function consensusParams(ctx: CommandContext): Promise<void> {
  const r = await withChain(ctx, (c) => moduleQuery(c, 'cosmos.consensus.v1.Query', 'Params', QueryParamsRequest, QueryParamsResponse, {}));
  const p = r.params!;
  const age = p.evidence?.maxAgeDuration;
  const json = {
    block: { max_bytes: String(p.block?.maxBytes), max_gas: String(p.block?.maxGas) },
    evidence: { max_age_num_blocks: String(p.evidence?.maxAgeNumBlocks), max_age_duration: age === undefined ? null : `${age.seconds}s`, max_bytes: String(p.evidence?.maxBytes) },
    validator: { pub_key_types: p.validator?.pubKeyTypes ?? [] },
    abci: { vote_extensions_enable_height: String(p.abci?.voteExtensionsEnableHeight ?? 0n) },
  };
  const limit = (v: bigint | undefined): string => (v === undefined || v < 0n ? 'none (-1)' : v.toString());
  ctx.print({
    json,
    text: () =>
      fields([
        ['block max bytes', limit(p.block?.maxBytes)],
        ['block max gas', limit(p.block?.maxGas)],
        ['evidence max age', `${json.evidence.max_age_num_blocks} blocks and ${json.evidence.max_age_duration}`],
        ['evidence max bytes', json.evidence.max_bytes],
        ['validator key types', json.validator.pub_key_types.join(', ')],
        ['vote extensions from height', json.abci.vote_extensions_enable_height === '0' ? 'off' : json.abci.vote_extensions_enable_height],
      ]),
  });
}
