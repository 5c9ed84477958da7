// The slashing module: downtime (from the last commit's votes) and double-sign evidence (from
// FinalizeBlock.misbehavior) punished by slashing, jailing and tombstoning; MsgUnjail.
import type { Module } from '../../core/framework/module.ts';
import { type SlashingGenesis, slashingGenesis } from './genesis.ts';
import type { SlashingKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgUnjail } from './msgs/unjail.ts';
import { slashingQueries } from './queries.ts';
import { beginBlock } from './block.ts';

export { SlashingKeeper } from './keeper.ts';
export { slashingHooks } from './hooks.ts';

export function slashingModule(k: SlashingKeeper): Module<SlashingGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: slashingGenesis(k),
    msgs: [msgUnjail(k)],
    queries: slashingQueries(k),
    beginBlock: (ctx) => beginBlock(k, ctx),
  };
}
