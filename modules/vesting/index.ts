// The vesting module: MsgCreateVestingAccount. The vesting accounts themselves (their schedules,
// locked coins and delegation tracking) live in auth (modules/auth/vesting.ts) and are enforced by
// the bank; genesis vesting accounts are auth genesis accounts. See README.md.
import { GenesisError, object } from '../../core/framework/json.ts';
import type { Module } from '../../core/framework/module.ts';
import type { VestingAccounts, VestingBank } from './deps.ts';
import { msgCreateVestingAccount } from './msgs/create-vesting-account.ts';

export function vestingModule(accounts: VestingAccounts, bank: VestingBank): Module<Record<string, never>> {
  return {
    name: 'vesting',
    consensusVersion: 1,
    genesis: {
      // As in the SDK, the module has no state of its own: its section is empty.
      defaultGenesis: () => ({}),
      validate(json) {
        if (Object.keys(object(json, 'vesting')).length > 0) throw new GenesisError('vesting: the section has no fields (vesting accounts are auth accounts)');
        return {};
      },
      async init() {},
      async export() {
        return {};
      },
    },
    msgs: [msgCreateVestingAccount(accounts, bank)],
    queries: {},
  };
}
