// cosmos.consensus.v1.Query/Params: the consensus params the chain runs with.
import { QueryParamsResponse } from 'cosmjs-types/cosmos/consensus/v1/query';
import type { QueryHandler } from '../../core/framework/module.ts';
import { storedParams } from './state.ts';

export function consensusQueries(): Record<string, QueryHandler> {
  return {
    '/cosmos.consensus.v1.Query/Params': async (_data, ctx) => QueryParamsResponse.encode({ params: await storedParams(ctx.store) }).finish(),
  };
}
