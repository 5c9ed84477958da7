// The staking module: validators, delegations, unbonding and redelegation, the bond pools, and the
// validator set CometBFT runs with. See README.md for the state layout and rules.
import { checkStakingInvariants } from './invariants.ts';
import type { Module } from '../../core/framework/module.ts';
import { type StakingGenesis, stakingGenesis } from './genesis.ts';
import { StakingKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgCreateValidator } from './msgs/create-validator.ts';
import { msgDelegate } from './msgs/delegate.ts';
import { msgEditValidator } from './msgs/edit-validator.ts';
import { msgBeginRedelegate } from './msgs/redelegate.ts';
import { msgUndelegate } from './msgs/undelegate.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { stakingQueries } from './queries.ts';
import { beginBlock, endBlock } from './block.ts';

export { StakingKeeper } from './keeper.ts';
export { StakingView } from './view.ts';
export type { StakingHooks } from './hooks.ts';
export { BONDED_POOL, NOT_BONDED_POOL } from './keys.ts';
export { POWER_REDUCTION } from './params.ts';

/** `authority` signs MsgUpdateParams (the gov module account). */
export function stakingModule(k: StakingKeeper, authority: Uint8Array): Module<StakingGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: stakingGenesis(k),
    msgs: [msgCreateValidator(k), msgEditValidator(k), msgDelegate(k), msgUndelegate(k), msgBeginRedelegate(k), msgUpdateParams(k, authority)],
    queries: stakingQueries(k),
    invariants: checkStakingInvariants,
    beginBlock: (ctx) => beginBlock(k, ctx),
    endBlock: (ctx) => endBlock(k, ctx),
  };
}
