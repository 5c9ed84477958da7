// Genesis vesting accounts, written as the SDK's JSON (what a chain's team and investor allocations look like).
import { type AppState, addGenesisAccount } from '../../node/genesis.ts';
import { VESTING_TYPE_URLS } from '../../sdk/vesting/messages.ts';

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

/** `state` with `address` funded and made a vesting account of the given schedule. */
export function addVestingAccount(state: AppState, address: string, spec: VestingSpec): AppState {
  const next = addGenesisAccount(state, address, [{ denom: 'ucairn', amount: spec.vesting + (spec.free ?? 0n) }]);
  const accounts = (next['auth'] as { accounts: Record<string, unknown>[] }).accounts;
  const i = accounts.findIndex((a) => a['address'] === address);
  const { '@type': _, ...base } = accounts[i]!;
  const coins = (amount: bigint) => [{ denom: 'ucairn', amount: amount.toString() }];
  const baseVesting = { base_account: base, original_vesting: coins(spec.vesting), delegated_free: [], delegated_vesting: [], end_time: spec.end.toString() };
  accounts[i] =
    spec.type === 'delayed'
      ? { '@type': VESTING_TYPE_URLS.DelayedVestingAccount, base_vesting_account: baseVesting }
      : spec.type === 'continuous'
        ? { '@type': VESTING_TYPE_URLS.ContinuousVestingAccount, base_vesting_account: baseVesting, start_time: spec.start.toString() }
        : {
            '@type': VESTING_TYPE_URLS.PeriodicVestingAccount,
            base_vesting_account: baseVesting,
            start_time: spec.start.toString(),
            vesting_periods: (spec.periods ?? []).map(([length, amount]) => ({ length: length.toString(), amount: coins(amount) })),
          };
  return next;
}
