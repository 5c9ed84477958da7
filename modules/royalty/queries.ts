// cairn.royalty.v1.Query: params, the ledger (one recipient with its accruals, or all), epoch roots
// with their leaves, and OFFCHAIN obligations.
import { concat, lengthPrefixedBytes, u64Key } from '../../core/framework/collections.ts';
import { ROYALTY_QUERY_SERVICE } from '../../sdk/royalty/queries.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { paginate } from '../../core/framework/pagination.ts';
import {
  QueryEpochRootRequest,
  QueryEpochRootResponse,
  QueryLedgerRequest,
  QueryLedgerResponse,
  QueryLedgersRequest,
  QueryLedgersResponse,
  QueryOwedRequest,
  QueryOwedResponse,
  QueryParamsResponse,
} from '../../proto/gen/cairn/royalty/v1/query.ts';
import { EpochAccrual, LedgerEntry } from '../../proto/gen/cairn/royalty/v1/types.ts';
import { decodeAddressArg, notFound } from '../../core/framework/query-args.ts';
import type { RoyaltyKeeper } from './keeper.ts';
import * as keys from './keys.ts';

const PATH = ROYALTY_QUERY_SERVICE;

export function royaltyQueries(royalty: RoyaltyKeeper): Record<string, QueryHandler> {
  return {
    [`${PATH}Params`]: async (_data, ctx) => QueryParamsResponse.encode({ params: await royalty.params(ctx.store) }).finish(),

    [`${PATH}Ledger`]: async (data, ctx) => {
      const req = QueryLedgerRequest.decode(data);
      const address = decodeAddressArg(req.recipient, ctx);
      const entry = await royalty.ledgerOf(ctx.store, address);
      if (entry === undefined) throw notFound(`${req.recipient} has no royalty ledger entry`);
      // Newest epoch first unless the page asks otherwise.
      const pageReq = { key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, ...req.pagination, reverse: !(req.pagination?.reverse ?? false) };
      const page = await paginate(ctx.store, concat(keys.recipientEpochs.prefix, lengthPrefixedBytes.encode(address)), pageReq, (k) => u64Key.decode(k));
      const accruals: EpochAccrual[] = [];
      for (const epoch of page.items) {
        const a = await keys.accruals.get(ctx.store, [epoch, address]);
        if (a !== undefined) accruals.push(a);
      }
      return QueryLedgerResponse.encode({ entry, accruals, pagination: page.pagination }).finish();
    },

    [`${PATH}Ledgers`]: async (data, ctx) => {
      const req = QueryLedgersRequest.decode(data);
      const page = await paginate(ctx.store, keys.ledger.prefix, req.pagination, (_k, v) => LedgerEntry.decode(v));
      return QueryLedgersResponse.encode({ entries: page.items, pagination: page.pagination }).finish();
    },

    [`${PATH}EpochRoot`]: async (data, ctx) => {
      const req = QueryEpochRootRequest.decode(data);
      const root = await royalty.epochRoot(ctx.store, req.epoch);
      if (root === undefined) throw notFound(`epoch ${req.epoch} has no royalty root yet`);
      const accruals: EpochAccrual[] = [];
      for await (const [, a] of keys.accruals.entries(ctx.store, { subPrefix: u64Key.encode(req.epoch) })) accruals.push(a);
      return QueryEpochRootResponse.encode({ root, accruals }).finish();
    },

    [`${PATH}Owed`]: async (data, ctx) => {
      const req = QueryOwedRequest.decode(data);
      const record = await keys.owed.get(ctx.store, req.batchId);
      if (record === undefined) throw notFound(`batch ${req.batchId} owes nothing off chain`);
      return QueryOwedResponse.encode({ record }).finish();
    },
  };
}
