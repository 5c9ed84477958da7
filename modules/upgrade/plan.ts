// The checks a plan passes before it is scheduled: the SDK's Plan.ValidateBasic (stateless) and
// ScheduleUpgrade (against the chain), with their words and codes (sdk/18).
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import type { KVRead } from '../../core/store/types.ts';
import { ErrInvalidRequest } from '../../core/framework/sdk-errors.ts';
import * as keys from './keys.ts';

export function validatePlan(plan: Plan | undefined): Plan {
  if (plan === undefined) throw ErrInvalidRequest.wrap('plan: plan must be present');
  if (plan.time !== undefined && (plan.time.seconds !== 0n || plan.time.nanos !== 0)) {
    throw ErrInvalidRequest.wrap('plan: time-based upgrades have been deprecated in the SDK');
  }
  if (plan.upgradedClientState !== undefined) throw ErrInvalidRequest.wrap('plan: upgrade logic for IBC has been moved to the IBC module');
  if (plan.name === '') throw ErrInvalidRequest.wrap('plan: name cannot be empty');
  if (plan.height <= 0n) throw ErrInvalidRequest.wrap('plan: height must be greater than 0');
  return plan;
}

/**
 * A plan runs before the block at its height executes, so it must name a later block than the one
 * scheduling it (the SDK also takes the current height, for plans scheduled in a begin blocker, which
 * no tx is), and a name never applied before.
 */
export async function checkSchedulable(store: KVRead, plan: Plan, height: bigint): Promise<void> {
  if (plan.height <= height) throw ErrInvalidRequest.wrap(`upgrade cannot be scheduled in the past (plan height ${plan.height}, current height ${height})`);
  if ((await keys.done.get(store, plan.name)) !== undefined) throw ErrInvalidRequest.wrap(`upgrade with name ${plan.name} has already been completed`);
}
