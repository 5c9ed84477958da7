// The bank module: balances, transfers, supply and denom metadata.
import type { Module } from '../../core/framework/module.ts';
import type { AccountKeeper } from '../auth/keeper.ts';
import { type BankGenesis, bankGenesis } from './genesis.ts';
import type { BankKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgMultiSend } from './msgs/multi-send.ts';
import { msgSend } from './msgs/send.ts';
import { bankQueries } from './queries.ts';
import { checkInvariants } from './invariants.ts';

export { BankKeeper, type BankApi } from './keeper.ts';

export function bankModule(bank: BankKeeper, accounts: AccountKeeper): Module<BankGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: bankGenesis(bank, accounts),
    msgs: [msgSend(bank), msgMultiSend(bank)],
    queries: bankQueries(bank),
    invariants: checkInvariants,
  };
}
