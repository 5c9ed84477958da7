// cosmos.auth.v1beta1.Query, the subset wallets and explorers call. Errors carry the gRPC status
// text the SDK produces, because CosmJS recognises a missing account by "rpc error: code = NotFound".
import {
  QueryAccountInfoRequest,
  QueryAccountInfoResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  Bech32PrefixResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { moduleAddress } from '../../core/framework/address.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { decodeAddressArg, notFound } from '../../core/framework/query-args.ts';
import { type AccountKeeper, encodeAccount } from './keeper.ts';

export function authQueries(accounts: AccountKeeper): Record<string, QueryHandler> {
  return {
    '/cosmos.auth.v1beta1.Query/Account': async (data, ctx) => {
      const req = QueryAccountRequest.decode(data);
      const account = await accounts.get(ctx.store, decodeAddressArg(req.address, ctx));
      if (account === undefined) throw notFound(`account ${req.address} not found`);
      return QueryAccountResponse.encode({ account: encodeAccount(account) }).finish();
    },
    '/cosmos.auth.v1beta1.Query/AccountInfo': async (data, ctx) => {
      const req = QueryAccountInfoRequest.decode(data);
      const account = await accounts.get(ctx.store, decodeAddressArg(req.address, ctx));
      if (account === undefined) throw notFound(`account ${req.address} not found`);
      return QueryAccountInfoResponse.encode({ info: account.base }).finish();
    },
    '/cosmos.auth.v1beta1.Query/ModuleAccountByName': async (data, ctx) => {
      const req = QueryModuleAccountByNameRequest.decode(data);
      const account = await accounts.get(ctx.store, moduleAddress(req.name));
      if (account?.kind !== 'module') throw notFound(`module account ${req.name} not found`);
      return QueryModuleAccountByNameResponse.encode({ account: encodeAccount(account) }).finish();
    },
    '/cosmos.auth.v1beta1.Query/Params': async (_data, ctx) =>
      QueryParamsResponse.encode({ params: await accounts.params(ctx.store) }).finish(),
    '/cosmos.auth.v1beta1.Query/Bech32Prefix': async (_data, ctx) =>
      Bech32PrefixResponse.encode({ bech32Prefix: ctx.addresses.prefix }).finish(),
  };
}
