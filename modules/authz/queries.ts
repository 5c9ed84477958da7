// cosmos.authz.v1beta1.Query: the grants of a (granter, grantee) pair, of a granter, of a grantee.
import { Grant, type GrantAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import {
  QueryGranteeGrantsRequest,
  QueryGranteeGrantsResponse,
  QueryGranterGrantsRequest,
  QueryGranterGrantsResponse,
  QueryGrantsRequest,
  QueryGrantsResponse,
} from 'cosmjs-types/cosmos/authz/v1beta1/query';
import type { QueryHandler } from '../../core/framework/module.ts';
import { pageList } from '../../core/framework/page-list.ts';
import { paginate } from '../../core/framework/pagination.ts';
import { decodeAddressArg } from '../../core/framework/query-args.ts';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';
import { ErrNoAuthorizationFound } from './errors.ts';
import type { AuthzKeeper } from './keeper.ts';
import * as keys from './keys.ts';


export function authzQueries(k: AuthzKeeper): Record<string, QueryHandler> {
  return {
    '/cosmos.authz.v1beta1.Query/Grants': async (data, ctx) => {
      const req = QueryGrantsRequest.decode(data);
      const granter = decodeAddressArg(req.granter, ctx);
      const grantee = decodeAddressArg(req.grantee, ctx);
      if (req.msgTypeUrl !== '') {
        // Queries have no block time; the grant's own expiry is checked by Exec.
        const grant = await k.grant(ctx.store, granter, grantee, req.msgTypeUrl);
        if (grant === undefined) throw ErrNoAuthorizationFound.wrap(`authorization not found for ${req.msgTypeUrl} type`);
        return QueryGrantsResponse.encode({ grants: [grant] }).finish();
      }
      const { items, pagination } = await paginate(ctx.store, keys.grantsPrefix(granter, grantee), req.pagination, (_k, v) => Grant.decode(v));
      return QueryGrantsResponse.encode({ grants: items, pagination }).finish();
    },
    '/cosmos.authz.v1beta1.Query/GranterGrants': async (data, ctx) => {
      const req = QueryGranterGrantsRequest.decode(data);
      const granter = decodeAddressArg(req.granter, ctx);
      const { items, pagination } = await paginate(ctx.store, keys.grantsPrefix(granter), req.pagination, (key, v): GrantAuthorization => {
        const grantee = lengthPrefixedBytes.decode(key);
        return { granter: req.granter, grantee: ctx.addresses.encode(grantee), ...Grant.decode(v) };
      });
      return QueryGranterGrantsResponse.encode({ grants: items, pagination }).finish();
    },
    '/cosmos.authz.v1beta1.Query/GranteeGrants': async (data, ctx) => {
      const req = QueryGranteeGrantsRequest.decode(data);
      const grantee = decodeAddressArg(req.grantee, ctx);
      const all: GrantAuthorization[] = [];
      for await (const [[granter, [to]], grant] of keys.grants.entries(ctx.store)) {
        if (sameBytes(to, grantee)) all.push({ granter: ctx.addresses.encode(granter), grantee: req.grantee, ...grant });
      }
      const { items, pagination } = pageList(all, req.pagination);
      return QueryGranteeGrantsResponse.encode({ grants: items, pagination }).finish();
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

