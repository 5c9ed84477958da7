// CometBFT's consensus params as Cairn runs them: their defaults, and the checks CometBFT v0.38 runs
// on every set it is handed (types/params.go ValidateBasic and ValidateUpdate), so a set the chain
// stores is never one CometBFT would refuse after the block that stored it (which would halt it).
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';

/** CometBFT's MaxBlockSizeBytes: 100 MiB. */
export const MAX_BLOCK_SIZE_BYTES = 104_857_600n;
/** The key types CometBFT v0.38 knows (ABCIPubKeyTypesToNames). */
export const KNOWN_PUBKEY_TYPES: readonly string[] = ['ed25519', 'secp256k1'];
/** Every Cairn validator's consensus key is ed25519 (staking accepts no other). */
export const VALIDATOR_KEY_TYPE = 'ed25519';

/**
 * The block gas limit of a new chain. FinalizeBlock runs about 350 gas per microsecond (a 37,000-gas
 * send in ~105 µs, bench/README.md), so 100 million gas is about 0.3 s of execution: a third of the
 * 1 s block interval. The biggest tx CheckTx admits (1 MiB) costs ~10.5 million gas for its bytes and
 * ~42 million if it wrote every byte to the store, so the largest possible tx still fits twice.
 * docs/decisions.md ("Block gas limit").
 */
export const DEFAULT_BLOCK_MAX_GAS = 100_000_000n;

/** A set with every section present, as the chain stores it. */
export type FullConsensusParams = Required<ConsensusParams>;

/** CometBFT v0.38.25's defaults (types/params.go), with Cairn's block gas limit. */
export function defaultConsensusParams(): FullConsensusParams {
  return {
    block: { maxBytes: 22_020_096n, maxGas: DEFAULT_BLOCK_MAX_GAS },
    evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
    validator: { pubKeyTypes: [VALIDATOR_KEY_TYPE] },
    version: { app: 0n },
    abci: { voteExtensionsEnableHeight: 0n },
  };
}

/** The block gas limit of `p`, or undefined when there is none (max_gas -1). */
export function blockMaxGas(p: ConsensusParams): bigint | undefined {
  const maxGas = p.block?.maxGas ?? -1n;
  return maxGas < 0n ? undefined : maxGas;
}

/** CometBFT's ValidateBasic, plus Cairn's own rule that validators' key type stays allowed. Throws an Error naming the field. */
export function validateConsensusParams(p: ConsensusParams): void {
  const { block, evidence, validator } = p;
  if (block === undefined) throw new Error('block params must be present');
  if (evidence === undefined) throw new Error('evidence params must be present');
  if (validator === undefined) throw new Error('validator params must be present');
  if (block.maxBytes === 0n) throw new Error('block.MaxBytes cannot be 0');
  if (block.maxBytes < -1n) throw new Error(`block.MaxBytes must be -1 or greater than 0. Got ${block.maxBytes}`);
  if (block.maxBytes > MAX_BLOCK_SIZE_BYTES) throw new Error(`block.MaxBytes is too big. ${block.maxBytes} > ${MAX_BLOCK_SIZE_BYTES}`);
  if (block.maxGas < -1n) throw new Error(`block.MaxGas must be greater or equal to -1. Got ${block.maxGas}`);
  if (evidence.maxAgeNumBlocks <= 0n) throw new Error(`evidence.MaxAgeNumBlocks must be greater than 0. Got ${evidence.maxAgeNumBlocks}`);
  const age = evidence.maxAgeDuration;
  if (age === undefined || age.seconds < 0n || age.nanos < 0 || (age.seconds === 0n && age.nanos === 0)) {
    throw new Error(`evidence.MaxAgeDuration must be greater than 0, got ${age === undefined ? 'none' : `${age.seconds}s ${age.nanos}ns`}`);
  }
  const bound = block.maxBytes === -1n ? MAX_BLOCK_SIZE_BYTES : block.maxBytes;
  if (evidence.maxBytes > bound) throw new Error(`evidence.MaxBytesEvidence is greater than upper bound, ${evidence.maxBytes} > ${block.maxBytes}`);
  if (evidence.maxBytes < 0n) throw new Error(`evidence.MaxBytes must be non negative. Got: ${evidence.maxBytes}`);
  const enableHeight = p.abci?.voteExtensionsEnableHeight ?? 0n;
  if (enableHeight < 0n) throw new Error(`ABCI.VoteExtensionsEnableHeight cannot be negative. Got: ${enableHeight}`);
  if (validator.pubKeyTypes.length === 0) throw new Error('len(Validator.PubKeyTypes) must be greater than 0');
  validator.pubKeyTypes.forEach((type, i) => {
    if (!KNOWN_PUBKEY_TYPES.includes(type)) throw new Error(`params.Validator.PubKeyTypes[${i}], ${type}, is an unknown pubkey type`);
  });
  // CometBFT would refuse every later validator update (and so halt the chain) if ed25519 went away.
  if (!validator.pubKeyTypes.includes(VALIDATOR_KEY_TYPE)) {
    throw new Error(`validator.pub_key_types must include ${VALIDATOR_KEY_TYPE}: every Cairn validator's consensus key is ${VALIDATOR_KEY_TYPE}`);
  }
}

/**
 * CometBFT's ValidateUpdate of the vote-extension enable height at block `height`: it may be set only
 * to a future height, moved or unset only while still in the future, never changed once reached.
 */
export function validateVoteExtensionsUpdate(current: bigint, next: bigint, height: bigint): void {
  if (next < 0n) throw new Error('vote extensions enable height must be positive');
  if (next === current || (current <= 0n && next === 0n)) return;
  if (current > 0n && next === 0n) {
    if (current <= height) throw new Error(`vote extensions cannot be disabled once enabled (enable height ${current}, current height ${height})`);
    return;
  }
  if (next <= height) throw new Error(`vote extensions cannot be updated to a past or current height (enable height ${next}, current height ${height})`);
  if (current > 0n && current <= height) throw new Error(`vote extensions cannot be modified once enabled (enable height ${current}, current height ${height})`);
}
