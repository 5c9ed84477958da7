// What every Cairn module's query face (sdk/<module>/queries.ts) is made of. A module's queries are
// a gRPC-style service answered over ABCI Query at "/cairn.<module>.v1.Query/<Method>", with the
// generated Query<Method>Request and Query<Method>Response as protobuf bodies. A face lists its
// methods once; from that list it gets one typed call per method (`registry.operator({ address })`)
// over any transport: a CosmJS QueryClient (setup<Module>Extension) or the node's own app.
import type { QueryClient } from '@cosmjs/stargate';
import type { MessageType } from './messages.ts';

/** One ABCI query: path and request bytes in, the response bytes out; a refused query throws. */
export type AbciQuery = (path: string, request: Uint8Array) => Promise<Uint8Array>;

/** The ABCI queries of a CosmJS QueryClient (its errors keep the chain's code and log). */
export function queryClientAbci(base: QueryClient): AbciQuery {
  return async (path, request) => (await base.queryAbci(path, request)).value;
}

/**
 * A CosmJS-style protobuf RPC over ABCI queries, for cosmjs-types' generated `QueryClientImpl`s
 * (the Cosmos modules' queries): "/<service>/<method>".
 */
export function protobufRpc(query: AbciQuery): { request(service: string, method: string, data: Uint8Array): Promise<Uint8Array> } {
  return { request: (service, method, data) => query(`/${service}/${method}`, data) };
}

type MessageOf<F> = F extends MessageType<infer T> ? T : never;
/** What the generated fromPartial takes: the message with every field, nested ones too, optional. */
type PartialOf<F> = F extends { fromPartial(object: infer P): unknown } ? P : never;

/** One call per method: `Params` becomes `params(request?)`; fields left out get their defaults. */
export type ServiceQueries<G, M extends string> = {
  readonly [K in M as Uncapitalize<K>]: (request?: PartialOf<G[`Query${K}Request` & keyof G]>) => Promise<MessageOf<G[`Query${K}Response` & keyof G]>>;
};

/** The typed calls of a service whose generated module is `generated` (the namespace import of its query.ts). */
export function serviceQueries<G, M extends string>(service: string, generated: G, methods: readonly M[], query: AbciQuery): ServiceQueries<G, M> {
  const types = generated as Record<string, MessageType<unknown>>;
  return Object.fromEntries(
    methods.map((method) => {
      const req = types[`Query${method}Request`]!;
      const res = types[`Query${method}Response`]!;
      const call = async (request: object = {}): Promise<unknown> => res.decode(await query(`${service}${method}`, req.encode(req.fromPartial(request as never)).finish()));
      return [method.charAt(0).toLowerCase() + method.slice(1), call];
    }),
  ) as ServiceQueries<G, M>;
}
