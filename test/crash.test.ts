// A validator killed with SIGKILL in the middle of a stream of transactions restarts, CometBFT
// replays what the app had not committed, and every app hash and balance matches the chain's.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CometbftProcess, startCometbft } from '../node/cometbft/process.ts';
import { runCli } from '../cli/main.ts';
import { waitForPort } from '../localnet/processes.ts';
import { checkGenesisFile } from '../node/genesis.ts';
import { memoryIo } from './support/cli-io.ts';
import { rpcCall, status, waitForHeight } from '../node/cometbft/rpc.ts';
import { replayChain } from './support/replay.ts';
import { createTestHome, type TestHome } from './support/node-home.ts';
import { sendMsg, signTx, testWallet, type TestWallet } from './support/wallets.ts';

const CLI = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
let home: TestHome;
let alice: TestWallet;
let carol: TestWallet;
let app: ChildProcess | undefined;
let comet: CometbftProcess | undefined;


async function startBoth(): Promise<void> {
  const log = openSync(join(home.home, 'app.log'), 'a');
  app = spawn(process.execPath, [CLI, 'start', '--abci-only', '--home', home.home], { stdio: ['ignore', log, log] });
  await waitForPort(Number(home.abciAddress.split(':').at(-1)), 90_000, `the app (log: ${home.home}/app.log)`, () => app?.exitCode === null);
  comet = await startCometbft({ home: home.home, extraArgs: [`--proxy_app=${home.abciAddress}`] });
}

async function killBoth(signal: NodeJS.Signals): Promise<void> {
  const exited = app ? new Promise((r) => app!.once('exit', r)) : Promise.resolve();
  if (signal === 'SIGKILL') {
    comet?.kill('SIGKILL');
    app?.kill('SIGKILL');
    await comet?.exited;
  } else {
    await comet?.stop();
    app?.kill('SIGTERM');
  }
  await exited;
  app = undefined;
  comet = undefined;
}

async function balanceAt(rpcUrl: string, address: string): Promise<bigint> {
  const { QueryBalanceRequest, QueryBalanceResponse } = await import('cosmjs-types/cosmos/bank/v1beta1/query');
  const data = Buffer.from(QueryBalanceRequest.encode({ address, denom: 'ucairn' }).finish()).toString('hex');
  const r = (await rpcCall(rpcUrl, 'abci_query', { path: '/cosmos.bank.v1beta1.Query/Balance', data })) as { response: { value: string; height: string } };
  return BigInt(QueryBalanceResponse.decode(Buffer.from(r.response.value, 'base64')).balance!.amount);
}

beforeAll(async () => {
  [alice, carol] = await Promise.all([testWallet(0), testWallet(2)]);
  home = await createTestHome([{ address: alice.address, amount: 10n ** 12n }]);
  await startBoth();
  await waitForHeight(home.rpcUrl, 2, 30_000);
});

afterAll(async () => {
  await killBoth('SIGKILL').catch(() => {});
});

