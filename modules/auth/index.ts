// The auth module: accounts, account numbers and sequences, and the tx parameters the ante checks use.
import type { Module } from '../../core/framework/module.ts';
import { type AuthGenesis, authGenesis } from './genesis.ts';
import { AccountKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { authQueries } from './queries.ts';

export { AccountKeeper } from './keeper.ts';
export type { Account } from './keeper.ts';

export function authModule(accounts: AccountKeeper): Module<AuthGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: authGenesis(accounts),
    msgs: [],
    queries: authQueries(accounts),
  };
}
