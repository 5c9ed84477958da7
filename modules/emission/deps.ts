// What the emission module needs from others, and nothing more.
import type { BankApi } from '../bank/api.ts';
import type { DistributionKeeper } from '../distribution/keeper.ts';
import type { ReceiptsKeeper } from '../receipts/keeper.ts';
import type { RegistryApi } from '../registry/api.ts';
import type { RoyaltyApi } from '../royalty/keeper.ts';
import type { KVStore } from '../../core/store/types.ts';

/** Minting into the emission account, paying operators, the supply (for the cap), challenge bonds and the burned part of their slashes. */
export type EmissionBank = Pick<BankApi, 'mint' | 'burn' | 'sendFromModule' | 'sendToModule' | 'supplyOf' | 'balance'>;
/** The validators' share, paid by power. */
export type EmissionDistribution = Pick<DistributionKeeper, 'allocateFromModule'>;
/** The epoch clock, each operator's finalized usage and the epoch's roots. */
export type EmissionReceipts = Pick<ReceiptsKeeper, 'params' | 'epochOf' | 'epochUsage' | 'epochRootsOf'>;
/** The protocol fee rate (for the wash-trading guard). */
export type EmissionRoyalty = Pick<RoyaltyApi, 'params'>;
/** Operators' status (faults), committed GPUs, the price denom, the fake-capacity fault and the catalog's reputation. */
export type EmissionRegistry = Pick<RegistryApi, 'getOperator' | 'isActiveOperator' | 'params' | 'gpusOf' | 'punishOperator' | 'removeGpuCommitment' | 'setReputation'>;

export interface EmissionAccounts {
  ensureModuleAccount(store: KVStore, name: string, bech32: (a: Uint8Array) => string, permissions?: string[]): Promise<Uint8Array>;
}

export interface EmissionDeps {
  readonly bank: EmissionBank;
  readonly distribution: EmissionDistribution;
  readonly receipts: EmissionReceipts;
  readonly royalty: EmissionRoyalty;
  readonly registry: EmissionRegistry;
}
