// Reading and seeding the stored consensus params: what the app, the handler and the query share.
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import * as keys from './keys.ts';
import { type FullConsensusParams, defaultConsensusParams, validateConsensusParams } from './params.ts';

/** The params the chain runs with (CometBFT's defaults with Cairn's gas limit before InitChain stored any). */
export async function storedParams(store: KVRead): Promise<FullConsensusParams> {
  const p = await keys.params.get(store);
  if (p === undefined) return defaultConsensusParams();
  const d = defaultConsensusParams();
  return { block: p.block ?? d.block, evidence: p.evidence ?? d.evidence, validator: p.validator ?? d.validator, version: p.version ?? d.version, abci: p.abci ?? d.abci };
}

/**
 * InitChain: stores genesis.json's consensus_params (CometBFT sends them; absent, the defaults). A set
 * CometBFT itself would start with but Cairn cannot run (no ed25519) is refused here.
 */
export function seedParams(store: KVStore, fromGenesis: ConsensusParams | undefined): FullConsensusParams {
  const defaults = defaultConsensusParams();
  const p: FullConsensusParams = {
    block: fromGenesis?.block ?? defaults.block,
    evidence: fromGenesis?.evidence ?? defaults.evidence,
    validator: fromGenesis?.validator ?? defaults.validator,
    version: fromGenesis?.version ?? defaults.version,
    abci: fromGenesis?.abci ?? defaults.abci,
  };
  try {
    validateConsensusParams(p);
  } catch (err) {
    throw new Error(`genesis consensus_params: ${(err as Error).message}`, { cause: err });
  }
  keys.params.set(store, p);
  return p;
}
