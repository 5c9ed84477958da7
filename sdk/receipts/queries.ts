// The receipts module's query face: its gRPC-style service over ABCI Query, one typed call per
// method. `setupReceiptsExtension` plugs it into a CosmJS QueryClient; `queryReceipts` runs it over any ABCI
// query (the node's own app, for its watcher and availability reporter). The module answers at the
// same paths (modules/receipts/queries.ts).
import type { QueryClient } from '@cosmjs/stargate';
import * as q from '../../proto/gen/cairn/receipts/v1/query.ts';
import { type AbciQuery, type ServiceQueries, queryClientAbci, serviceQueries } from '../queries.ts';

/** ABCI query paths are `${RECEIPTS_QUERY_SERVICE}<Method>`. */
export const RECEIPTS_QUERY_SERVICE = '/cairn.receipts.v1.Query/';
export const RECEIPTS_QUERY_METHODS = [
  'Params',
  'Batch',
  'Batches',
  'Escrow',
  'Reservation',
  'Reservations',
  'Epoch',
  'EpochRoots',
  'EpochUsage',
  'HeightAt',
  'Reveals',
] as const;

export type ReceiptsQueries = ServiceQueries<typeof q, (typeof RECEIPTS_QUERY_METHODS)[number]>;

export function queryReceipts(query: AbciQuery): ReceiptsQueries {
  return serviceQueries(RECEIPTS_QUERY_SERVICE, q, RECEIPTS_QUERY_METHODS, query);
}

export interface ReceiptsExtension {
  readonly receipts: ReceiptsQueries;
}

/** For `QueryClient.withExtensions(cometClient, setupReceiptsExtension, …)`. */
export function setupReceiptsExtension(base: QueryClient): ReceiptsExtension {
  return { receipts: queryReceipts(queryClientAbci(base)) };
}
