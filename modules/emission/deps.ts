// What the emission module needs from others, and nothing more.
import type { BankApi } from '../bank/api.ts';
import type { DistributionApi } from '../distribution/api.ts';
import type { ReceiptsApi } from '../receipts/api.ts';
import type { RegistryApi } from '../registry/api.ts';
import type { RoyaltyApi } from '../royalty/api.ts';
import type { StakingApi } from '../staking/api.ts';
import type { KVStore } from '../../core/store/types.ts';

/** Minting into the emission account, paying operators, the supply (for the cap), challenge bonds and the burned part of their slashes. */
export type EmissionBank = Pick<BankApi, 'mint' | 'burn' | 'sendFromModule' | 'sendToModule' | 'supplyOf' | 'balance'>;
/** Validators' power in the last set: the weight of their availability reports. */
export type EmissionStaking = Pick<StakingApi, 'lastValidatorPower'>;
/** The validators' share, paid by power. */
export type EmissionDistribution = Pick<DistributionApi, 'allocateFromModule'>;
/** The epoch clock, each operator's finalized usage and the epoch's roots. */
export type EmissionReceipts = Pick<ReceiptsApi, 'params' | 'epochOf' | 'epochUsage' | 'epochRootsOf'>;
/** The protocol fee rate (for the wash-trading guard). */
export type EmissionRoyalty = Pick<RoyaltyApi, 'params'>;
/** Operators' status (faults), committed GPUs, the price denom, the fake-capacity fault and the catalog's reputation. */
export type EmissionRegistry = Pick<RegistryApi, 'getOperator' | 'allOperators' | 'isActiveOperator' | 'params' | 'gpusOf' | 'punishOperator' | 'removeGpuCommitment' | 'setReputation'>;

export interface EmissionAccounts {
  ensureModuleAccount(store: KVStore, name: string, bech32: (a: Uint8Array) => string, permissions?: string[]): Promise<Uint8Array>;
}

export interface EmissionDeps {
  readonly bank: EmissionBank;
  readonly distribution: EmissionDistribution;
  readonly receipts: EmissionReceipts;
  readonly royalty: EmissionRoyalty;
  readonly registry: EmissionRegistry;
  readonly staking: EmissionStaking;
}
