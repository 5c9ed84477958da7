// What the vesting module needs from others, and nothing more.
import type { AccountKeeper } from '../auth/keeper.ts';
import type { BankKeeper } from '../bank/keeper.ts';

/** The new account is created here; the recipient must not exist yet. */
export type VestingAccounts = Pick<AccountKeeper, 'get' | 'createVestingAccount'>;

/** Funding it: a plain send, refused for disabled denoms and module accounts as bank's MsgSend is. */
export type VestingBank = Pick<BankKeeper, 'send' | 'isSendEnabled' | 'assertMayReceive'>;
