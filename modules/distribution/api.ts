// Distribution as other modules see it: emission pays the validators' share through it.
import type { DistributionKeeper } from './keeper.ts';

export type DistributionApi = Pick<DistributionKeeper, 'allocateFromModule'>;
