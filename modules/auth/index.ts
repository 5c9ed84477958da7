// The auth module: accounts, account numbers and sequences, and the tx parameters the ante checks use.
import type { Module } from '../../core/framework/module.ts';
import { type AuthGenesis, authGenesis } from './genesis.ts';
import { AccountKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { authQueries } from './queries.ts';

export { AccountKeeper } from './keeper.ts';
export type { Account } from './keeper.ts';

/** `authority` signs MsgUpdateParams (the gov module account). */
export function authModule(accounts: AccountKeeper, authority: Uint8Array): Module<AuthGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: authGenesis(accounts),
    msgs: [msgUpdateParams(authority)],
    queries: authQueries(accounts),
  };
}
