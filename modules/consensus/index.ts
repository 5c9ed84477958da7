// The consensus module (the SDK's x/consensus): CometBFT's consensus params kept in app state, seeded
// at InitChain, changed by the authority's MsgUpdateParams and handed back to CometBFT in
// FinalizeBlock (node/app.ts compares them before and after each block). It has no app_state
// section: a chain's consensus params are genesis.json's consensus_params.
import type { GenesisHandlers, Module } from '../../core/framework/module.ts';
import { MODULE } from './keys.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { consensusQueries } from './queries.ts';

export { blockMaxGas, defaultConsensusParams, DEFAULT_BLOCK_MAX_GAS, validateConsensusParams } from './params.ts';
export { seedParams, storedParams } from './state.ts';

const genesis: GenesisHandlers<undefined> = {
  defaultGenesis: () => undefined,
  validate(json) {
    if (json !== undefined) throw new Error(`app_state has a "${MODULE}" section, but the consensus params are genesis.json's consensus_params: move them there`);
    return undefined;
  },
  init: async () => {},
  export: async () => undefined,
};

/** `authority` signs MsgUpdateParams (the gov module account). */
export function consensusModule(authority: Uint8Array): Module<undefined> {
  return { name: MODULE, consensusVersion: 1, genesis, msgs: [msgUpdateParams(authority)], queries: consensusQueries() };
}
