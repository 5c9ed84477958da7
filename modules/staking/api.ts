// Staking as other modules see it (slashing, distribution, emission): validators and delegations
// read from a store, the last validator set, jailing and slashing a validator. Each module picks
// what it needs in its deps.ts; nothing else of staking's state is reachable from outside. The pure
// helpers on a Validator record and the hooks staking calls are part of the same face.
import type { Context } from '../../core/framework/context.ts';
import type { Dec } from '../../core/framework/dec.ts';
import type { StakingKeeper } from './keeper.ts';
import { type SlashResult, slash } from './slash.ts';

type Reads = 'params' | 'validator' | 'validatorByConsAddr' | 'delegation' | 'delegatorsOf' | 'delegationsOf' | 'allValidators' | 'allDelegations' | 'lastValidatorPower' | 'lastValidatorPowers' | 'totalBondedPower';

export interface StakingApi extends Pick<StakingKeeper, Reads | 'setJailed'> {
  /** Slashes `fraction` of the stake the validator with `consAddr` had at `infractionHeight` (its `power` then). */
  slash(ctx: Context, consAddr: Uint8Array, infractionHeight: bigint, power: bigint, fraction: Dec): Promise<SlashResult>;
}

/** The keeper seen through StakingApi (built once, in the app's module list). */
export function stakingApi(k: StakingKeeper): StakingApi {
  return {
    params: (store) => k.params(store),
    validator: (store, operator) => k.validator(store, operator),
    validatorByConsAddr: (store, consAddr) => k.validatorByConsAddr(store, consAddr),
    delegation: (store, delegator, operator) => k.delegation(store, delegator, operator),
    delegatorsOf: (store, operator) => k.delegatorsOf(store, operator),
    delegationsOf: (store, delegator) => k.delegationsOf(store, delegator),
    allValidators: (store) => k.allValidators(store),
    allDelegations: (store) => k.allDelegations(store),
    lastValidatorPower: (store, operator) => k.lastValidatorPower(store, operator),
    lastValidatorPowers: (store) => k.lastValidatorPowers(store),
    totalBondedPower: (store) => k.totalBondedPower(store),
    setJailed: (ctx, consAddr, jailed) => k.setJailed(ctx, consAddr, jailed),
    slash: (ctx, consAddr, infractionHeight, power, fraction) => slash(k, ctx, consAddr, infractionHeight, power, fraction),
  };
}

export { decodeAccount, decodeValoper, equalBytes, valoperToAccount } from './addresses.ts';
export { consAddressOf, isBonded, operatorBytes, powerOf, tokensFromShares, tokensOf } from './view.ts';
export type { StakingHooks } from './hooks.ts';
export type { SlashResult } from './slash.ts';
