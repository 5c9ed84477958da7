// Re-executes a chain's committed blocks, fetched from a CometBFT RPC, on a fresh in-memory app and
// compares each resulting app hash with the one CometBFT recorded in the next block's header.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rpcCall } from '../../node/cometbft/rpc.ts';
import { CairnApp } from '../../node/app.ts';
import { silentLogger } from '../../node/log.ts';
import { CommitStore } from '../../core/store/commit-store.ts';
import type { VoteInfo } from 'cosmjs-types/tendermint/abci/types';

/**
 * rpcCall, tried up to three times: a CometBFT RPC under load sometimes closes a kept-alive
 * connection, and a check that reads thousands of blocks must not fail on one such close.
 */
export async function rpcWithRetry(rpcUrl: string, method: string, params: Record<string, unknown>): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rpcCall(rpcUrl, method, params, { timeoutMs: 15_000 });
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

interface RpcBlock {
  block: {
    header: { height: string; time: string; app_hash: string; proposer_address: string };
    data: { txs: string[] | null };
    last_commit: { round: number; signatures: { block_id_flag: number; validator_address: string }[] } | null;
  };
}

/** decided_last_commit as CometBFT gave it to the app: block h's last commit, with powers at h−1. */
async function lastCommit(rpcUrl: string, block: RpcBlock['block'], h: bigint): Promise<{ round: number; votes: VoteInfo[] }> {
  if (h <= 1n || block.last_commit === null) return { round: 0, votes: [] };
  const { validators } = (await rpcWithRetry(rpcUrl, 'validators', { height: String(h - 1n), per_page: '100' })) as { validators: { address: string; voting_power: string }[] };
  const votes = validators.map((v, i) => ({
    validator: { address: Buffer.from(v.address, 'hex'), power: BigInt(v.voting_power) },
    blockIdFlag: block.last_commit!.signatures[i]?.block_id_flag ?? 1,
  }));
  return { round: block.last_commit.round, votes };
}

/** "2026-11-22T08:00:01.123456789Z" → protobuf Timestamp. */
export function parseRfc3339(text: string): { seconds: bigint; nanos: number } {
  const m = /^(.*?)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null) throw new Error(`bad time ${text}`);
  return { seconds: BigInt(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

export interface ReplayResult {
  readonly app: CairnApp;
  /** Heights whose replayed app hash differed from the chain's. */
  readonly mismatches: bigint[];
}

export async function replayChain(home: string, rpcUrl: string, upTo: bigint): Promise<ReplayResult> {
  const genesis = JSON.parse(await readFile(join(home, 'config', 'genesis.json'), 'utf8')) as { chain_id: string; genesis_time: string; app_state: unknown };
  const store = await CommitStore.memory();
  const app = new CairnApp({ store, logger: silentLogger });
  await app.initChain({
    time: parseRfc3339(genesis.genesis_time),
    chainId: genesis.chain_id,
    consensusParams: undefined as never,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state)),
    initialHeight: 1n,
  });
  const mismatches: bigint[] = [];
  for (let h = 1n; h <= upTo; h++) {
    const { block } = (await rpcWithRetry(rpcUrl, 'block', { height: String(h) })) as RpcBlock;
    const next = (await rpcWithRetry(rpcUrl, 'block', { height: String(h + 1n) })) as RpcBlock;
    const res = await app.finalizeBlock({
      txs: (block.data.txs ?? []).map((t) => Buffer.from(t, 'base64')),
      decidedLastCommit: await lastCommit(rpcUrl, block, h),
      misbehavior: [],
      hash: new Uint8Array(32),
      height: h,
      time: parseRfc3339(block.header.time),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: Buffer.from(block.header.proposer_address, 'hex'),
    });
    if (Buffer.from(res.appHash).toString('hex').toUpperCase() !== next.block.header.app_hash) mismatches.push(h);
    await app.commit();
  }
  return { app, mismatches };
}
