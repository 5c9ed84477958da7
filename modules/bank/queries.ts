// cosmos.bank.v1beta1.Query: balances, supply, metadata and params, as CosmJS and explorers call them.
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { uintValue } from '../../core/framework/collections.ts';
import { validateDenom } from '../../core/framework/coins.ts';
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { paginate } from '../../core/framework/pagination.ts';
import { decodeAddressArg, invalidArgument, notFound } from '../../core/framework/query-args.ts';
import type { BankKeeper } from './keeper.ts';
import * as keys from './keys.ts';

const utf8 = new TextDecoder();

/** A denom argument, checked as the SDK checks it (sdk.ValidateDenom): InvalidArgument, not an empty answer. */
function denomArg(denom: string): string {
  try {
    validateDenom(denom);
  } catch {
    throw invalidArgument(`invalid denom: ${denom.length > 64 ? `${denom.slice(0, 64)}… (${denom.length} characters)` : JSON.stringify(denom)}`);
  }
  return denom;
}

async function balancesPage(address: string, pagination: QueryAllBalancesRequest['pagination'], ctx: QueryContext) {
  const prefix = keys.balances.storeKey([decodeAddressArg(address, ctx), '']);
  const { items, pagination: page } = await paginate(ctx.store, prefix, pagination, (k, v) => ({
    denom: utf8.decode(k),
    amount: uintValue.decode(v).toString(),
  }));
  return { balances: items, pagination: page };
}

export function bankQueries(bank: BankKeeper): Record<string, QueryHandler> {
  const page = balancesPage;
  return {
    '/cosmos.bank.v1beta1.Query/Balance': async (data, ctx) => {
      const req = QueryBalanceRequest.decode(data);
      const address = decodeAddressArg(req.address, ctx);
      const amount = await bank.balance(ctx.store, address, denomArg(req.denom));
      return QueryBalanceResponse.encode({ balance: { denom: req.denom, amount: amount.toString() } }).finish();
    },
    '/cosmos.bank.v1beta1.Query/AllBalances': async (data, ctx) => {
      const req = QueryAllBalancesRequest.decode(data);
      return QueryAllBalancesResponse.encode(await page(req.address, req.pagination, ctx)).finish();
    },
    '/cosmos.bank.v1beta1.Query/SpendableBalances': async (data, ctx) => {
      // Balances less a vesting account's locked coins at the last block's time (older heights: at the
      // schedule's start, when everything still vests).
      const req = QuerySpendableBalancesRequest.decode(data);
      const { balances, pagination } = await page(req.address, req.pagination, ctx);
      const spendable = await bank.spendableCoins(ctx.store, decodeAddressArg(req.address, ctx), ctx.time?.seconds ?? 0n);
      const amount = (denom: string): string => (spendable.find((s) => s.denom === denom)?.amount ?? 0n).toString();
      return QuerySpendableBalancesResponse.encode({ balances: balances.map((b) => ({ denom: b.denom, amount: amount(b.denom) })), pagination }).finish();
    },
    '/cosmos.bank.v1beta1.Query/TotalSupply': async (data, ctx) => {
      const req = QueryTotalSupplyRequest.decode(data);
      const { items, pagination } = await paginate(ctx.store, keys.supply.prefix, req.pagination, (k, v) => ({
        denom: utf8.decode(k),
        amount: uintValue.decode(v).toString(),
      }));
      return QueryTotalSupplyResponse.encode({ supply: items, pagination }).finish();
    },
    '/cosmos.bank.v1beta1.Query/SupplyOf': async (data, ctx) => {
      const req = QuerySupplyOfRequest.decode(data);
      const amount = await bank.supplyOf(ctx.store, denomArg(req.denom));
      return QuerySupplyOfResponse.encode({ amount: { denom: req.denom, amount: amount.toString() } }).finish();
    },
    '/cosmos.bank.v1beta1.Query/Params': async (_data, ctx) =>
      QueryParamsResponse.encode({ params: await bank.params(ctx.store) }).finish(),
    '/cosmos.bank.v1beta1.Query/DenomMetadata': async (data, ctx) => {
      const req = QueryDenomMetadataRequest.decode(data);
      const metadata = await keys.denomMetadata.get(ctx.store, denomArg(req.denom));
      if (metadata === undefined) throw notFound(`client metadata for denom ${req.denom}`);
      return QueryDenomMetadataResponse.encode({ metadata }).finish();
    },
    '/cosmos.bank.v1beta1.Query/DenomsMetadata': async (data, ctx) => {
      const req = QueryDenomsMetadataRequest.decode(data);
      const { items, pagination } = await paginate(ctx.store, keys.denomMetadata.prefix, req.pagination, (_k, v) => Metadata.decode(v));
      return QueryDenomsMetadataResponse.encode({ metadatas: items, pagination }).finish();
    },
  };
}
