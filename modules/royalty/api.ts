// Royalty as other modules see it (receipts settles through it; emission reads the protocol fee).
import type { RoyaltyKeeper } from './keeper.ts';

/** What other modules may do with royalties. */
export type RoyaltyApi = Pick<RoyaltyKeeper, 'params' | 'termsFor' | 'preview' | 'settleEscrow' | 'recordOwed' | 'closeEpoch' | 'epochRoot'>;

/** The split terms of a batch that owes no royalty (a reservation's GPU hours). */
export { NO_ROYALTY } from './split.ts';
