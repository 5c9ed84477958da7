// What slashing needs to hear from staking: a validator entering the set gets a signing record
// (a returning one starts a fresh window). Built before the staking keeper, from state alone.
import type { StakingHooks } from '../staking/api.ts';
import * as keys from './keys.ts';
import { consAddressText, newSigningInfo } from './keeper.ts';

export function slashingHooks(): StakingHooks {
  return {
    async afterValidatorBonded(ctx, consAddr) {
      const info = await keys.signingInfos.get(ctx.store, consAddr);
      keys.signingInfos.set(ctx.store, consAddr, info === undefined ? newSigningInfo(consAddressText(ctx, consAddr), ctx.block.height) : { ...info, startHeight: ctx.block.height });
    },
  };
}
