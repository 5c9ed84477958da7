// cairn.receipts.v1.Query: params, a batch with its sample, challenges and open requests, batches
// by operator / payer / epoch / status, escrows with pending withdrawals, reservations, the current
// epoch, epoch roots (with the store key to prove them through /store/key) and epoch usage; for
// watchers, the height at a time (receipts are judged there) and the leaves of a batch revealed on chain.
import { concat, lengthPrefixedBytes, u64Key } from '../../core/framework/collections.ts';
import { RECEIPTS_QUERY_SERVICE } from '../../sdk/receipts/queries.ts';
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { paginate } from '../../core/framework/pagination.ts';
import {
  QueryBatchRequest,
  QueryBatchResponse,
  QueryBatchesRequest,
  QueryBatchesResponse,
  QueryEpochResponse,
  QueryEpochRootsRequest,
  QueryEpochRootsResponse,
  QueryEpochUsageRequest,
  QueryEpochUsageResponse,
  QueryEscrowRequest,
  QueryEscrowResponse,
  QueryHeightAtRequest,
  QueryHeightAtResponse,
  QueryParamsResponse,
  QueryReservationRequest,
  QueryReservationResponse,
  QueryReservationsRequest,
  QueryReservationsResponse,
  QueryRevealsRequest,
  QueryRevealsResponse,
} from '../../proto/gen/cairn/receipts/v1/query.ts';
import { Batch, BatchStatus, type ChallengeRecord, type DataRequest, EpochUsage, type Reservation, type Withdrawal } from '../../proto/gen/cairn/receipts/v1/types.ts';
import type { PageRequest } from '../../proto/gen/cairn/registry/v1/types.ts';
import { decodeAddressArg, invalidArgument, notFound } from '../../core/framework/query-args.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';

const PATH = RECEIPTS_QUERY_SERVICE;

/** Pages over an index whose keys end with a u64 id, then loads each record. */
async function pageIds<T>(ctx: QueryContext, prefix: Uint8Array, page: PageRequest | undefined, load: (id: bigint) => Promise<T | undefined>) {
  const ids = await paginate(ctx.store, prefix, page, (k) => u64Key.decode(k.subarray(k.length - 8)));
  const items: T[] = [];
  for (const id of ids.items) {
    const item = await load(id);
    if (item !== undefined) items.push(item);
  }
  return { items, pagination: ids.pagination };
}

