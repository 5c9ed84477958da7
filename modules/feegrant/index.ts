// The feegrant module: one account pays another's tx fees, up to an allowance (basic, periodic, or
// limited to some messages), as the SDK's x/feegrant. The ante spends the allowance when a tx names
// a fee granter. See README.md.
import type { Module } from '../../core/framework/module.ts';
import type { FeegrantAccounts } from './deps.ts';
import { type FeegrantGenesis, feegrantGenesis } from './genesis.ts';
import type { FeegrantKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgGrantAllowance } from './msgs/grant-allowance.ts';
import { msgRevokeAllowance } from './msgs/revoke-allowance.ts';
import { msgPruneAllowances } from './msgs/prune-allowances.ts';
import { feegrantQueries } from './queries.ts';

export { FeegrantKeeper } from './keeper.ts';

export function feegrantModule(k: FeegrantKeeper, accounts: FeegrantAccounts): Module<FeegrantGenesis> {
  return {
    name: MODULE,
    consensusVersion: 2,
    genesis: feegrantGenesis(k),
    msgs: [msgGrantAllowance(k, accounts), msgRevokeAllowance(k), msgPruneAllowances(k)],
    queries: feegrantQueries(k),
  };
}
