// What a message handler, a query or a block hook sees: the state it may touch and the facts
// of the block it runs in. Nothing else (no wall clock, no randomness) is reachable from here.
import type { EventSink } from './events.ts';
import type { GasMeter } from './gas.ts';
import type { KVRead, KVStore } from '../store/types.ts';
import type { AddressCodec } from './address.ts';
import type { CommitInfo, Misbehavior } from 'cosmjs-types/tendermint/abci/types';

/** What CometBFT reports about consensus in FinalizeBlock (absent in CheckTx, queries and InitChain). */
export interface ConsensusInfo {
  /** Votes of the previous block's validators: who signed it, with their power. */
  readonly lastCommit: CommitInfo;
  /** Evidence of faults (duplicate votes, light-client attacks) committed in this block. */
  readonly misbehavior: readonly Misbehavior[];
  /** Consensus address of this block's proposer. */
  readonly proposerAddress: Uint8Array;
}

export interface BlockInfo {
  readonly chainId: string;
  readonly height: bigint;
  /** Consensus time of the block header (never the wall clock). */
  readonly time: { readonly seconds: bigint; readonly nanos: number };
  /** Hash of the block being finalized (FinalizeBlock only): unknown to anyone before the block exists. */
  readonly hash?: Uint8Array;
  readonly consensus?: ConsensusInfo;
  /** The block gas limit in effect (consensus params block.max_gas); absent when there is none (-1). */
  readonly maxGas?: bigint;
}

/** check/recheck: mempool admission; simulate: gas estimation; finalize: block execution. */
export type ExecMode = 'check' | 'recheck' | 'simulate' | 'finalize';

export interface Context {
  readonly store: KVStore;
  readonly block: BlockInfo;
  readonly mode: ExecMode;
  readonly events: EventSink;
  readonly gas: GasMeter;
  readonly addresses: AddressCodec;
}

export interface QueryContext {
  readonly store: KVRead;
  readonly height: bigint;
  readonly addresses: AddressCodec;
  /** The last committed block's time, for queries of the latest state (what is vested now); absent for older heights. */
  readonly time?: { readonly seconds: bigint; readonly nanos: number };
}
