// A node home for benchmarks: like the integration tests' home (loopback ports, funded genesis
// accounts), but configured as a validator would run it: no invariant check after every block, a
// one-second block time, and a mempool large enough that the offered load, not its size, decides.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { initNodeHome } from '../cli/commands/init.ts';
import { addGenesisAccount, defaultAppState } from '../node/genesis.ts';
import { configPath, configure } from '../node/cometbft/config.ts';
import { readGenesis, writeGenesis } from '../node/cometbft/genesis.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { applyTomlEdits } from '../node/cometbft/toml.ts';
import type { TomlEdit } from '../node/cometbft/toml.ts';
import type { CairnApp } from '../node/app.ts';

export interface BenchHomeOptions {
  readonly funded: readonly { readonly address: string; readonly amount: bigint }[];
  readonly chainId?: string;
  /** CometBFT timeout_commit: the pause after a block before the next one starts. Default 1000. */
  readonly blockTimeMs?: number;
  /** [mempool] size (txs). Default 20,000. */
  readonly mempoolSize?: number;
  /** [mempool] max_txs_bytes. Default 256 MiB. */
  readonly mempoolBytes?: number;
  /** [rpc] max_open_connections, above the load generator's in-flight requests. Default 2,000. */
  readonly rpcConnections?: number;
  /** CometBFT's tx indexer: 'kv' (default; CosmJS getTx/searchTx need it) or 'null' to see its cost. */
  readonly indexer?: 'kv' | 'null';
  /** Where the home goes; default a new directory under the OS temp dir. */
  readonly home?: string;
}

export interface BenchHome {
  readonly home: string;
  readonly chainId: string;
  readonly rpcUrl: string;
}

/** The genesis validator's operator: an account the bench never signs for. */
export const BENCH_OPERATOR = toBech32('cairn', createHash('sha256').update('cairn-bench-operator').digest().subarray(0, 20));
export const BENCH_SELF_BOND = 100_000_000n;

export async function createBenchHome(opts: BenchHomeOptions): Promise<BenchHome> {
  const home = opts.home ?? (await mkdtemp(join(tmpdir(), 'cairn-bench-')));
  const chainId = opts.chainId ?? 'cairn-bench-1';
  const [rpc, p2p, abci] = (await freePorts(3)) as [number, number, number];
  await initNodeHome({
    home,
    chainId,
    moniker: 'bench',
    overwriteGenesis: true,
    appState: fundedAppState([...opts.funded, { address: BENCH_OPERATOR, amount: BENCH_SELF_BOND }]),
    validator: { operator: BENCH_OPERATOR, selfBond: BENCH_SELF_BOND },
    ports: { rpc, p2p, abci },
    blockTimeMs: opts.blockTimeMs ?? 1000,
    // Historical versions are kept (pruning 0) as on the dev chain; invariants are a test-time check.
    appConfig: { checkInvariants: false, pruningKeepRecent: 0 },
  });
  // No block gas limit, as CometBFT's and simd's default genesis have (max_gas -1), so the
  // comparison with simd runs under the same consensus params. Cairn's own default (100 M) would
  // cap a block at 1,250 of the bench's 80,000-gas sends, about 1,050 tx/s at 1.2 s per block,
  // whatever the app's speed.
  const genesis = await readGenesis(home);
  await writeGenesis(home, { ...genesis, consensus_params: { ...genesis.consensus_params, block: { ...genesis.consensus_params.block, max_gas: '-1' } } });
  // CometBFT's own log at info level costs CPU per tx on the core the app needs. Timeouts are
  // CometBFT's defaults (what a validator runs), not localSettings' 300 ms: under load the app
  // answers PrepareProposal only after the CheckTx requests queued before it, and a proposal later
  // than timeout_propose costs a whole round.
  await configure(home, {
    logLevel: 'error',
    txIndex: { indexer: opts.indexer ?? 'kv' },
    consensus: {
      timeoutProposeMs: 3000,
      timeoutProposeDeltaMs: 500,
      timeoutPrevoteMs: 1000,
      timeoutPrevoteDeltaMs: 500,
      timeoutPrecommitMs: 1000,
      timeoutPrecommitDeltaMs: 500,
      timeoutCommitMs: opts.blockTimeMs ?? 1000,
    },
  });
  await setRawKeys(home, [
    { section: 'mempool', key: 'size', value: opts.mempoolSize ?? 20_000 },
    { section: 'mempool', key: 'max_txs_bytes', value: opts.mempoolBytes ?? 256 * 1024 * 1024 },
    { section: 'mempool', key: 'cache_size', value: 100_000 },
    { section: 'rpc', key: 'max_open_connections', value: opts.rpcConnections ?? 2_000 },
  ]);
  return { home, chainId, rpcUrl: `http://127.0.0.1:${rpc}` };
}

/**
 * `configure()` (node/cometbft/config.ts) has no [mempool] or [rpc] max_open_connections settings,
 * so these keys are edited with the same line-preserving TOML edit it uses.
 */
async function setRawKeys(home: string, edits: readonly TomlEdit[]): Promise<void> {
  const path = configPath(home);
  const after = applyTomlEdits(await readFile(path, 'utf8'), edits);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, after, 'utf8');
  await rename(tmp, path);
}

/**
 * The genesis app_state with every account funded. addGenesisAccount copies the whole state and
 * scans the account list on each call (fine for a handful, quadratic for thousands), so it builds
 * one chunk of up to CHUNK accounts at a time and the chunks are then joined, numbering the
 * accounts in order as addGenesisAccount would have.
 */
export function fundedAppState(funded: BenchHomeOptions['funded']): Record<string, unknown> {
  const CHUNK = 200;
  const base = defaultAppState();
  const accounts: Record<string, unknown>[] = [];
  const balances: unknown[] = [];
  let supply = 0n;
  for (let start = 0; start < funded.length; start += CHUNK) {
    let chunk: Record<string, unknown> = {};
    for (const f of funded.slice(start, start + CHUNK)) {
      chunk = addGenesisAccount(chunk, f.address, [{ denom: 'ucairn', amount: f.amount }]);
      supply += f.amount;
    }
    const auth = chunk['auth'] as { accounts?: Record<string, unknown>[] } | undefined;
    const bank = chunk['bank'] as { balances?: unknown[] } | undefined;
    for (const a of auth?.accounts ?? []) accounts.push({ ...a, account_number: String(accounts.length) });
    balances.push(...(bank?.balances ?? []));
  }
  const auth = { ...(base['auth'] as Record<string, unknown>), accounts };
  const bank = { ...(base['bank'] as Record<string, unknown>), balances, supply: supply === 0n ? [] : [{ denom: 'ucairn', amount: supply.toString() }] };
  return { ...base, auth, bank };
}

/** A FinalizeBlock request as CometBFT sends one for a block of `txs` at `height`, for the benches that drive the app alone. */
export function finalizeRequest(height: bigint, seconds: bigint, txs: Uint8Array[]): Parameters<CairnApp['finalizeBlock']>[0] {
  return {
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height,
    time: { seconds, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}
