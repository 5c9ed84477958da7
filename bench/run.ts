// `npm run bench`: figures for one Cairn validator on this machine, not a test.
//
//  1. Throughput and latency of bank sends through a real CometBFT: the app runs in this process,
//     CometBFT as its child, and a load generator (bench/load.ts) as a second child that sends
//     pre-signed txs with broadcast_tx_sync at increasing offered rates.
//  2. Micro-figures: signature verification (bench/crypto.ts), the state store (bench/store.ts),
//     receipts (bench/receipts.ts) and the operator gateway (bench/gateway.ts).
//  3. Issue 18's other targets: gossip and the watcher (bench/gossip.ts), then state size, memory
//     and restart (bench/state.ts); the run ends with every target's figure in one table.
//
// Options: --rates 250,500,1000,1500,1600,1700,2000  --seconds 10  --accounts 2000  --in-flight 1000
//          --block-ms 1000  --tx-gas 80000  --indexer kv|null  --no-micro  --no-gossip  --no-state
//          --gossip-minutes 1 (its RSS run)  --keep-home  --profile <dir> (a V8 CPU profile of this
//          process, i.e. the app, per phase: sending and draining only)  --survivors (per phase, the
//          allocation sites of what outlived a young collection: what the old generation pays for)
// Bounded: each phase sends for --seconds, then waits at most DRAIN_LIMIT_MS for the mempool to
// empty; a phase that cannot drain ends the run, and no phase starts after PHASES_BUDGET_MS.
// CometBFT is stopped on every exit path (and killed by a watchdog if the run hangs).
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { AUTH_TYPE_URLS } from '../sdk/auth/messages.ts';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { rpcCall, waitForHeight } from '../node/cometbft/rpc.ts';
import type { Logger } from '../node/log.ts';
import { nodeProcessSettings } from '../node/memory.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { createBenchHome } from './chain.ts';
import { printAllocations, startAllocationSampling, startProfile } from './profile.ts';
import { type LoadPhase, type LoadReport, epochMs } from './load.ts';
import type { AppOnlyFigures } from './app-only.ts';
import { AppProbe, cometTxHash, diffTotals, threadCpuMs } from './probe.ts';
import { cpuSeconds, machineBusySeconds, peakRssMiB, rssMiB } from './proc.ts';
import { fmt } from './stats.ts';
import { type TargetRow, targetRows, targetTable } from './targets.ts';
import { type MicroFigures, type PhaseResult, type PhaseSettings, printSummary, printThroughput, summaryLine } from './throughput-report.ts';
import { BENCH_GAS, type BenchAccount, makeAccounts, signSend } from './txs.ts';

// The app runs in this process, so it is started as the `cairn` command starts a node
// (node/process.json: Node flags and glibc malloc settings, which V8 and glibc read only at start),
// or the figures would describe another configuration: the bench starts itself again with them, once.
if (process.env['CAIRN_BENCH_AS_NODE'] === undefined) {
  const settings = nodeProcessSettings();
  const self = spawn(process.execPath, [...settings.flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...settings.env, CAIRN_BENCH_AS_NODE: '1' },
  });
  // Ctrl-C reaches both processes (one process group): the inner one stops CometBFT and exits, and
  // this one waits for it. A SIGTERM is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => self.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => self.once('exit', (c) => resolve(c ?? 1)));
  process.exit(code);
}

const DRAIN_LIMIT_MS = 25_000;
/** Phases that would start after this much of the throughput part are skipped (the run stays ~3 min). */
const PHASES_BUDGET_MS = 130_000;
const WATCHDOG_MS = 5 * 60_000;
const FUNDS = 1_000_000_000n; // 2,000 × this stays under emission's max_supply

