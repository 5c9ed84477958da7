// Receipts as other modules see it: emission reads the epoch clock, each operator's finalized usage
// and the epoch's roots.
import type { ReceiptsKeeper } from './keeper.ts';

export type ReceiptsApi = Pick<ReceiptsKeeper, 'params' | 'epochOf' | 'epochUsage' | 'epochRootsOf'>;
