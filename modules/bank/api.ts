// The bank as other modules see it. Modules that move coins get a BankApi (each picks what it
// needs in its deps.ts); code that holds only a store (invariants, genesis checks) reads through
// bankView. Nothing else of the bank's state is reachable from outside.
import type { BankKeeper } from './keeper.ts';
import { BankView } from './view.ts';

/** What other modules may do with coins. */
export type BankApi = Pick<BankKeeper, 'balance' | 'balances' | 'supplyOf' | 'send' | 'sendFromModule' | 'sendToModule' | 'delegateCoins' | 'undelegateCoins' | 'mint' | 'burn'>;

/** Balances and supply, read from a store. */
export const bankView = new BankView();
