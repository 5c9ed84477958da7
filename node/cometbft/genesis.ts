// CometBFT's genesis.json: built from the validators' keys and an app_state the app provides.
// The on-disk shape (snake_case, int64 as strings) is what CometBFT v0.38 itself writes in `cometbft init`.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GenesisFormatError } from './errors.ts';
import { PUBKEY_ED25519_TYPE, validatorAddress } from './keys.ts';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';

export const MAX_CHAIN_ID_LENGTH = 50;
// types.MaxTotalVotingPower = MaxInt64 / 8.
const MAX_TOTAL_VOTING_POWER = 2n ** 63n / 8n - 1n;

export interface ConsensusParamsJson {
  block: { max_bytes: string; max_gas: string };
  evidence: { max_age_num_blocks: string; max_age_duration: string; max_bytes: string };
  validator: { pub_key_types: string[] };
  version: { app: string };
  abci: { vote_extensions_enable_height: string };
}

export interface GenesisValidatorJson {
  address: string;
  pub_key: { type: string; value: string };
  power: string;
  name: string;
}

export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: ConsensusParamsJson;
  validators: GenesisValidatorJson[];
  app_hash: string;
  // The app's own genesis, passed verbatim to InitChain as app_state_bytes.
  app_state?: unknown;
}

export interface GenesisValidator {
  // Upper-case hex, as readValidatorKey() returns it.
  address: string;
  // Base64 ed25519 public key.
  pubKey: string;
  power: bigint;
  name: string;
}

export interface BuildGenesisOptions {
  chainId: string;
  // Defaults to now. Every node of a chain must get the very same document, so build it once.
  genesisTime?: Date | string;
  initialHeight?: bigint;
  validators: readonly GenesisValidator[];
  // Any JSON value; its shape belongs to the app.
  appState: unknown;
  consensusParams?: ConsensusParamsJson;
}

// CometBFT v0.38.25's defaults (types/params.go), as `cometbft init` writes them.
export function defaultConsensusParams(): ConsensusParamsJson {
  return {
    block: { max_bytes: '22020096', max_gas: '-1' },
    evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
    validator: { pub_key_types: ['ed25519'] },
    version: { app: '0' },
    abci: { vote_extensions_enable_height: '0' },
  };
}

export function validateChainId(chainId: string): void {
  if (typeof chainId !== 'string') throw new TypeError('chain id must be a string');
  if (chainId.length === 0 || chainId.length > MAX_CHAIN_ID_LENGTH) {
    throw new RangeError(`chain id must have 1 to ${MAX_CHAIN_ID_LENGTH} characters, got ${chainId.length}`);
  }
}

// Go's RFC3339Nano: fractional seconds without trailing zeros, no fraction at all for whole seconds.
export function formatGenesisTime(date: Date): string {
  const iso = date.toISOString();
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`genesis time must be in years 0000-9999, got ${iso}`);
  return iso.replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function genesisTime(value: Date | string | undefined): string {
  if (value === undefined) return formatGenesisTime(new Date());
  if (value instanceof Date) return formatGenesisTime(value);
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new RangeError(`genesis time must be RFC3339 like 2026-01-02T03:04:05.123456789Z, got ${JSON.stringify(value)}`);
  }
  return value;
}

function genesisValidator(v: GenesisValidator): GenesisValidatorJson {
  const pub = Buffer.from(v.pubKey, 'base64');
  if (pub.length !== 32 || pub.toString('base64') !== v.pubKey) {
    throw new RangeError(`validator ${v.name}: pubKey must be the base64 of a 32-byte ed25519 key`);
  }
  if (validatorAddress(pub) !== v.address) {
    throw new RangeError(`validator ${v.name}: address ${v.address} is not the address of its pubKey (${validatorAddress(pub)})`);
  }
  if (v.power <= 0n || v.power > MAX_TOTAL_VOTING_POWER) {
    throw new RangeError(`validator ${v.name}: power must be between 1 and ${MAX_TOTAL_VOTING_POWER}, got ${v.power}`);
  }
  return { address: v.address, pub_key: { type: PUBKEY_ED25519_TYPE, value: v.pubKey }, power: v.power.toString(), name: v.name };
}

