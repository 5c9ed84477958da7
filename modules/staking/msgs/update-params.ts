// MsgUpdateParams: replaces the staking params. Only the app's params authority (the gov module
// account) may sign it; the new set passes the same check as genesis. Cairn counts the unbonding
// period in blocks (SPEC §2): unbonding_time becomes the number of blocks it spans at the chain's
// average block interval so far, the same interval the Params query multiplies back with.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import type { Params } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { checkNewParams, requireAuthority } from '../../../core/framework/authority.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidRequest } from '../../../core/framework/sdk-errors.ts';
import { STAKING_TYPE_URLS } from '../../../sdk/staking/messages.ts';
import { parseDec } from '../../../core/framework/dec.ts';
import type { StakingKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { type StakingParams, toProtoParams, validateParams } from '../params.ts';

export function msgUpdateParams(k: StakingKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: STAKING_TYPE_URLS.MsgUpdateParams,
    decode: (bytes) => MsgUpdateParams.decode(bytes),
    signers: (msg) => [msg.authority],

    validate(msg, ctx) {
      requireAuthority(ctx.addresses, authority, msg.authority);
      checkNewParams(() => validateParams(fromMsg(msg.params, 1n)));
    },

    async execute(msg, ctx) {
      const current = await k.params(ctx.store);
      if (msg.params.bondDenom !== current.bondDenom) {
        // Every bond, pool and pending unbonding is in the current denom.
        throw ErrInvalidRequest.wrap(`invalid params: bond_denom is ${current.bondDenom} and cannot change`);
      }
      const next = fromMsg(msg.params, await k.averageBlockMs(ctx.store));
      keys.params.set(ctx.store, toProtoParams(next, 0n));
      keys.unbondingBlocks.set(ctx.store, next.unbondingBlocks);
      return msgResponse(STAKING_TYPE_URLS.MsgUpdateParams, MsgUpdateParamsResponse, {});
    },
  };
}

function fromMsg(p: Params, blockMs: bigint): StakingParams {
  const t = p.unbondingTime;
  if (t.seconds < 0n || t.nanos < 0) throw new Error('unbonding_time (unbonding_blocks) must be positive');
  const ms = t.seconds * 1000n + BigInt(Math.ceil(t.nanos / 1_000_000));
  if (p.minCommissionRate === '') throw new Error('min_commission_rate must not be empty');
  return {
    unbondingBlocks: (ms + blockMs - 1n) / blockMs, // rounded up: never shorter than asked
    maxValidators: p.maxValidators,
    maxEntries: p.maxEntries,
    historicalEntries: p.historicalEntries,
    bondDenom: p.bondDenom,
    minCommissionRate: parseDec(p.minCommissionRate, 'min_commission_rate'),
  };
}
