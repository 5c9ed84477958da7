// A tiny JSON-RPC client for the CometBFT RPC, just enough to know a node is up and how far it got.
// (Apps and wallets use CosmJS; this exists so process management needs no client library.)
import { workSignal } from '../abort.ts';
import { CometbftRpcError, CometbftUnreachableError, HeightTimeoutError } from './errors.ts';

export interface RpcOptions {
  signal?: AbortSignal;
  // Per-request limit; a node that accepts the connection but never answers must not hang us.
  timeoutMs?: number;
}

let nextId = 1;

export async function rpcCall(rpcUrl: string, method: string, params: Record<string, unknown> = {}, opts: RpcOptions = {}): Promise<unknown> {
  const work = workSignal(opts.signal, opts.timeoutMs ?? 5_000);
  let body: unknown;
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
      signal: work.signal,
    });
    body = await response.json();
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new CometbftUnreachableError(`CometBFT RPC at ${rpcUrl} did not answer ${method}: ${cause}`, { cause: error });
  } finally {
    work.done();
  }
  const reply = body as { result?: unknown; error?: { code?: number; message?: string; data?: string } };
  if (reply.error !== undefined) {
    throw new CometbftRpcError(method, reply.error.code ?? 0, reply.error.message ?? 'error', reply.error.data);
  }
  return reply.result;
}

export interface NodeStatus {
  nodeId: string;
  // The chain id.
  network: string;
  moniker: string;
  version: string;
  latestBlockHeight: number;
  latestBlockHash: string;
  latestAppHash: string;
  latestBlockTime: string;
  catchingUp: boolean;
  validatorAddress: string;
  votingPower: bigint;
}

interface RawStatus {
  node_info: { id: string; network: string; moniker: string; version: string };
  sync_info: {
    latest_block_height: string;
    latest_block_hash: string;
    latest_app_hash: string;
    latest_block_time: string;
    catching_up: boolean;
  };
  validator_info: { address: string; voting_power: string };
}

export async function status(rpcUrl: string, opts: RpcOptions = {}): Promise<NodeStatus> {
  const raw = (await rpcCall(rpcUrl, 'status', {}, opts)) as RawStatus;
  return {
    nodeId: raw.node_info.id,
    network: raw.node_info.network,
    moniker: raw.node_info.moniker,
    version: raw.node_info.version,
    latestBlockHeight: Number(raw.sync_info.latest_block_height),
    latestBlockHash: raw.sync_info.latest_block_hash,
    latestAppHash: raw.sync_info.latest_app_hash,
    latestBlockTime: raw.sync_info.latest_block_time,
    catchingUp: raw.sync_info.catching_up,
    validatorAddress: raw.validator_info.address,
    votingPower: BigInt(raw.validator_info.voting_power),
  };
}

/**
 * The height the application has committed, from `abci_info`. It can trail `status`'s
 * latest_block_height: CometBFT stores a block before the app has executed and committed it, and
 * queries against the app fail until it has.
 */
export async function appHeight(rpcUrl: string, opts: RpcOptions = {}): Promise<number> {
  const raw = (await rpcCall(rpcUrl, 'abci_info', {}, opts)) as { response: { last_block_height?: string } };
  return Number(raw.response.last_block_height ?? '0');
}

export interface WaitOptions {
  signal?: AbortSignal;
  intervalMs?: number;
}

// Resolves with the height the node's app has committed once it is >= `height`, so the state at
// that height can be queried.
export async function waitForHeight(rpcUrl: string, height: number, timeoutMs: number, opts: WaitOptions = {}): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let seen: number | undefined;
  let lastError: Error | undefined;
  for (;;) {
    opts.signal?.throwIfAborted();
    const left = deadline - performance.now();
    try {
      seen = await appHeight(rpcUrl, { timeoutMs: Math.max(100, Math.min(2_000, left)), ...(opts.signal ? { signal: opts.signal } : {}) });
      lastError = undefined;
      if (seen >= height) return seen;
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      lastError = error as Error;
    }
    if (performance.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(opts.intervalMs ?? 100, Math.max(0, deadline - performance.now()))));
  }
  const why =
    lastError !== undefined
      ? `the node is not answering (${lastError.message}); is it running?`
      : `it is at height ${String(seen)}`;
  throw new HeightTimeoutError(`CometBFT at ${rpcUrl} did not reach height ${height} within ${timeoutMs} ms: ${why}`);
}