const { values: opt } = parseArgs({
  options: {
    // 1,600 and 1,700 beside the target: a phase's committed rate counts its drain (the last txs'
    // ~1 s to their block) over ~11 s, so 1,500 committed a second takes ~1,600 offered.
    rates: { type: 'string', default: '250,500,1000,1500,1600,1700,2000' },
    seconds: { type: 'string', default: '10' },
    accounts: { type: 'string', default: '2000' },
    'in-flight': { type: 'string', default: '1000' },
    'block-ms': { type: 'string', default: '1000' },
    'tx-gas': { type: 'string' },
    'no-micro': { type: 'boolean', default: false },
    'no-gossip': { type: 'boolean', default: false },
    'no-state': { type: 'boolean', default: false },
    'gossip-minutes': { type: 'string', default: '1' },
    'keep-home': { type: 'boolean', default: false },
    profile: { type: 'string' },
    survivors: { type: 'boolean', default: false },
    indexer: { type: 'string', default: 'kv' },
  },
});
const RATES = opt.rates.split(',').map(Number);
const SECONDS = Number(opt.seconds);
const ACCOUNTS = Number(opt.accounts);
const IN_FLIGHT = Number(opt['in-flight']);
const BLOCK_MS = Number(opt['block-ms']);
/** The gas each send declares; under the 100 M block gas limit the default 80,000 packs 1,250 a block. */
const TX_GAS = opt['tx-gas'] === undefined ? BENCH_GAS : BigInt(opt['tx-gas']);
const INDEXER = opt.indexer === 'null' ? 'null' : 'kv';

// Only warnings and errors from the node: its info lines would interleave with the tables.
const logger: Logger = {
  info: () => {},
  warn: (m, f) => console.error(`node warn: ${m} ${JSON.stringify(f ?? {})}`),
  error: (m, f) => console.error(`node error: ${m} ${JSON.stringify(f ?? {})}`),
};

