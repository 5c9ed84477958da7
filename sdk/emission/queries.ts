// The emission module's query face: its gRPC-style service over ABCI Query, one typed call per
// method. `setupEmissionExtension` plugs it into a CosmJS QueryClient; `queryEmission` runs it over any ABCI
// query (the node's own app, for its watcher and availability reporter). The module answers at the
// same paths (modules/emission/queries.ts).
import type { QueryClient } from '@cosmjs/stargate';
import * as q from '../../proto/gen/cairn/emission/v1/query.ts';
import { type AbciQuery, type ServiceQueries, queryClientAbci, serviceQueries } from '../queries.ts';

/** ABCI query paths are `${EMISSION_QUERY_SERVICE}<Method>`. */
export const EMISSION_QUERY_SERVICE = '/cairn.emission.v1.Query/';
export const EMISSION_QUERY_METHODS = [
  'Params',
  'Status',
  'EpochBudget',
  'Epoch',
  'OperatorRewards',
  'Points',
  'Reputation',
  'Roots',
  'Challenge',
  'OpenChallenges',
] as const;

export type EmissionQueries = ServiceQueries<typeof q, (typeof EMISSION_QUERY_METHODS)[number]>;

export function queryEmission(query: AbciQuery): EmissionQueries {
  return serviceQueries(EMISSION_QUERY_SERVICE, q, EMISSION_QUERY_METHODS, query);
}

export interface EmissionExtension {
  readonly emission: EmissionQueries;
}

/** For `QueryClient.withExtensions(cometClient, setupEmissionExtension, …)`. */
export function setupEmissionExtension(base: QueryClient): EmissionExtension {
  return { emission: queryEmission(queryClientAbci(base)) };
}
