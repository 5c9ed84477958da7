// The registry module's query face: its gRPC-style service over ABCI Query, one typed call per
// method. `setupRegistryExtension` plugs it into a CosmJS QueryClient; `queryRegistry` runs it over any ABCI
// query (the node's own app, for its watcher and availability reporter). The module answers at the
// same paths (modules/registry/queries.ts).
import type { QueryClient } from '@cosmjs/stargate';
import * as q from '../../proto/gen/cairn/registry/v1/query.ts';
import { type AbciQuery, type ServiceQueries, queryClientAbci, serviceQueries } from '../queries.ts';

/** ABCI query paths are `${REGISTRY_QUERY_SERVICE}<Method>`. */
export const REGISTRY_QUERY_SERVICE = '/cairn.registry.v1.Query/';
export const REGISTRY_QUERY_METHODS = [
  'Params',
  'Operator',
  'Operators',
  'Model',
  'Models',
  'ModelVersions',
  'Adapters',
  'ModelServers',
  'OperatorServes',
  'Attestations',
  'PayerKeys',
  'PayerKey',
  'Attestation',
] as const;

export type RegistryQueries = ServiceQueries<typeof q, (typeof REGISTRY_QUERY_METHODS)[number]>;

export function queryRegistry(query: AbciQuery): RegistryQueries {
  return serviceQueries(REGISTRY_QUERY_SERVICE, q, REGISTRY_QUERY_METHODS, query);
}

export interface RegistryExtension {
  readonly registry: RegistryQueries;
}

/** For `QueryClient.withExtensions(cometClient, setupRegistryExtension, …)`. */
export function setupRegistryExtension(base: QueryClient): RegistryExtension {
  return { registry: queryRegistry(queryClientAbci(base)) };
}
