// The registry's block hooks: the block time at the start of each block (queries judge attestation
// expiry at the block time of the height they read); at the end, unbonding entries that matured are
// paid out.
import type { Context } from '../../core/framework/context.ts';
import type { RegistryKeeper } from './keeper.ts';
import * as keys from './keys.ts';

export async function beginBlock(_registry: RegistryKeeper, ctx: Context): Promise<void> {
  keys.blockTime.set(ctx.store, ctx.block.time);
}

export async function endBlock(registry: RegistryKeeper, ctx: Context): Promise<void> {
  await registry.releaseMatured(ctx);
}
