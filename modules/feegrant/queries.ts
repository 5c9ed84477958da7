// cosmos.feegrant.v1beta1.Query: one allowance, a grantee's allowances, a granter's allowances.
import { Grant } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { pageList } from '../../core/framework/page-list.ts';
import { paginate } from '../../core/framework/pagination.ts';
import { decodeAddressArg, notFound } from '../../core/framework/query-args.ts';
import type { FeegrantKeeper } from './keeper.ts';
import * as keys from './keys.ts';

export function feegrantQueries(k: FeegrantKeeper): Record<string, QueryHandler> {
  return {
    '/cosmos.feegrant.v1beta1.Query/Allowance': async (data, ctx) => {
      const req = QueryAllowanceRequest.decode(data);
      const grant = await k.grant(ctx.store, decodeAddressArg(req.granter, ctx), decodeAddressArg(req.grantee, ctx));
      if (grant === undefined) throw notFound(`fee-grant not found for granter ${req.granter} and grantee ${req.grantee}`);
      return QueryAllowanceResponse.encode({ allowance: grant }).finish();
    },
    '/cosmos.feegrant.v1beta1.Query/Allowances': async (data, ctx) => {
      const req = QueryAllowancesRequest.decode(data);
      const prefix = Uint8Array.from([...keys.grants.prefix, ...lengthPrefixedBytes.encode(decodeAddressArg(req.grantee, ctx))]);
      const { items, pagination } = await paginate(ctx.store, prefix, req.pagination, (_k, v) => Grant.decode(v));
      return QueryAllowancesResponse.encode({ allowances: items, pagination }).finish();
    },
    '/cosmos.feegrant.v1beta1.Query/AllowancesByGranter': async (data, ctx) => {
      const req = QueryAllowancesByGranterRequest.decode(data);
      decodeAddressArg(req.granter, ctx);
      const all: Grant[] = [];
      for await (const [, grant] of keys.grants.entries(ctx.store)) if (grant.granter === req.granter) all.push(grant);
      const { items, pagination } = pageList(all, req.pagination);
      return QueryAllowancesByGranterResponse.encode({ allowances: items, pagination }).finish();
    },
  };
}
