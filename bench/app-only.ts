// The app alone, without CometBFT or RPC: node bench/app-only.ts
//
// Drives a CairnApp on a LevelDB store through the calls CometBFT makes for a steady stream of bank
// sends (CheckTx of the next block's txs while the current block is decided, FinalizeBlock, Commit,
// ReCheckTx of what is left), and times each. Their sum per tx is the most one JS thread can do,
// whatever CometBFT does; the component table says where a CheckTx's time goes. Each CheckTx and
// FinalizeBlock response is framed as the ABCI server frames it (node/abci/fast-response.ts): that is
// the app thread's work too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { CheckTxType, type Response } from 'cosmjs-types/tendermint/abci/types';
import { CairnApp } from '../node/app.ts';
import { AddressCodec } from '../core/framework/address.ts';
import { sha256 } from '../core/crypto/hash.ts';
import { verifySecp256k1 } from '../core/crypto/secp256k1.ts';
import { silentLogger } from '../node/log.ts';
import { printAllocations, startAllocationSampling } from './profile.ts';
import { CommitStore } from '../core/store/commit-store.ts';
import { decodeTx } from '../core/tx/decode.ts';
import { encodeResponse } from '../node/abci/codec.ts';
import { encodeCheckTxFrame, encodeFinalizeBlockFrame } from '../node/abci/fast-response.ts';
import { finalizeRequest, fundedAppState } from './chain.ts';
import { type BenchAccount, makeAccounts, signSend } from './txs.ts';
import { fmt } from './stats.ts';

const ACCOUNTS = 2_000;
const BLOCK_TXS = 1_000;
const BLOCKS = 6;
const CHAIN_ID = 'cairn-bench-app';
const GENESIS_SECONDS = 1_800_000_000n;

export interface AppOnlyFigures {
  readonly checkUs: number;
  readonly recheckUs: number;
  readonly finalizeUsPerTx: number;
  readonly commitMsPerBlock: number;
  readonly ceilingTxPerSecond: number;
  /** The JS thread's CPU time (user + system) per tx over the timed blocks: steadier than wall time on a shared machine. */
  readonly cpuUsPerTx: number;
  /** The process's other threads (V8's collector and compiler helpers, libuv's LevelDB work) over the same blocks. */
  readonly otherThreadsCpuUsPerTx: number;
  readonly blockTxs: number;
  readonly blocks: number;
}

function timeEach(n: number, fn: (i: number) => unknown): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - start) / n) * 1000;
}

