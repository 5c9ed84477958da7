// The slashing module: downtime (from the last commit's votes) and double-sign evidence (from
// FinalizeBlock.misbehavior) punished by slashing, jailing and tombstoning; MsgUnjail.
import type { Module } from '../../core/framework/module.ts';
import { type SlashingGenesis, slashingGenesis } from './genesis.ts';
import type { SlashingKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgUnjail } from './msgs/unjail.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { slashingQueries } from './queries.ts';
import { beginBlock } from './block.ts';

export { SlashingKeeper } from './keeper.ts';
export { slashingHooks } from './hooks.ts';

/** `authority` signs MsgUpdateParams (the gov module account). */
export function slashingModule(k: SlashingKeeper, authority: Uint8Array): Module<SlashingGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: slashingGenesis(k),
    msgs: [msgUnjail(k), msgUpdateParams(k, authority)],
    queries: slashingQueries(k),
    beginBlock: (ctx) => beginBlock(k, ctx),
  };
}
