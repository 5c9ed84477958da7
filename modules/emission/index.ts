// The emission module: capped, halving, usage-backed rewards minted at each epoch end, the
// operators' points ledger and reputation. See README.md.
import type { Module } from '../../core/framework/module.ts';
import type { GenesisState } from '../../proto/gen/cairn/emission/v1/genesis.ts';
import type { EmissionAccounts } from './deps.ts';
import { emissionGenesis } from './genesis.ts';
import { checkEmissionInvariants } from './invariants.ts';
import type { EmissionKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { msgReportAvailability, msgSetAvailabilityReporter } from './msgs/report-availability.ts';
import { msgProveCapacity } from './msgs/prove-capacity.ts';
import { msgChallengeCapacity } from './msgs/challenge-capacity.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { endBlock } from './block.ts';
import { emissionQueries } from './queries.ts';

export { EmissionKeeper } from './keeper.ts';
export { checkEmissionInvariants } from './invariants.ts';
export { CHALLENGE_ACCOUNT, EMISSION_ACCOUNT } from './keys.ts';

export function emissionModule(keeper: EmissionKeeper, accounts: EmissionAccounts): Module<GenesisState> {
  return {
    name: keys.MODULE,
    consensusVersion: 1,
    genesis: emissionGenesis(keeper, accounts),
    msgs: [msgReportAvailability(keeper), msgSetAvailabilityReporter(keeper), msgProveCapacity(keeper), msgChallengeCapacity(keeper), msgUpdateParams(keeper)],
    queries: emissionQueries(keeper),
    invariants: checkEmissionInvariants,
    endBlock: (ctx) => endBlock(keeper, ctx),
  };
}
