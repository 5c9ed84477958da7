import { describe, expect, it } from 'vitest';
import { CommitStore } from '../core/store/commit-store.ts';
import { CairnApp } from '../node/app.ts';
import { silentLogger } from '../node/log.ts';
import { EMISSION_QUERY_METHODS, EMISSION_QUERY_SERVICE, queryEmission } from './emission/queries.ts';
import { RECEIPTS_QUERY_METHODS, RECEIPTS_QUERY_SERVICE } from './receipts/queries.ts';
import { REGISTRY_QUERY_METHODS, REGISTRY_QUERY_SERVICE } from './registry/queries.ts';
import { ROYALTY_QUERY_METHODS, ROYALTY_QUERY_SERVICE } from './royalty/queries.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';

const FACES: [string, readonly string[]][] = [
  [REGISTRY_QUERY_SERVICE, REGISTRY_QUERY_METHODS],
  [RECEIPTS_QUERY_SERVICE, RECEIPTS_QUERY_METHODS],
  [ROYALTY_QUERY_SERVICE, ROYALTY_QUERY_METHODS],
  [EMISSION_QUERY_SERVICE, EMISSION_QUERY_METHODS],
];

describe('the Cairn modules’ query faces', () => {
  it('call exactly the query paths the app’s Cairn modules answer', async () => {
    const app = new CairnApp({ store: await CommitStore.memory(), logger: silentLogger });
    const answered = app.modules.flatMap((m) => Object.keys(m.queries)).filter((path) => path.startsWith('/cairn.'));
    const called = FACES.flatMap(([service, methods]) => methods.map((m) => `${service}${m}`));
    expect([...called].sort()).toEqual([...answered].sort());
  });

  it('encode the request, call its path and decode the response', async () => {
    const seen: [string, Uint8Array][] = [];
    const emission = queryEmission(async (path, request) => {
      seen.push([path, request]);
      return q.QueryEpochBudgetResponse.encode({ budget: '42', year: 1n, era: 0n }).finish();
    });
    expect(await emission.epochBudget({ epoch: 7n })).toEqual({ budget: '42', year: 1n, era: 0n });
    expect(seen).toEqual([['/cairn.emission.v1.Query/EpochBudget', q.QueryEpochBudgetRequest.encode({ epoch: 7n }).finish()]]);
  });
});
