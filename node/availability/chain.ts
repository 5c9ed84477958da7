// The reporter's view of the chain, read through the app's query router from committed state: the
// emission status (current epoch and its last height) and the registry's active operators.
import { queryEmission } from '../../sdk/emission/queries.ts';
import { queryRegistry } from '../../sdk/registry/queries.ts';
import { type QueryFn, mustQuery } from '../app-query.ts';
import type { ProbedOperator, ReporterChain } from './reporter.ts';

export function queryReporterChain(query: QueryFn, height: () => bigint): ReporterChain {
  const emission = queryEmission(mustQuery(query));
  const registry = queryRegistry(mustQuery(query));
  return {
    height,
    epoch: async () => {
      const s = await emission.status();
      return { epoch: s.currentEpoch, endHeight: s.epochEndHeight };
    },
    activeOperators: async () => {
      const out: ProbedOperator[] = [];
      let key: Uint8Array = new Uint8Array();
      for (;;) {
        const page = await registry.operators({ pagination: { key, limit: 1000n } });
        for (const e of page.operators) if (e.operator !== undefined) out.push({ address: e.operator.address, endpoints: e.operator.endpoints });
        const next = page.pagination?.nextKey;
        if (next === undefined || next.length === 0) return out;
        key = next;
      }
    },
  };
}