const log = (m: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

// ---------------------------------------------------------------------------------------------

async function throughput(): Promise<{ results: PhaseResult[]; probe: AppProbe; notes: string[]; setup: string[] }> {
  const notes: string[] = [];
  const setup: string[] = [];
  let t = performance.now();
  const accounts = makeAccounts(ACCOUNTS);
  const bench = await createBenchHome({ funded: accounts.map((a) => ({ address: a.address, amount: FUNDS })), blockTimeMs: BLOCK_MS, indexer: INDEXER });
  setup.push(`${ACCOUNTS} funded accounts, home ${bench.home}: ${(performance.now() - t).toFixed(0)} ms`);
  let node: RunningNode | undefined;
  let loader: ChildProcess | undefined;
  const stopAll = async (): Promise<void> => {
    loader?.kill('SIGTERM');
    await node?.stop();
  };
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; stopping CometBFT and exiting`);
    node?.cometbft?.kill('SIGKILL');
    loader?.kill('SIGKILL');
    process.exit(1);
  }, WATCHDOG_MS);
  const onSignal = (): void => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    t = performance.now();
    node = await startNode({ home: bench.home, logger, withCometbft: true });
    const probe = new AppProbe(node.app);
    await waitForHeight(bench.rpcUrl, 2, 60_000);
    setup.push(`node up (InitChain with ${ACCOUNTS} accounts, CometBFT started, height 2): ${(performance.now() - t).toFixed(0)} ms`);

    t = performance.now();
    await fetchAccountNumbers(bench.rpcUrl, accounts);
    const queryMs = performance.now() - t;
    setup.push(`auth Account query for each account over RPC abci_query (16 concurrent): ${Math.round((ACCOUNTS / queryMs) * 1000)} queries/s`);

    loader = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const loaderPid = loader.pid ?? -1;
    const cometPid = node.cometbft?.pid ?? -1;
    const results: PhaseResult[] = [];

    const phasesStart = performance.now();
    for (const [phaseId, rate] of RATES.entries()) {
      if (performance.now() - phasesStart + SECONDS * 1000 > PHASES_BUDGET_MS) {
        notes.push(`Skipped ${RATES.slice(phaseId).join(', ')} tx/s: the phases had used ${fmt((performance.now() - phasesStart) / 1000)} s of their ${PHASES_BUDGET_MS / 1000} s budget.`);
        break;
      }
      const count = Math.round(rate * SECONDS);
      t = performance.now();
      const { txs, hashes } = signPhase(accounts, count, bench.chainId, `bench ${rate}/s`);
      const signMs = performance.now() - t;
      log(`phase ${rate} tx/s: ${count} txs signed in ${signMs.toFixed(0)} ms; sending for ${SECONDS} s`);

      const before = probe.totals();
      const eluBefore = performance.eventLoopUtilization();
      const threadBefore = threadCpuMs();
      const cpuBefore = {
        app: cpuSeconds(process.pid) ?? 0,
        cometbft: cpuSeconds(cometPid) ?? 0,
        loader: cpuSeconds(loaderPid) ?? 0,
        machine: machineBusySeconds() ?? 0,
      };
      const rss = { app: 0, cometbft: 0, loader: 0 };
      const sampleRss = (): void => {
        rss.app = Math.max(rss.app, rssMiB(process.pid) ?? 0);
        rss.cometbft = Math.max(rss.cometbft, rssMiB(cometPid) ?? 0);
        rss.loader = Math.max(rss.loader, rssMiB(loaderPid) ?? 0);
      };
      const sampler = setInterval(sampleRss, 250);
      const wallStart = epochMs();

      const profiler = opt.profile === undefined ? undefined : await startProfile();
      const survivors = opt.survivors ? await startAllocationSampling('survivors') : undefined;
      const phase: LoadPhase = { kind: 'phase', id: phaseId, rpcUrl: bench.rpcUrl, rate, seconds: SECONDS, maxInFlight: IN_FLIGHT, txs };
      const report = await new Promise<LoadReport>((resolve, reject) => {
        const onMessage = (m: LoadReport): void => {
          if (m.kind !== 'report' || m.id !== phaseId) return;
          loader?.off('message', onMessage);
          loader?.off('exit', onExit);
          resolve(m);
        };
        const onExit = (code: number | null): void => reject(new Error(`the load generator exited (code ${String(code)})`));
        loader?.on('message', onMessage);
        loader?.once('exit', onExit);
        loader?.send(phase);
      });
      const drained = await drainMempool(bench.rpcUrl, DRAIN_LIMIT_MS);
      const drainedAt = epochMs();
      const survived = await survivors?.stop();
      if (survived !== undefined) printAllocations(`Outlived a young collection in the ${rate} tx/s phase (sampled; all the app process's allocations)`, survived, count);
      if (profiler !== undefined && opt.profile !== undefined) {
        const file = join(opt.profile, `app-${rate}tps.cpuprofile`);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, JSON.stringify(await profiler.stop()));
        setup.push(`CPU profile of the ${rate} tx/s phase: ${file}`);
      }
      clearInterval(sampler);
      sampleRss();
      const wall = (drainedAt - wallStart) / 1000;
      const app = ((cpuSeconds(process.pid) ?? 0) - cpuBefore.app) / wall;
      const cometbft = ((cpuSeconds(cometPid) ?? 0) - cpuBefore.cometbft) / wall;
      const load = ((cpuSeconds(loaderPid) ?? 0) - cpuBefore.loader) / wall;
      const machine = ((machineBusySeconds() ?? 0) - cpuBefore.machine) / wall;
      const cpu = { app, cometbft, loader: load, others: Math.max(0, machine - app - cometbft - load) };
      const result: PhaseResult = {
        rate,
        report,
        drainedAt,
        drained,
        txHashes: hashes,
        totals: diffTotals(probe.totals(), before),
        elu: performance.eventLoopUtilization(eluBefore).utilization,
        threadCpuMs: threadCpuMs() - threadBefore,
        cpu,
        rss,
        signMs,
      };
      results.push(result);
      advanceSequences(accounts, hashes, probe);
      log(summaryLine(result, probe));
      if (!drained) {
        notes.push(`The ${rate} tx/s phase left txs in the mempool after ${DRAIN_LIMIT_MS / 1000} s of draining; higher rates were not run.`);
        break;
      }
    }
    setup.push(`app RSS peak ${fmt(peakRssMiB(process.pid) ?? 0, 0)} MiB, CometBFT RSS peak ${fmt(peakRssMiB(cometPid) ?? 0, 0)} MiB (VmHWM)`);
    if (INDEXER === 'kv') await checkIndexed(bench.rpcUrl, results, probe, notes);
    return { results, probe, notes, setup };
  } finally {
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
    if (!opt['keep-home']) await rm(bench.home, { recursive: true, force: true });
  }
}