export function receiptsQueries(k: ReceiptsKeeper): Record<string, QueryHandler> {
  return {
    [`${PATH}Params`]: async (_data, ctx) => QueryParamsResponse.encode({ params: await k.params(ctx.store) }).finish(),

    [`${PATH}Batch`]: async (data, ctx) => {
      const req = QueryBatchRequest.decode(data);
      const batch = await k.getBatch(ctx.store, req.id);
      if (batch === undefined) throw notFound(`batch ${req.id} not found`);
      const challenges: ChallengeRecord[] = [];
      for await (const [, c] of keys.challenges.entries(ctx.store, { subPrefix: u64Key.encode(req.id) })) challenges.push(c);
      const requests: DataRequest[] = [];
      for await (const [, r] of keys.requests.entries(ctx.store, { subPrefix: u64Key.encode(req.id) })) requests.push(r);
      return QueryBatchResponse.encode({ batch, challenges, requests }).finish();
    },

    [`${PATH}Batches`]: async (data, ctx) => {
      const req = QueryBatchesRequest.decode(data);
      const filters = [req.operator !== '', req.payer !== '', req.hasEpoch, req.status !== BatchStatus.BATCH_STATUS_UNSPECIFIED].filter(Boolean).length;
      if (filters > 1) throw invalidArgument('give at most one of operator, payer, epoch and status');
      let prefix = keys.batches.prefix;
      if (req.operator !== '') prefix = concat(keys.batchesByOperator.prefix, lengthPrefixedBytes.encode(decodeAddressArg(req.operator, ctx)));
      else if (req.payer !== '') prefix = concat(keys.batchesByPayer.prefix, lengthPrefixedBytes.encode(decodeAddressArg(req.payer, ctx)));
      else if (req.hasEpoch) prefix = concat(keys.batchesByEpoch.prefix, u64Key.encode(req.epoch));
      else if (req.status !== BatchStatus.BATCH_STATUS_UNSPECIFIED) prefix = keys.batchesByStatus.storeKey([req.status, 0n]).subarray(0, keys.batchesByStatus.prefix.length + 4);
      const page =
        prefix === keys.batches.prefix
          ? await paginate(ctx.store, prefix, req.pagination, (_k, v) => Batch.decode(v))
          : await pageIds<Batch>(ctx, prefix, req.pagination, (id) => k.getBatch(ctx.store, id));
      return QueryBatchesResponse.encode({ batches: page.items, pagination: page.pagination }).finish();
    },

    [`${PATH}Escrow`]: async (data, ctx) => {
      const req = QueryEscrowRequest.decode(data);
      const payer = decodeAddressArg(req.payer, ctx);
      const escrow = await k.escrowOf(ctx.store, payer, req.payer);
      const withdrawals: Withdrawal[] = [];
      for await (const [, w] of keys.withdrawals.entries(ctx.store, { subPrefix: keys.addressPrefix(payer) })) withdrawals.push(w);
      return QueryEscrowResponse.encode({ escrow, withdrawals }).finish();
    },

    [`${PATH}Reservation`]: async (data, ctx) => {
      const req = QueryReservationRequest.decode(data);
      const reservation = await keys.reservations.get(ctx.store, req.id);
      if (reservation === undefined) throw notFound(`reservation ${req.id} not found`);
      return QueryReservationResponse.encode({ reservation }).finish();
    },

    [`${PATH}Reservations`]: async (data, ctx) => {
      const req = QueryReservationsRequest.decode(data);
      if ((req.payer === '') === (req.operator === '')) throw invalidArgument('give exactly one of payer and operator');
      const prefix =
        req.payer !== ''
          ? concat(keys.reservationsByPayer.prefix, lengthPrefixedBytes.encode(decodeAddressArg(req.payer, ctx)))
          : concat(keys.reservationsByOperator.prefix, lengthPrefixedBytes.encode(decodeAddressArg(req.operator, ctx)));
      const page = await pageIds<Reservation>(ctx, prefix, req.pagination, (id) => keys.reservations.get(ctx.store, id));
      return QueryReservationsResponse.encode({ reservations: page.items, pagination: page.pagination }).finish();
    },

    [`${PATH}Epoch`]: async (_data, ctx) => {
      const p = await k.params(ctx.store);
      const current = await k.epochInfo(ctx.store, k.epochOf(ctx.height, p));
      return QueryEpochResponse.encode({ current, epochBlocks: p.epochBlocks }).finish();
    },

    [`${PATH}EpochRoots`]: async (data, ctx) => {
      const req = QueryEpochRootsRequest.decode(data);
      const roots = await keys.epochRoots.get(ctx.store, req.epoch);
      if (roots === undefined) throw notFound(`epoch ${req.epoch} has not ended`);
      return QueryEpochRootsResponse.encode({ roots, storeKey: keys.epochRoots.storeKey(req.epoch) }).finish();
    },

    [`${PATH}EpochUsage`]: async (data, ctx) => {
      const req = QueryEpochUsageRequest.decode(data);
      const page = await paginate(ctx.store, concat(keys.usage.prefix, u64Key.encode(req.epoch)), req.pagination, (_k, v) => EpochUsage.decode(v));
      return QueryEpochUsageResponse.encode({ usage: page.items, pagination: page.pagination }).finish();
    },

    [`${PATH}HeightAt`]: async (data, ctx) => {
      const req = QueryHeightAtRequest.decode(data);
      const height = await k.heightAt(ctx.store, req.time);
      if (height === undefined) throw notFound(`no recorded block at or before time ${req.time}`);
      return QueryHeightAtResponse.encode({ height }).finish();
    },

    [`${PATH}Reveals`]: async (data, ctx) => {
      const req = QueryRevealsRequest.decode(data);
      const page = await paginate(ctx.store, concat(keys.revealedLeaves.prefix, u64Key.encode(req.batchId)), req.pagination, (key, v) => ({
        index: u64Key.decode(key.subarray(key.length - 8)),
        receiptId: v.slice(),
      }));
      return QueryRevealsResponse.encode({ reveals: page.items, pagination: page.pagination }).finish();
    },
  };
}