export function buildGenesis(opts: BuildGenesisOptions): GenesisDoc {
  validateChainId(opts.chainId);
  const initialHeight = opts.initialHeight ?? 1n;
  if (initialHeight < 0n) throw new RangeError(`initial height must be >= 0, got ${initialHeight}`);
  const validators = opts.validators.map(genesisValidator);
  const addresses = new Set(validators.map((v) => v.address));
  if (addresses.size !== validators.length) throw new RangeError('the same validator appears twice in genesis');
  const total = opts.validators.reduce((sum, v) => sum + v.power, 0n);
  if (total > MAX_TOTAL_VOTING_POWER) throw new RangeError(`total voting power ${total} exceeds ${MAX_TOTAL_VOTING_POWER}`);
  let appState: unknown;
  try {
    const text = JSON.stringify(opts.appState);
    if (typeof text !== 'string') throw new TypeError('not a JSON value');
    // A deep copy: the document must not change when the caller later mutates its object.
    appState = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`appState must be a JSON value (no bigint, undefined or functions): ${(error as Error).message}`, { cause: error });
  }
  return {
    genesis_time: genesisTime(opts.genesisTime),
    chain_id: opts.chainId,
    initial_height: initialHeight.toString(),
    consensus_params: structuredClone(opts.consensusParams ?? defaultConsensusParams()),
    validators,
    app_hash: '',
    app_state: appState,
  };
}

// The exact bytes written. CometBFT stores the hash of these bytes at first start and refuses a
// different genesis file later, so all nodes must be given the same serialisation.
export function serializeGenesis(doc: GenesisDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function genesisPath(home: string): string {
  return join(home, 'config', 'genesis.json');
}

export async function writeGenesis(home: string, doc: GenesisDoc): Promise<void> {
  const path = genesisPath(home);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, serializeGenesis(doc), 'utf8');
  await rename(tmp, path);
}

export async function readGenesis(home: string): Promise<GenesisDoc> {
  const path = genesisPath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GenesisFormatError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return parseGenesis(text);
  } catch (error) {
    throw new GenesisFormatError(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The document in a genesis.json text, with CometBFT's defaults filled in. Throws a
 * GenesisFormatError saying what it is not (JSON, or a genesis document), without the path.
 */
export function parseGenesis(text: string): GenesisDoc {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GenesisFormatError(`not JSON (${(error as Error).message}): a truncated or hand-edited file? Copy the chain's genesis.json again`);
  }
  const doc = parsed as Partial<GenesisDoc> | null;
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) problems.push('not a JSON object');
  else {
    if (typeof doc.chain_id !== 'string') problems.push('chain_id is not a string');
    if (typeof doc.genesis_time !== 'string') problems.push('genesis_time is not a string');
    if (doc.consensus_params !== undefined && doc.consensus_params !== null && (typeof doc.consensus_params !== 'object' || Array.isArray(doc.consensus_params))) problems.push('consensus_params is not an object');
    if (doc.validators !== undefined && doc.validators !== null && !Array.isArray(doc.validators)) problems.push('validators is not an array');
    if (doc.initial_height !== undefined && typeof doc.initial_height !== 'string') problems.push('initial_height is not a string');
  }
  if (problems.length > 0) throw new GenesisFormatError(`not a CometBFT genesis document: ${problems.join('; ')}`);
  const d = doc as GenesisDoc;
  // CometBFT's own defaults for what a hand-written genesis may leave out.
  return { ...d, consensus_params: d.consensus_params ?? defaultConsensusParams(), initial_height: d.initial_height ?? '1', validators: d.validators ?? [], app_hash: d.app_hash ?? '' };
}

/** What CometBFT itself accepts of a genesis document (its ValidateAndComplete), with its defaults applied. */
export interface CheckedGenesisDoc {
  readonly chainId: string;
  /** At least 1: CometBFT starts a chain whose initial_height is 0 at 1. */
  readonly initialHeight: bigint;
  readonly time: { readonly seconds: bigint; readonly nanos: number };
  readonly validators: readonly GenesisValidator[];
  /** consensus_params as InitChain receives them (a section left out stays undefined). */
  readonly consensusParams: ConsensusParams;
}

