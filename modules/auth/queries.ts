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
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { ErrInvalidRequest, ErrKeyNotFound } from '../../core/framework/sdk-errors.ts';
import { type AccountKeeper, encodeAccount } from './keeper.ts';

export function notFound(what: string): Error {
  return ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = ${what}`);
}

export function invalidArgument(what: string): Error {
  return ErrInvalidRequest.wrap(`rpc error: code = InvalidArgument desc = ${what}`);
}

export function decodeAddressArg(address: string, ctx: QueryContext): Uint8Array {
  if (address === '') throw invalidArgument('empty address string is not allowed');
  try {
    return ctx.addresses.decode(address);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
}

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
