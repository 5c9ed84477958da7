// Before anything else in a block (the SDK's PreBlocker): a plan due at this height either runs its
// handler (a state migration, in this build's registry) and is recorded as applied, or stops the node
// before the block executes, with the log line operators and cosmovisor look for. CometBFT keeps the
// block it could not apply and re-delivers it on restart, so a build with the handler applies it then.
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead } from '../../core/store/types.ts';
import * as keys from './keys.ts';

/** A state migration registered for a plan name; it runs on the block's state before the block's txs. */
export type UpgradeHandler = (ctx: Context, plan: Plan) => Promise<void>;

/** The node must stop: nothing of the block was applied. `message` says what to do. */
export class UpgradeHaltError extends Error {
  override readonly name = 'UpgradeHaltError';
  readonly plan: Plan;

  constructor(plan: Plan, message: string) {
    super(message);
    this.plan = plan;
  }
}

/** The SDK's log line: `UPGRADE "<name>" NEEDED at height: <h>: <info>`. */
export function upgradeNeededMessage(plan: Plan): string {
  return `UPGRADE "${plan.name}" NEEDED at height: ${plan.height}: ${plan.info}`;
}

/** The scheduled plan, if any. */
export function scheduledPlan(store: KVRead): Promise<Plan | undefined> {
  return keys.plan.get(store);
}

/** Runs at the start of every block; throws an UpgradeHaltError when the node must stop. */
export async function preBlock(ctx: Context, handlers: ReadonlyMap<string, UpgradeHandler>): Promise<void> {
  const plan = await keys.plan.get(ctx.store);
  if (plan === undefined) return;
  const handler = handlers.get(plan.name);
  if (plan.height > ctx.block.height) {
    // A build that already has the handler would skip the old code the chain still runs until then.
    if (handler !== undefined) throw new UpgradeHaltError(plan, binaryTooEarlyMessage(plan, ctx.block.height));
    return;
  }
  if (handler === undefined) throw new UpgradeHaltError(plan, upgradeNeededMessage(plan));
  await handler(ctx, plan);
  keys.done.set(ctx.store, plan.name, ctx.block.height);
  ctx.store.delete(keys.plan.key);
  ctx.events.emit('upgrade', { name: plan.name, height: String(ctx.block.height) });
}

export function binaryTooEarlyMessage(plan: Plan, height: bigint): string {
  return `BINARY UPDATED BEFORE TRIGGER! UPGRADE "${plan.name}" - in binary but not executed on chain (planned for height ${plan.height}, the chain is at ${height}). Downgrade your binary: run the previous build until the chain stops at height ${plan.height}`;
}
