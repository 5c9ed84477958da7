// The bank module: balances, transfers, supply and denom metadata.
import type { Module } from '../../core/framework/module.ts';
import type { AuthApi } from '../auth/api.ts';
import { type BankGenesis, bankGenesis } from './genesis.ts';
import type { BankKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgMultiSend } from './msgs/multi-send.ts';
import { msgSend } from './msgs/send.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { bankQueries } from './queries.ts';
import { checkInvariants } from './invariants.ts';

export { BankKeeper } from './keeper.ts';
export { type BankApi, bankView } from './api.ts';

/** `authority` signs MsgUpdateParams (the gov module account). */
export function bankModule(bank: BankKeeper, accounts: AuthApi, authority: Uint8Array): Module<BankGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: bankGenesis(bank, accounts),
    msgs: [msgSend(bank), msgMultiSend(bank), msgUpdateParams(authority)],
    queries: bankQueries(bank),
    invariants: checkInvariants,
  };
}
