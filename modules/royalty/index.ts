// The royalty module: splits every settled amount into protocol fee (burned and treasury), model and
// base-model royalties and the operator's share, and keeps the royalty ledger with per-epoch roots.
// It has no block hooks: the receipts module settles batches and closes epochs through RoyaltyApi.
// See README.md.
import type { Module } from '../../core/framework/module.ts';
import type { GenesisState } from '../../proto/gen/cairn/royalty/v1/genesis.ts';
import type { RoyaltyAccounts } from './deps.ts';
import { royaltyGenesis } from './genesis.ts';
import { checkRoyaltyInvariants } from './invariants.ts';
import type { RoyaltyKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { royaltyQueries } from './queries.ts';

export { RoyaltyKeeper, type Settlement } from './keeper.ts';
export type { RoyaltyApi } from './api.ts';
export { checkRoyaltyInvariants } from './invariants.ts';
export { TREASURY_ACCOUNT } from './keys.ts';
export { computeSplit } from './split.ts';

export function royaltyModule(royalty: RoyaltyKeeper, accounts: RoyaltyAccounts): Module<GenesisState> {
  return {
    name: keys.MODULE,
    consensusVersion: 1,
    genesis: royaltyGenesis(accounts),
    msgs: [msgUpdateParams(royalty)],
    queries: royaltyQueries(royalty),
    invariants: checkRoyaltyInvariants,
  };
}
