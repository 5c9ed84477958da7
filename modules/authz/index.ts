// The authz module: one account lets another run messages for it (MsgGrant, MsgExec, MsgRevoke),
// with generic and send authorizations and expirations, as the SDK's x/authz. See README.md.
import type { Module } from '../../core/framework/module.ts';
import type { AuthzAccounts, AuthzRouter } from './deps.ts';
import { type AuthzGenesis, authzGenesis } from './genesis.ts';
import type { AuthzKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgExec } from './msgs/exec.ts';
import { msgGrant } from './msgs/grant.ts';
import { msgRevoke } from './msgs/revoke.ts';
import { authzQueries } from './queries.ts';

export { AuthzKeeper } from './keeper.ts';

/** `router` holds every module's handlers once the app has built them all (MsgExec and MsgGrant look types up in it). */
export function authzModule(k: AuthzKeeper, accounts: AuthzAccounts, router: AuthzRouter): Module<AuthzGenesis> {
  return {
    name: MODULE,
    consensusVersion: 2,
    genesis: authzGenesis(k),
    msgs: [msgGrant(k, accounts, router), msgExec(k, router), msgRevoke(k)],
    queries: authzQueries(k),
    // Expired grants are deleted before the block's txs run, as the SDK's begin blocker does.
    beginBlock: (ctx) => k.pruneExpired(ctx),
  };
}