async function main(): Promise<void> {
  const accounts = makeAccounts(ACCOUNTS);
  accounts.forEach((a, i) => (a.accountNumber = BigInt(i)));
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-app-'));
  const store = await CommitStore.open({ path: dir, keepRecent: 0, pruneInterval: 10 });
  try {
    const app = new CairnApp({ store, logger: silentLogger, minGasPrices: '0.025ucairn' });
    await app.load();
    const state = fundedAppState(accounts.map((a) => ({ address: a.address, amount: 1_000_000_000n })));
    await app.initChain({
      time: { seconds: GENESIS_SECONDS, nanos: 0 },
      chainId: CHAIN_ID,
      consensusParams: undefined as never,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
      initialHeight: 1n,
    });
    // Account numbers from state, as a wallet would get them (genesis order is not assumed).
    for (const a of accounts) {
      const any = (await app.accounts.get(store.working, new AddressCodec('cairn').decode(a.address)))?.base;
      if (any === undefined) throw new Error(`${a.address} missing after InitChain`);
      a.accountNumber = any.accountNumber;
    }
    await finalize(app, 1n, []);

    // Block b's txs: BLOCK_TXS sends, from accounts in turn.
    const blocks: Uint8Array[][] = [];
    let k = 0;
    for (let b = 0; b <= BLOCKS; b++) {
      const txs: Uint8Array[] = [];
      for (let i = 0; i < BLOCK_TXS; i++, k++) {
        const from = accounts[k % ACCOUNTS] as BenchAccount;
        const to = accounts[(k + 1) % ACCOUNTS] as BenchAccount;
        txs.push(signSend({ from, to: to.address, amount: 1n, memo: '', sequence: from.sequence++, chainId: CHAIN_ID }));
      }
      blocks.push(txs);
    }

    let checkMs = 0;
    let recheckMs = 0;
    let finalizeMs = 0;
    let commitMs = 0;
    let failures = 0;
    const check = async (txs: readonly Uint8Array[], type: CheckTxType): Promise<number> => {
      const start = performance.now();
      for (const tx of txs) {
        const res = await app.checkTx({ tx, type });
        encodeCheckTxFrame(res);
        if (res.code !== 0) failures++;
      }
      return performance.now() - start;
    };
    checkMs += await check(blocks[0] as Uint8Array[], CheckTxType.NEW);
    const sampling = process.argv.includes('--alloc') ? await startAllocationSampling() : undefined;
    const cpu = process.threadCpuUsage();
    const processCpu = process.cpuUsage();
    const windowStart = process.hrtime.bigint() / 1000n;
    for (let b = 0; b < BLOCKS; b++) {
      // The next block's txs arrive while this one is decided, then are rechecked after Commit.
      checkMs += await check(blocks[b + 1] as Uint8Array[], CheckTxType.NEW);
      let t = performance.now();
      const res = await app.finalizeBlock(request(BigInt(b + 2), blocks[b] as Uint8Array[]));
      encodeFinalizeBlockFrame(res);
      finalizeMs += performance.now() - t;
      failures += res.txResults.filter((r) => r.code !== 0).length;
      t = performance.now();
      await app.commit();
      commitMs += performance.now() - t;
      recheckMs += await check(blocks[b + 1] as Uint8Array[], CheckTxType.RECHECK);
    }
    const cpuUsed = process.threadCpuUsage(cpu);
    const processCpuUsed = process.cpuUsage(processCpu);
    const windowEnd = process.hrtime.bigint() / 1000n;
    const allocations = await sampling?.stop();
    if (failures > 0) throw new Error(`${failures} txs failed; the figures would be meaningless`);
    const checkUs = (checkMs / ((BLOCKS + 1) * BLOCK_TXS)) * 1000;
    const recheckUs = (recheckMs / (BLOCKS * BLOCK_TXS)) * 1000;
    const finalizeUsPerTx = (finalizeMs / (BLOCKS * BLOCK_TXS)) * 1000;
    const commitMsPerBlock = commitMs / BLOCKS;
    const perTxUs = checkUs + recheckUs + finalizeUsPerTx + (commitMsPerBlock * 1000) / BLOCK_TXS;
    const figures: AppOnlyFigures = {
      checkUs,
      recheckUs,
      finalizeUsPerTx,
      commitMsPerBlock,
      ceilingTxPerSecond: 1e6 / perTxUs,
      cpuUsPerTx: (cpuUsed.user + cpuUsed.system) / (BLOCKS * BLOCK_TXS),
      otherThreadsCpuUsPerTx: (processCpuUsed.user + processCpuUsed.system - cpuUsed.user - cpuUsed.system) / (BLOCKS * BLOCK_TXS),
      blockTxs: BLOCK_TXS,
      blocks: BLOCKS,
    };
    console.log(`${BLOCKS} blocks of ${BLOCK_TXS} bank sends from ${ACCOUNTS} accounts, LevelDB store, one ReCheckTx per tx:\n`);
    console.log('| call | time | per tx |');
    console.log('|---|---:|---:|');
    console.log(`| CheckTx (new) | ${fmt(checkMs)} ms | ${fmt(checkUs)} µs |`);
    console.log(`| FinalizeBlock | ${fmt(finalizeMs / BLOCKS)} ms per block | ${fmt(finalizeUsPerTx)} µs |`);
    console.log(`| Commit | ${fmt(commitMsPerBlock, 1)} ms per block | ${fmt((commitMsPerBlock * 1000) / BLOCK_TXS)} µs |`);
    console.log(`| ReCheckTx | ${fmt(recheckMs)} ms | ${fmt(recheckUs)} µs |`);
    console.log(`| **sum: one JS thread's ceiling** | | **${fmt(perTxUs)} µs → ${fmt(figures.ceilingTxPerSecond)} tx/s** |`);
    console.log(`\nCPU time of the JS thread over the ${BLOCKS} blocks: ${fmt(figures.cpuUsPerTx)} µs per tx (${fmt(1e6 / figures.cpuUsPerTx)} tx/s per core); its other threads (V8's collector and compiler, LevelDB): ${fmt(figures.otherThreadsCpuUsPerTx)} µs per tx.`);
    // The timed blocks on the monotonic clock a `node --cpu-prof` profile's timestamps use, to cut it to them.
    console.log(`\nTimed window (monotonic µs): ${windowStart}–${windowEnd}`);
    if (allocations !== undefined) printAllocations('Allocated in the timed blocks (sampled, collected objects included)', allocations, BLOCKS * BLOCK_TXS);
    console.log(`\nJSON ${JSON.stringify(figures)}`);
    await components(app, blocks[0]?.[0] as Uint8Array, accounts[0] as BenchAccount);
    await responseEncoding(app, blocks[BLOCKS] as Uint8Array[]);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function request(height: bigint, txs: Uint8Array[]): Parameters<CairnApp['finalizeBlock']>[0] {
  return finalizeRequest(height, GENESIS_SECONDS + height, txs);
}

async function finalize(app: CairnApp, height: bigint, txs: Uint8Array[]): Promise<void> {
  await app.finalizeBlock(request(height, txs));
  await app.commit();
}

/** The pieces of one bank send's CheckTx, each timed alone (µs per call, median of 5 runs). */
async function components(app: CairnApp, tx: Uint8Array, account: BenchAccount): Promise<void> {
  const codec = new AddressCodec('cairn');
  const bytes = codec.decode(account.address);
  const decoded = decodeTx(tx, app.txDecoding);
  const signature = decoded.raw.signatures[0] as Uint8Array;
  const digest = sha256(tx);
  const base = BaseAccount.fromPartial({ address: account.address, accountNumber: 7n, sequence: 9n });
  const N = 20_000;
  const rows: [string, () => unknown, string][] = [
    ['decodeTx (TxRaw, canonical re-encode, TxBody, AuthInfo, MsgSend, unknown-field checks)', () => decodeTx(tx, app.txDecoding), 'once per CheckTx/FinalizeBlock tx'],
    ['verifySecp256k1', () => verifySecp256k1(account.pubkey, digest, signature), 'CheckTx (new) and FinalizeBlock'],
    ['bech32 decode (AddressCodec.decode)', () => codec.decode(account.address), 'several per tx'],
    ['bech32 encode (AddressCodec.encode)', () => codec.encode(bytes), 'several per tx (events, ensure)'],
    ['BaseAccount.encode().finish() (cosmjs-types)', () => BaseAccount.encode(base).finish(), 'each protobuf encode'],
  ];
  console.log('\nComponents (each alone, µs per call):\n');
  console.log('| component | µs | where |');
  console.log('|---|---:|---|');
  for (const [name, fn, where] of rows) {
    const runs = Array.from({ length: 5 }, () => timeEach(N / 5, fn)).sort((a, b) => a - b);
    console.log(`| ${name} | ${(runs[2] as number).toFixed(1)} | ${where} |`);
  }
}

/**
 * The ABCI framing of a bank send's two responses, cosmjs-types' writer against the one-pass encoder
 * the server uses (the same bytes): µs of this thread's CPU per tx, median of 5 runs.
 */
async function responseEncoding(app: CairnApp, txs: Uint8Array[]): Promise<void> {
  const check = await app.checkTx({ tx: txs[0] as Uint8Array, type: CheckTxType.NEW });
  const block = await app.finalizeBlock(request(BigInt(BLOCKS + 2), txs));
  const cpuUs = (n: number, fn: () => unknown): number => {
    const runs = Array.from({ length: 5 }, () => {
      const start = process.threadCpuUsage();
      for (let i = 0; i < n; i++) fn();
      const used = process.threadCpuUsage(start);
      return (used.user + used.system) / n;
    });
    return runs.sort((a, b) => a - b)[2] as number;
  };
  const rows: [string, number, number][] = [
    ['CheckTx response (code and gas, no events)', cpuUs(4_000, () => encodeResponse({ checkTx: check } as Response)), cpuUs(4_000, () => encodeCheckTxFrame(check))],
    [
      `FinalizeBlock response, per tx (${txs.length} txs, ten events each)`,
      cpuUs(4, () => encodeResponse({ finalizeBlock: block } as Response)) / txs.length,
      cpuUs(4, () => encodeFinalizeBlockFrame(block)) / txs.length,
    ],
  ];
  console.log('\nABCI response framing (µs of CPU per tx):\n');
  console.log('| response | cosmjs-types writer | one pass (node/abci/fast-response.ts, used) |');
  console.log('|---|---:|---:|');
  for (const [name, old, now] of rows) console.log(`| ${name} | ${old.toFixed(1)} | ${now.toFixed(1)} |`);
}

await main();