describe('a node that crashes', () => {
  it('restarts after SIGKILL during a tx stream and reaches the same app hashes and balances', async () => {
    const txs: Uint8Array[] = [];
    for (let seq = 0n; seq < 40n; seq++) {
      txs.push(await signTx(alice, [sendMsg(alice.address, carol.address, '1000')], { chainId: home.chainId, accountNumber: 0n, sequence: seq }));
    }
    let sent = 0;
    for (const tx of txs) {
      await rpcCall(home.rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') }).catch(() => {});
      sent++;
      if (sent === 25) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    await killBoth('SIGKILL');
    // CometBFT indexes txs after each commit, asynchronously: a kill can leave committed blocks out
    // of the tx index. Here the worst case, the whole index lost on a chain younger than the repair's
    // window (the last 10 blocks after a kill); the restart must rebuild it.
    await rm(join(home.home, 'data', 'tx_index.db'), { recursive: true, force: true });

    await startBoth();
    const before = (await status(home.rpcUrl)).latestBlockHeight;
    await waitForHeight(home.rpcUrl, before + 3, 30_000);
    // Txs lost from the mempool by the crash can be sent again; the chain must accept the rest in order.
    for (const tx of txs) await rpcCall(home.rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') }).catch(() => {});
    const deadline = Date.now() + 30_000;
    while ((await balanceAt(home.rpcUrl, carol.address)) < 40_000n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    expect(await balanceAt(home.rpcUrl, carol.address)).toBe(40_000n);

    // Replay up to a height past the one that included the last tx (replay needs the next header's app hash).
    const included = (await status(home.rpcUrl)).latestBlockHeight;
    await waitForHeight(home.rpcUrl, included + 2, 30_000);
    const latest = BigInt(included + 1);
    // Every committed tx is found by hash, as CosmJS getTx looks it up, including those before the kill.
    for (const tx of txs) {
      const hash = createHash('sha256').update(tx).digest('hex').toUpperCase();
      const found = (await rpcCall(home.rpcUrl, 'tx', { hash: Buffer.from(hash, 'hex').toString('base64') })) as { height: string };
      expect(Number(found.height)).toBeGreaterThan(0);
    }
    const replay = await replayChain(home.home, home.rpcUrl, latest - 1n);
    expect(replay.mismatches).toEqual([]);
    expect(await replay.app.bank.balance(replay.app.store.committed, replay.app.addresses.decode(carol.address), 'ucairn')).toBe(40_000n);
  });

  it('resumes at the same height after a clean stop', async () => {
    const stoppedAt = (await status(home.rpcUrl)).latestBlockHeight;
    await killBoth('SIGTERM');
    // A clean stop leaves nothing to repair: the next start does not re-index.
    expect(existsSync(join(home.home, 'data', 'cairn-cometbft.running'))).toBe(false);
    await startBoth();
    const loads = [...(await readFile(join(home.home, 'app.log'), 'utf8')).matchAll(/"height":"(\d+)"[^\n]*"msg":"app loaded"/g)];
    const resumed = Number(loads.at(-1)![1]);
    // CometBFT stops first, so the app has committed exactly what CometBFT last reported (or one more).
    expect(resumed).toBeGreaterThanOrEqual(stoppedAt);
    expect(resumed).toBeLessThanOrEqual(stoppedAt + 1);
    await waitForHeight(home.rpcUrl, resumed + 2, 30_000);
  });

  it("exports its state as a new chain's genesis once stopped, at the last height or an earlier one", async () => {
    // While the node runs its database is locked: the export says so and changes nothing.
    const busy = memoryIo();
    expect(await runCli(['genesis', 'export', '--home', home.home], busy)).not.toBe(0);
    expect(busy.stderrText()).toMatch(/already running on .*stop it first/);

    await killBoth('SIGTERM');
    const file = join(home.home, 'exported.json');
    const io = memoryIo();
    expect(await runCli(['genesis', 'export', '--home', home.home, '--output-document', file], io)).toBe(0);
    const { doc } = await checkGenesisFile(file);
    const balances = (doc.app_state as { bank: { balances: { address: string; coins: { amount: string }[] }[] } }).bank.balances;
    expect(balances.find((b) => b.address === carol.address)?.coins[0]?.amount).toBe('40000');
    const last = BigInt(doc.initial_height) - 1n;

    const early = memoryIo();
    expect(await runCli(['genesis', 'export', '--home', home.home, '--height', '2'], early)).toBe(0);
    const earlyDoc = JSON.parse(early.stdoutText()) as { initial_height: string; app_state: typeof doc.app_state };
    expect(earlyDoc.initial_height).toBe('3');
    expect(BigInt(doc.initial_height)).toBe(last + 1n);
    const earlyBalances = (earlyDoc.app_state as typeof doc.app_state & { bank: { balances: { address: string }[] } }).bank.balances;
    expect(earlyBalances.some((b) => b.address === carol.address)).toBe(false);
  });
});
