// Helpers for tests that run a real multi-validator localnet: CosmJS clients for its keys, CometBFT
// RPC views of the validator set and of who signed a block, and bounded polling.
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { rpcCall } from '../../node/cometbft/rpc.ts';
import type { Localnet } from '../../localnet/index.ts';

/** CosmJS's default types plus MsgUnjail, which its defaults lack. */
export const validatorRegistry = new Registry([...defaultRegistryTypes, [MsgUnjail.typeUrl, MsgUnjail]]);

export interface Signer {
  readonly address: string;
  readonly client: SigningStargateClient;
}

export async function signer(rpcUrl: string, mnemonic: string): Promise<Signer> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'cairn' });
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(rpcUrl, wallet, {
    gasPrice: GasPrice.fromString('0.025ucairn'),
    registry: validatorRegistry,
    broadcastPollIntervalMs: 200,
  });
  return { address: account!.address, client };
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Polls `check` until it returns a value for as long as `progress` (a height) keeps rising: a loaded
 * machine makes blocks slowly and a stuck chain makes none, so this fails once `progress` has not
 * risen for `stallMs`, or after `maxMs` in all, naming `what` and where it stalled.
 */
export async function whileProgressing<T>(what: string, limits: { stallMs: number; maxMs: number }, progress: () => Promise<number>, check: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const start = Date.now();
  let best = -1;
  let movedAt = start;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    const now = await progress().catch(() => best);
    if (now > best) {
      best = now;
      movedAt = Date.now();
    }
    if (Date.now() - movedAt > limits.stallMs) throw new Error(`gave up waiting for ${what}: no progress past ${best} for ${limits.stallMs} ms`);
    if (Date.now() - start > limits.maxMs) throw new Error(`timed out after ${limits.maxMs} ms waiting for ${what} (reached ${best})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** CometBFT's current validator set: upper-case hex address → voting power. */
export async function validatorSet(rpcUrl: string, height?: number): Promise<Map<string, bigint>> {
  const params: Record<string, string> = { per_page: '100' };
  if (height !== undefined) params['height'] = String(height);
  const r = (await rpcCall(rpcUrl, 'validators', params)) as { validators: { address: string; voting_power: string }[] };
  return new Map(r.validators.map((v) => [v.address, BigInt(v.voting_power)]));
}

/** Addresses whose commit signature for block `height` is in block `height + 1`'s last commit. */
export async function signersOf(rpcUrl: string, height: number): Promise<Set<string>> {
  const r = (await rpcCall(rpcUrl, 'commit', { height: String(height) })) as {
    signed_header: { commit: { signatures: { block_id_flag: number; validator_address: string }[] } };
  };
  return new Set(r.signed_header.commit.signatures.filter((s) => s.block_id_flag === 2).map((s) => s.validator_address));
}

export async function latestHeight(rpcUrl: string): Promise<number> {
  const r = (await rpcCall(rpcUrl, 'status', {})) as { sync_info: { latest_block_height: string } };
  return Number(r.sync_info.latest_block_height);
}

/** App hashes in the headers of blocks [from, to] as one node has them. */
async function appHashes(rpcUrl: string, from: number, to: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let max = to; max >= from; max -= 20) {
    const min = Math.max(from, max - 19);
    const r = (await rpcCall(rpcUrl, 'blockchain', { minHeight: String(min), maxHeight: String(max) })) as {
      block_metas: { header: { height: string; app_hash: string } }[];
    };
    for (const m of r.block_metas) out.set(Number(m.header.height), m.header.app_hash);
  }
  return out;
}

/**
 * Compares every height's app hash across the named nodes (those that have the height): returns the
 * heights where they disagree and how many heights were compared.
 */
export async function compareAppHashes(net: Localnet, names: readonly string[]): Promise<{ compared: number; disagreements: number[] }> {
  const tops = await Promise.all(names.map((n) => latestHeight(net.rpcUrl(n))));
  const upTo = Math.min(...tops);
  const byNode = await Promise.all(names.map((n) => appHashes(net.rpcUrl(n), 1, upTo)));
  const disagreements: number[] = [];
  for (let h = 1; h <= upTo; h++) {
    const seen = new Set(byNode.map((m) => m.get(h)));
    if (seen.size !== 1 || seen.has(undefined)) disagreements.push(h);
  }
  return { compared: upTo, disagreements };
}

/** One scrape of a Prometheus endpoint: series (name with labels, as written) → value. */
export async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** Sums a series over several endpoints (0 where it is absent). */
export async function scrapeSum(urls: readonly string[], series: string): Promise<number> {
  const all = await Promise.all(urls.map((u) => scrape(u)));
  return all.reduce((n, m) => n + (m.get(series) ?? 0), 0);
}
