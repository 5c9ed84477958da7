// cosmos.upgrade.v1beta1.Query: the scheduled plan, the height an applied plan ran at (0 if never), the
// running modules' consensus versions, and the authority.
import {
  QueryAppliedPlanRequest,
  QueryAppliedPlanResponse,
  QueryAuthorityResponse,
  QueryCurrentPlanResponse,
  QueryModuleVersionsRequest,
  QueryModuleVersionsResponse,
} from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import type { ModuleVersion } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import type { QueryHandler } from '../../core/framework/module.ts';
import { notFound } from '../../core/framework/query-args.ts';
import * as keys from './keys.ts';

export function upgradeQueries(authority: Uint8Array, versions: () => ModuleVersion[]): Record<string, QueryHandler> {
  const S = '/cosmos.upgrade.v1beta1.Query';
  return {
    [`${S}/CurrentPlan`]: async (_data, ctx) => {
      const plan = await keys.plan.get(ctx.store);
      return QueryCurrentPlanResponse.encode(plan === undefined ? {} : { plan }).finish();
    },
    [`${S}/AppliedPlan`]: async (data, ctx) => {
      const { name } = QueryAppliedPlanRequest.decode(data);
      return QueryAppliedPlanResponse.encode({ height: (await keys.done.get(ctx.store, name)) ?? 0n }).finish();
    },
    [`${S}/ModuleVersions`]: async (data) => {
      const { moduleName } = QueryModuleVersionsRequest.decode(data);
      const all = versions();
      if (moduleName === '') return QueryModuleVersionsResponse.encode({ moduleVersions: all }).finish();
      const one = all.find((v) => v.name === moduleName);
      if (one === undefined) throw notFound(`x/upgrade: QueryModuleVersions module ${moduleName} not found`);
      return QueryModuleVersionsResponse.encode({ moduleVersions: [one] }).finish();
    },
    [`${S}/Authority`]: async (_data, ctx) => QueryAuthorityResponse.encode({ address: ctx.addresses.encode(authority) }).finish(),
  };
}
