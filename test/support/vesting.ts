// Genesis vesting accounts in ucairn, as tests write them (node/genesis.ts addGenesisVestingAccount).
import { type AppState, addGenesisVestingAccount } from '../../node/genesis.ts';

export interface VestingSpec {
  readonly type: 'continuous' | 'delayed' | 'periodic';
  /** ucairn under the schedule; the account's balance holds it plus `free`. */
  readonly vesting: bigint;
  readonly free?: bigint;
  readonly start: bigint;
  readonly end: bigint;
  /** Periodic: [length in seconds, ucairn]. */
  readonly periods?: readonly (readonly [bigint, bigint])[];
}

const ucairn = (amount: bigint) => [{ denom: 'ucairn', amount }];

/** `state` with `address` funded and made a vesting account of the given schedule. */
export function addVestingAccount(state: AppState, address: string, spec: VestingSpec): AppState {
  return addGenesisVestingAccount(state, address, ucairn(spec.vesting + (spec.free ?? 0n)), {
    type: spec.type,
    amount: ucairn(spec.vesting),
    start: spec.start,
    end: spec.end,
    periods: (spec.periods ?? []).map(([length, amount]) => ({ length, amount: ucairn(amount) })),
  });
}
