// The reporter's view of the chain, read through the app's query router from committed state: the
// emission status (current epoch and its last height) and the registry's active operators.
import { QueryStatusRequest, QueryStatusResponse } from '../../proto/gen/cairn/emission/v1/query.ts';
import { QueryOperatorsRequest, QueryOperatorsResponse } from '../../proto/gen/cairn/registry/v1/query.ts';
import { type QueryFn, queryValue } from '../watcher/sources.ts';
import type { ProbedOperator, ReporterChain } from './reporter.ts';

export function queryReporterChain(query: QueryFn, height: () => bigint): ReporterChain {
  return {
    height,
    epoch: async () => {
      const s = QueryStatusResponse.decode(await queryValue(query, '/cairn.emission.v1.Query/Status', QueryStatusRequest.encode({}).finish()));
      return { epoch: s.currentEpoch, endHeight: s.epochEndHeight };
    },
    activeOperators: async () => {
      const out: ProbedOperator[] = [];
      let key: Uint8Array = new Uint8Array();
      for (;;) {
        const req = QueryOperatorsRequest.fromPartial({ pagination: { key, limit: 1000n } });
        const page = QueryOperatorsResponse.decode(await queryValue(query, '/cairn.registry.v1.Query/Operators', QueryOperatorsRequest.encode(req).finish()));
        for (const e of page.operators) if (e.operator !== undefined) out.push({ address: e.operator.address, endpoints: e.operator.endpoints });
        const next = page.pagination?.nextKey;
        if (next === undefined || next.length === 0) return out;
        key = next;
      }
    },
  };
}
