// The royalty module's query face: its gRPC-style service over ABCI Query, one typed call per
// method. `setupRoyaltyExtension` plugs it into a CosmJS QueryClient; `queryRoyalty` runs it over any ABCI
// query (the node's own app, for its watcher and availability reporter). The module answers at the
// same paths (modules/royalty/queries.ts).
import type { QueryClient } from '@cosmjs/stargate';
import * as q from '../../proto/gen/cairn/royalty/v1/query.ts';
import { type AbciQuery, type ServiceQueries, queryClientAbci, serviceQueries } from '../queries.ts';

/** ABCI query paths are `${ROYALTY_QUERY_SERVICE}<Method>`. */
export const ROYALTY_QUERY_SERVICE = '/cairn.royalty.v1.Query/';
export const ROYALTY_QUERY_METHODS = [
  'Params',
  'Ledger',
  'Ledgers',
  'EpochRoot',
  'Owed',
] as const;

export type RoyaltyQueries = ServiceQueries<typeof q, (typeof ROYALTY_QUERY_METHODS)[number]>;

export function queryRoyalty(query: AbciQuery): RoyaltyQueries {
  return serviceQueries(ROYALTY_QUERY_SERVICE, q, ROYALTY_QUERY_METHODS, query);
}

export interface RoyaltyExtension {
  readonly royalty: RoyaltyQueries;
}

/** For `QueryClient.withExtensions(cometClient, setupRoyaltyExtension, …)`. */
export function setupRoyaltyExtension(base: QueryClient): RoyaltyExtension {
  return { royalty: queryRoyalty(queryClientAbci(base)) };
}
