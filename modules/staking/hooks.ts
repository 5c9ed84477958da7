// What staking tells other modules, in the order the SDK's StakingHooks fire. Distribution keeps
// reward accounting in step with stake through these; slashing starts and stops signing records.
// The list is fixed when the keeper is built (see buildModules), never attached later.
import type { Context } from '../../core/framework/context.ts';
import type { Dec } from '../../core/framework/dec.ts';

export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, operator: Uint8Array): Promise<void>;
  afterValidatorBonded?(ctx: Context, consAddr: Uint8Array, operator: Uint8Array): Promise<void>;
  afterValidatorBeginUnbonding?(ctx: Context, consAddr: Uint8Array, operator: Uint8Array): Promise<void>;
  afterValidatorRemoved?(ctx: Context, consAddr: Uint8Array, operator: Uint8Array): Promise<void>;
  beforeDelegationCreated?(ctx: Context, delegator: Uint8Array, operator: Uint8Array): Promise<void>;
  beforeDelegationSharesModified?(ctx: Context, delegator: Uint8Array, operator: Uint8Array): Promise<void>;
  beforeDelegationRemoved?(ctx: Context, delegator: Uint8Array, operator: Uint8Array): Promise<void>;
  afterDelegationModified?(ctx: Context, delegator: Uint8Array, operator: Uint8Array): Promise<void>;
  /** `fraction` is the share of the validator's current tokens about to be burned. */
  beforeValidatorSlashed?(ctx: Context, operator: Uint8Array, fraction: Dec): Promise<void>;
}

type HookName = keyof StakingHooks;

/** Calls one hook on every listener, in list order. */
export async function fire<K extends HookName>(
  hooks: readonly StakingHooks[],
  name: K,
  ...args: Parameters<NonNullable<StakingHooks[K]>>
): Promise<void> {
  for (const h of hooks) {
    const fn = h[name] as ((...a: unknown[]) => Promise<void>) | undefined;
    if (fn !== undefined) await fn.apply(h, args);
  }
}