/** Checks the fields CometBFT checks before it calls InitChain; throws a RangeError naming the field. */
export function checkGenesisDoc(doc: GenesisDoc): CheckedGenesisDoc {
  try {
    validateChainId(doc.chain_id);
  } catch (error) {
    throw new RangeError(`chain_id: ${(error as Error).message}`, { cause: error });
  }
  if (!/^-?\d{1,19}$/.test(doc.initial_height)) throw new RangeError(`initial_height must be a whole number in a string, got ${JSON.stringify(doc.initial_height)}`);
  const initialHeight = BigInt(doc.initial_height);
  if (initialHeight < 0n) throw new RangeError(`initial_height must be >= 0, got ${initialHeight}`);
  const time = genesisTime(doc.genesis_time);
  const validators = doc.validators.map((v, i): GenesisValidator => {
    const pub = (v as Partial<GenesisValidatorJson> | null)?.pub_key;
    if (pub?.type !== PUBKEY_ED25519_TYPE || typeof pub.value !== 'string') throw new RangeError(`validators[${i}].pub_key must be {"type": "${PUBKEY_ED25519_TYPE}", "value": <base64>}`);
    if (typeof v.power !== 'string' || !/^\d{1,19}$/.test(v.power)) throw new RangeError(`validators[${i}].power must be a whole number in a string, got ${JSON.stringify(v.power)}`);
    // CometBFT derives a missing address from the key.
    const address = typeof v.address === 'string' && v.address !== '' ? v.address : validatorAddress(Buffer.from(pub.value, 'base64'));
    return { address, pubKey: pub.value, power: BigInt(v.power), name: typeof v.name === 'string' ? v.name : `validators[${i}]` };
  });
  // The same rules buildGenesis applies when it writes a document, but for app_state: it came from
  // JSON, and buildGenesis's deep copy of it would be a second parse of the whole state (the app's
  // genesis check looks into it).
  buildGenesis({ chainId: doc.chain_id, initialHeight, genesisTime: time, validators, appState: {}, consensusParams: doc.consensus_params });
  const ms = Date.parse(time);
  const fraction = /\.(\d+)/.exec(time)?.[1] ?? '';
  return {
    chainId: doc.chain_id,
    initialHeight: initialHeight === 0n ? 1n : initialHeight,
    time: { seconds: BigInt(Math.floor(ms / 1000)), nanos: Number(fraction.padEnd(9, '0')) },
    validators,
    consensusParams: consensusParamsFromJson(doc.consensus_params),
  };
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** genesis.json's consensus_params (int64s and nanosecond durations as strings) as InitChain carries them. */
export function consensusParamsFromJson(json: Partial<ConsensusParamsJson>): ConsensusParams {
  const int = (v: unknown, path: string): bigint => {
    if (typeof v !== 'string' || !/^-?\d{1,19}$/.test(v)) throw new RangeError(`consensus_params.${path} must be a whole number in a string, got ${JSON.stringify(v)}`);
    return BigInt(v);
  };
  const { block, evidence, validator, version, abci } = json;
  const out: ConsensusParams = {};
  if (block) out.block = { maxBytes: int(block.max_bytes, 'block.max_bytes'), maxGas: int(block.max_gas, 'block.max_gas') };
  if (evidence) {
    const age = int(evidence.max_age_duration, 'evidence.max_age_duration');
    out.evidence = {
      maxAgeNumBlocks: int(evidence.max_age_num_blocks, 'evidence.max_age_num_blocks'),
      maxAgeDuration: { seconds: age / NANOS_PER_SECOND, nanos: Number(age % NANOS_PER_SECOND) },
      maxBytes: int(evidence.max_bytes, 'evidence.max_bytes'),
    };
  }
  if (validator) {
    if (!Array.isArray(validator.pub_key_types) || !validator.pub_key_types.every((t) => typeof t === 'string')) throw new RangeError('consensus_params.validator.pub_key_types must be a list of strings');
    out.validator = { pubKeyTypes: [...validator.pub_key_types] };
  }
  if (version) out.version = { app: int(version.app, 'version.app') };
  if (abci) out.abci = { voteExtensionsEnableHeight: int(abci.vote_extensions_enable_height, 'abci.vote_extensions_enable_height') };
  return out;
}

/** The inverse of consensusParamsFromJson, for a complete set (as `cometbft init` writes it). */
export function consensusParamsToJson(p: ConsensusParams): ConsensusParamsJson {
  const age = p.evidence?.maxAgeDuration ?? { seconds: 0n, nanos: 0 };
  return {
    block: { max_bytes: String(p.block?.maxBytes ?? 0n), max_gas: String(p.block?.maxGas ?? -1n) },
    evidence: {
      max_age_num_blocks: String(p.evidence?.maxAgeNumBlocks ?? 0n),
      max_age_duration: String(age.seconds * NANOS_PER_SECOND + BigInt(age.nanos)),
      max_bytes: String(p.evidence?.maxBytes ?? 0n),
    },
    validator: { pub_key_types: [...(p.validator?.pubKeyTypes ?? [])] },
    version: { app: String(p.version?.app ?? 0n) },
    abci: { vote_extensions_enable_height: String(p.abci?.voteExtensionsEnableHeight ?? 0n) },
  };
}