/** Queries every account once: the account number comes from the chain, not from genesis order. */
async function fetchAccountNumbers(rpcUrl: string, accounts: BenchAccount[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const account = accounts[next++] as BenchAccount;
      const data = Buffer.from(QueryAccountRequest.encode({ address: account.address }).finish()).toString('hex');
      const result = (await rpcCall(rpcUrl, 'abci_query', { path: '/cosmos.auth.v1beta1.Query/Account', data, height: '0', prove: false })) as {
        response: { code: number; value?: string; log?: string };
      };
      if (result.response.code !== 0 || result.response.value === undefined) {
        throw new Error(`auth Account query for ${account.address} failed: code ${result.response.code} ${result.response.log ?? ''}`);
      }
      const any = QueryAccountResponse.decode(Buffer.from(result.response.value, 'base64')).account;
      if (any?.typeUrl !== AUTH_TYPE_URLS.BaseAccount) throw new Error(`${account.address} is a ${any?.typeUrl ?? 'missing'} account`);
      const base = BaseAccount.decode(any.value);
      account.accountNumber = base.accountNumber;
      account.sequence = base.sequence;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** tx k goes from account k mod n to the next account: one tx per account per n/rate seconds. */
function signPhase(accounts: BenchAccount[], count: number, chainId: string, memo: string): { txs: string[]; hashes: string[] } {
  const txs: string[] = [];
  const hashes: string[] = [];
  const nextSequence = accounts.map((a) => a.sequence);
  for (let k = 0; k < count; k++) {
    const i = k % accounts.length;
    const from = accounts[i] as BenchAccount;
    const to = accounts[(i + 1) % accounts.length] as BenchAccount;
    const sequence = nextSequence[i] as bigint;
    nextSequence[i] = sequence + 1n;
    const tx = signSend({ from, to: to.address, amount: 1n, memo, sequence, chainId, gas: TX_GAS });
    txs.push(Buffer.from(tx).toString('base64'));
    hashes.push(cometTxHash(tx));
  }
  return { txs, hashes };
}

/** Each tx that reached a block and passed the ante checks used up one sequence of its sender. */
function advanceSequences(accounts: BenchAccount[], hashes: readonly string[], probe: AppProbe): void {
  hashes.forEach((h, k) => {
    const o = probe.outcomes.get(h);
    if (o !== undefined && o.code === 0) {
      const a = accounts[k % accounts.length] as BenchAccount;
      a.sequence += 1n;
    }
  });
}

async function drainMempool(rpcUrl: string, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const r = (await rpcCall(rpcUrl, 'num_unconfirmed_txs', {}, { timeoutMs: 10_000 })) as { n_txs: string };
    if (r.n_txs === '0') return true;
    if (performance.now() > deadline) return false;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * A sample of committed txs must be found by CometBFT's indexer at the height the probe saw. The
 * indexer runs after Commit, so a tx of the last block may need a moment.
 */
async function checkIndexed(rpcUrl: string, results: readonly PhaseResult[], probe: AppProbe, notes: string[]): Promise<void> {
  let checked = 0;
  const problems: string[] = [];
  for (const r of results) {
    const step = Math.max(1, Math.floor(r.txHashes.length / 5));
    for (const [i, h] of r.txHashes.entries()) {
      if (i % step !== 0) continue;
      const o = probe.outcomes.get(h);
      if (o === undefined || o.code !== 0) continue;
      checked++;
      const found = await findTx(rpcUrl, h);
      if (found === undefined) problems.push(`tx ${h} (${r.rate} tx/s phase, height ${o.height}) is not found by RPC \`tx\``);
      else if (found.height !== o.height || found.code !== 0) {
        problems.push(`tx ${h}: the app saw it at height ${o.height} code ${o.code}, RPC \`tx\` says height ${found.height} code ${found.code}`);
      }
    }
  }
  notes.push(`Cross-check: ${checked - problems.length} of ${checked} sampled committed txs found by RPC \`tx\` at the height and code the probe recorded.`);
  notes.push(...problems);
}

async function findTx(rpcUrl: string, h: string): Promise<{ height: number; code: number } | undefined> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    try {
      const tx = (await rpcCall(rpcUrl, 'tx', { hash: Buffer.from(h, 'hex').toString('base64') })) as { height: string; tx_result: { code: number } };
      return { height: Number(tx.height), code: tx.tx_result.code };
    } catch (err) {
      if (performance.now() > deadline) return undefined;
      if (!String((err as Error).message).includes('not found')) throw err;
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Micro-figures: the other bench scripts, run as they are.

function runScript(file: string, args: readonly string[] = [], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${file} exited with code ${String(code)}:\n${out}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------

const started = performance.now();
console.log(`# Cairn bench — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at start`);
console.log(`The app runs as a node is started (node/process.json): ${[...process.execArgv, ...Object.keys(nodeProcessSettings({}).env).map((k) => `${k}=${process.env[k] ?? ''}`)].join(' ')}`);
const { results, probe, notes, setup } = await throughput();
console.log('\n## Setup (before measuring)\n');
for (const s of setup) console.log(`- ${s}`);
for (const r of results) console.log(`- ${r.rate} tx/s phase: ${r.report.codes.length} txs signed in ${fmt(r.signMs)} ms (libsecp256k1)`);
const settings: PhaseSettings = { seconds: SECONDS, blockMs: BLOCK_MS, txGas: TX_GAS, inFlight: IN_FLIGHT, accounts: ACCOUNTS, indexer: INDEXER };
printThroughput(results, probe, settings);
for (const n of notes) console.log(`\n${n}`);

const micro: MicroFigures = {};
if (!opt['no-micro']) {
  console.log('\n## The app alone, no CometBFT (bench/app-only.ts)\n');
  const appOnly = await runScript('./app-only.ts');
  const json = /^JSON (.*)$/m.exec(appOnly)?.[1];
  if (json !== undefined) micro.appOnly = JSON.parse(json) as AppOnlyFigures;
  console.log(appOnly.replace(/^JSON .*\n?/m, '').trim());
  console.log('\n## Signature verification and hashing (bench/crypto.ts)\n');
  const crypto = await runScript('./crypto.ts');
  const verify = /^\| verifySecp256k1 \(Cairn[^|]*\| ([\d,]+) \|/m.exec(crypto)?.[1];
  if (verify !== undefined) micro.verifiesPerSecond = Number(verify.replace(/,/g, ''));
  console.log(crypto.trim());
  console.log('\n## State store (bench/store.ts)\n');
  const store = await runScript('./store.ts');
  micro.treeUpdates = /^tree updates[^:]*: (\S+)/m.exec(store)?.[1];
  micro.commit10k = /^commit of a 10k-write block: median (\d+ ms)/m.exec(store)?.[1];
  console.log(store.trim());
  console.log('\n## Receipts: batches, proofs and on-chain cost (bench/receipts.ts)\n');
  console.log((await runScript('./receipts.ts')).trim());
  console.log('\n## Operator gateway: added latency, requests/s, receipts signed/s (bench/gateway.ts)\n');
  console.log((await runScript('./gateway.ts')).trim());
}
// Issue 18's other targets: gossip and the watcher, then state size, memory and restart. Each
// script ends with its figure | value | target | met? table; the rows are gathered at the end.
const targets: TargetRow[] = [];
if (!opt['no-gossip']) {
  const minutes = Number(opt['gossip-minutes']);
  console.log(`\n## Gossip and the watcher (bench/gossip.ts --minutes ${minutes})\n`);
  const gossip = await runScript('./gossip.ts', ['--minutes', String(minutes)], 180_000 + minutes * 60_000);
  targets.push(...targetRows(gossip));
  console.log(gossip.trim());
}
if (!opt['no-state']) {
  console.log('\n## State size, memory and restart (bench/state.ts)\n');
  const state = await runScript('./state.ts', [], 600_000);
  targets.push(...targetRows(state));
  console.log(state.trim());
}
targets.unshift(printSummary(results, probe, micro, settings));
console.log(`\n## Issue 18's targets\n\n${targetTable(targets)}`);
console.log(`\nTotal bench time ${fmt((performance.now() - started) / 1000, 0)} s.`);
