// Distribution's block hook: at the start of each block, the previous block's fees are paid to the
// validators that signed it (as the SDK does).
import { moduleAddress } from '../../core/framework/address.ts';
import type { Context } from '../../core/framework/context.ts';
import { FEE_COLLECTOR } from '../auth/api.ts';
import * as dc from './dec-coins.ts';
import type { DistributionKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';

export async function beginBlock(k: DistributionKeeper, ctx: Context): Promise<void> {
  const fees = await k.bank.balances(ctx.store, moduleAddress(FEE_COLLECTOR));
  if (fees.length === 0) return;
  await k.bank.send(ctx, moduleAddress(FEE_COLLECTOR), moduleAddress(MODULE), fees);
  await k.allocate(ctx, dc.fromCoins(fees), ctx.block.consensus?.lastCommit.votes ?? []);
}
