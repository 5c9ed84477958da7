// The upgrade module (the SDK's x/upgrade): governance schedules a software upgrade at a height; at that
// height every node stops before executing the block unless its build registers a handler for the
// plan's name, which then migrates the state and the chain continues (block.ts). The handlers are the
// node's (node/upgrades.ts), handed to the app at start.
import type { ModuleVersion } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import type { Module } from '../../core/framework/module.ts';
import { type UpgradeGenesis, upgradeGenesis } from './genesis.ts';
import { MODULE } from './keys.ts';
import { msgCancelUpgrade } from './msgs/cancel-upgrade.ts';
import { msgSoftwareUpgrade } from './msgs/software-upgrade.ts';
import { upgradeQueries } from './queries.ts';

export { type UpgradeHandler, UpgradeHaltError, binaryTooEarlyMessage, preBlock, scheduledPlan, upgradeNeededMessage } from './block.ts';

/** `authority` signs the messages (the gov module account); `versions` are the running modules'. */
export function upgradeModule(authority: Uint8Array, versions: () => ModuleVersion[]): Module<UpgradeGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: upgradeGenesis(),
    msgs: [msgSoftwareUpgrade(authority), msgCancelUpgrade(authority)],
    queries: upgradeQueries(authority, versions),
  };
}
