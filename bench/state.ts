// State size and restart (issue 18): one validator (the app as a child process, `cairn start
// --abci-only`, and a real CometBFT beside it, as a localnet runs them) on a genesis with many
// accounts, registered operators and, with --batches, receipt batches (state-genesis.ts). It times
// the genesis (written as text, streamed), the app's start (its dry-run InitChain of the genesis)
// and the real InitChain, samples the app's RSS after start and after some blocks of bank sends,
// times auth, bank and receipts Batch queries over RPC abci_query, then
// SIGKILLs the app and CometBFT together, as a validator's crash would, restarts both and times
// the kill to the next block the app commits, then loads the restarted node again (RSS and block
// costs of a node that did not build the state itself). The same run on a small state comes first
// (unless --no-baseline) so block costs can be read against it. Prints figure | value | target | met?.
//
//   node bench/state.ts [--accounts 100000] [--operators 10000] [--batches 0] [--rate 200] [--seconds 60]
//                       [--queries 1000] [--no-baseline] [--keep-home]
//                       [--plain-process] (the app without node/process.json's flags and environment)
//                       [--app-flags "--flag ..."] (more Node flags for the app, for A/B runs)
//                       [--profile DIR]   (a V8 CPU profile of each app process that exits cleanly:
//                                          the restarted one, stopped with SIGTERM at the end)
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryBatchRequest, QueryBatchResponse } from '../proto/gen/cairn/receipts/v1/query.ts';
import { type CometbftProcess, repairIndex, startCometbft } from '../node/cometbft/process.ts';
import { genesisPath } from '../node/cometbft/genesis.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { rpcCall, status, waitForHeight } from '../node/cometbft/rpc.ts';
import { editAppConfig, readAppConfig } from '../node/config.ts';
import { nodeProcessSettings } from '../node/memory.ts';
import { waitForPort } from '../localnet/processes.ts';
import { createBenchHome } from './chain.ts';
import { fillerAddress, writeBigGenesis } from './state-genesis.ts';
import { cpuSeconds, machineBusySeconds, peakRssMiB, rssMiB, rssParts } from './proc.ts';
import { type TargetRow, metCell, targetTable } from './targets.ts';
import { type BenchAccount, makeAccounts, signSend } from './txs.ts';
import { fmt, percentile } from './stats.ts';

const CLI = fileURLToPath(new URL('../cli/cairn.ts', import.meta.url));
const SIGNER_AMOUNT = 10n ** 9n; // the whole state stays under emission's max_supply

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    operators: { type: 'string', default: '10000' },
    batches: { type: 'string', default: '0' },
    signers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    // A minute: the memory target is RSS under sustained load, and over the first ~10 s the
    // caches are still filling (README, "Twelfth round").
    seconds: { type: 'string', default: '60' },
    queries: { type: 'string', default: '1000' },
    'no-baseline': { type: 'boolean', default: false },
    profile: { type: 'string' },
    'app-flags': { type: 'string', default: '' },
    'plain-process': { type: 'boolean', default: false },
    'keep-home': { type: 'boolean', default: false },
  },
});
const int = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got ${String(args[name])}`);
  return n;
};

interface LoadFigures {
  readonly accepted: number;
  readonly committedTxs: number;
  readonly blocks: number;
  readonly finalizeMs: number;
  readonly commitMs: number;
  readonly intervalMs: number;
  readonly rssMiB: number;
  readonly peakMiB: number;
  /** The app process's CPU seconds (all its threads) from the first send to the last commit. */
  readonly appCpuS: number;
}

interface ChainFigures {
  readonly accounts: number;
  readonly operators: number;
  readonly batches: number;
  readonly genesisMiB: number;
  readonly genesisWriteS: number;
  readonly appListenS: number;
  /** CometBFT's start to its RPC answering (after InitChain on a new chain), then to height 1. */
  readonly cometStartS: number;
  readonly initChainS: number;
  readonly initChainCallS: number;
  readonly firstCommitS: number;
  readonly rssStartMiB: number;
  /** Over every query; byKind the p99 of each kind alone (account, balance, batch). */
  readonly queryMs: { p50: number; p99: number; max: number; perS: number; byKind: readonly number[] };
  readonly query8Ms: ChainFigures['queryMs'];
  readonly load: LoadFigures;
  readonly loadAfterRestart: LoadFigures;
  readonly appListenAfterKillS: number;
  readonly cometAfterKillS: number;
  readonly killToBlockS: number;
  readonly rssRestartMiB: number;
}

// Child processes this run started; killed if it exits any other way.
const children = new Set<{ kill(signal?: NodeJS.Signals): unknown }>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


/** The app as a detached child writing to <home>/app.log, as a localnet starts it. */
function spawnApp(home: string): ChildProcess {
  const fd = openSync(join(home, 'app.log'), 'a');
  try {
    const profile = args.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args.profile}`];
    // As the `cairn` command starts it (node/process.json), unless --plain-process; then --app-flags.
    const settings = args['plain-process'] ? { flags: [], env: process.env } : nodeProcessSettings();
    const flags = [...settings.flags, ...args['app-flags'].split(' ').filter((f) => f !== '')];
    const child = spawn(process.execPath, [...flags, ...profile, CLI, 'start', '--abci-only', '--home', home], { stdio: ['ignore', fd, fd], env: settings.env });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  } finally {
    closeSync(fd);
  }
}

function alive(child: ChildProcess): () => boolean {
  return () => child.exitCode === null && child.signalCode === null;
}

async function abciQuery(rpcUrl: string, path: string, data: Uint8Array): Promise<Uint8Array> {
  const r = (await rpcCall(rpcUrl, 'abci_query', { path, data: Buffer.from(data).toString('hex') }, { timeoutMs: 10_000 })) as { response: { code?: number; value?: string; log?: string } };
  if ((r.response.code ?? 0) !== 0) throw new Error(`${path}: code ${r.response.code}: ${r.response.log}`);
  return Buffer.from(r.response.value ?? '', 'base64');
}

async function accountNumber(rpcUrl: string, address: string): Promise<bigint> {
  const res = QueryAccountResponse.decode(await abciQuery(rpcUrl, '/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish()));
  return BaseAccount.decode(res.account!.value).accountNumber;
}

async function balance(rpcUrl: string, address: string): Promise<bigint> {
  const res = QueryBalanceResponse.decode(await abciQuery(rpcUrl, '/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address, denom: 'ucairn' }).finish()));
  return BigInt(res.balance?.amount ?? '0');
}

async function batchAmount(rpcUrl: string, id: bigint): Promise<bigint> {
  const res = QueryBatchResponse.decode(await abciQuery(rpcUrl, '/cairn.receipts.v1.Query/Batch', QueryBatchRequest.encode({ id }).finish()));
  if (res.batch?.id !== id) throw new Error(`batch ${id}: the answer holds batch ${res.batch?.id}`);
  return BigInt(res.batch.amount?.amount ?? '0');
}

/**
 * Auth Account and bank Balance queries of accounts spread over the whole state and, when there are
 * batches, receipts Batch queries (what a watcher or an explorer reads) of batches spread over all
 * of them, in turn, `concurrency` at a time.
 */
async function queryBurst(rpcUrl: string, n: number, addressAt: (i: number) => string, count: number, batches: number, concurrency: number): Promise<ChainFigures['queryMs']> {
  const latencies: number[] = [];
  const kinds = batches > 0 ? 3 : 2;
  const byKind: number[][] = Array.from({ length: kinds }, () => []);
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) {
      const q = next++;
      const address = addressAt(Math.floor((q * 7_919) % count));
      const t = performance.now();
      if (q % kinds === 0) await accountNumber(rpcUrl, address);
      else if (q % kinds === 1) await balance(rpcUrl, address);
      else await batchAmount(rpcUrl, BigInt(((q * 7_919) % batches) + 1));
      latencies.push(performance.now() - t);
      byKind[q % kinds]!.push(latencies.at(-1)!);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = (performance.now() - started) / 1000;
  for (const l of [latencies, ...byKind]) l.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, perS: n / wall, byKind: byKind.map((l) => percentile(l, 99)) };
}

type Metrics = Map<string, number>;
async function scrape(url: string): Promise<Metrics> {
  const text = await (await fetch(url)).text();
  const m: Metrics = new Map();
  for (const line of text.split('\n')) {
    const hit = /^(cairn_abci_request_duration_seconds_(?:sum|count)\{method="(?:finalize_block|commit|init_chain)"\}|cairn_block_interval_seconds_(?:sum|count)|cairn_tx_results_total\{code="0"[^}]*\}) (\S+)$/.exec(line);
    if (hit) m.set(hit[1]!, (m.get(hit[1]!) ?? 0) + Number(hit[2]));
  }
  return m;
}
/** The app's RSS, its smaps split and V8's own figures (MiB) from its /metrics. */
async function appMemory(pid: number, url: string): Promise<{ rss: number | undefined; parts: ReturnType<typeof rssParts>; v8: (metric: string) => number }> {
  const text = await (await fetch(url)).text();
  const v8 = (metric: string): number => Number(new RegExp(`^${metric} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { rss: rssMiB(pid), parts: rssParts(pid), v8 };
}

/** What the app's RSS is made of. */
async function memoryLine(pid: number, url: string): Promise<string> {
  const { rss, parts: p, v8 } = await appMemory(pid, url);
  const f = (n: number | undefined): string => (n === undefined ? '?' : n.toFixed(0));
  return `RSS ${f(rss)} MiB = glibc heap ${f(p?.heap)} + thread arenas ${f(p?.arenas)} + other anon ${f(p?.anon)} + file ${f(p?.file)} (LevelDB tables ${f(p?.tables)}); V8 heap ${f(v8('nodejs_heap_size_used_bytes'))} used of ${f(v8('nodejs_heap_size_total_bytes'))}, of which new space ${f(v8('nodejs_heap_space_size_total_bytes\\{space="new"\\}'))}; external ${f(v8('nodejs_external_memory_bytes'))}`;
}

/** Its short form for the series during a load: RSS (V8 heap used / committed, glibc, LevelDB tables). */
async function memorySample(pid: number, url: string): Promise<string> {
  const { rss, parts: p, v8 } = await appMemory(pid, url);
  return `${fmt(rss ?? NaN)} (V8 ${fmt(v8('nodejs_heap_size_used_bytes'))}/${fmt(v8('nodejs_heap_size_total_bytes'))}, glibc ${fmt(p === undefined ? NaN : p.heap + p.arenas)}, tables ${fmt(p?.tables ?? NaN)})`;
}

function delta(a: Metrics, b: Metrics, key: string): number {
  return (b.get(key) ?? 0) - (a.get(key) ?? 0);
}
function histMeanMs(a: Metrics, b: Metrics, prefix: string): { mean: number; count: number } {
  const keys = [...b.keys()].filter((k) => k.startsWith(prefix));
  const sum = keys.filter((k) => k.includes('_sum')).reduce((s, k) => s + delta(a, b, k), 0);
  const count = keys.filter((k) => k.includes('_count')).reduce((s, k) => s + delta(a, b, k), 0);
  return { mean: count === 0 ? NaN : (sum / count) * 1000, count };
}

/** Bank sends at `rate` per second for `seconds`, signer k sending every signers/rate seconds (its sequences never race). */
async function sendLoad(rpcUrl: string, chainId: string, signers: BenchAccount[], rate: number, seconds: number, to: (i: number) => string): Promise<number> {
  const txs: Uint8Array[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const from = signers[i % signers.length]!;
    txs.push(signSend({ from, to: to(i), amount: 1n, memo: '', sequence: from.sequence++, chainId }));
  }
  const inFlight = new Set<Promise<void>>();
  let accepted = 0;
  const start = performance.now();
  for (const [i, tx] of txs.entries()) {
    const due = start + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    while (inFlight.size >= 500) await Promise.race(inFlight);
    const p: Promise<void> = rpcCall(rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') }, { timeoutMs: 30_000 })
      .then((r) => {
        if ((r as { code: number }).code === 0) accepted++;
      })
      .catch(() => {})
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return accepted;
}

async function mempoolEmpty(rpcUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = (await rpcCall(rpcUrl, 'num_unconfirmed_txs')) as { total: string };
    if (r.total === '0') return;
    await sleep(200);
  }
  throw new Error(`the mempool did not empty within ${timeoutMs} ms`);
}

async function runChain(label: string, accounts: number, operators: number, batchCount: number): Promise<ChainFigures> {
  const signerCount = Math.min(int('signers'), accounts);
  const fill = accounts - signerCount;
  const signers = makeAccounts(signerCount);
  const log = (msg: string): void => console.error(`[${label} ${new Date().toISOString().slice(11, 19)}] ${msg}`);

  let t = performance.now();
  const bench = await createBenchHome({ funded: signers.map((s) => ({ address: s.address, amount: SIGNER_AMOUNT })), chainId: 'cairn-state-1' });
  const { home, rpcUrl } = bench;
  const [metricsPort] = (await freePorts(1)) as [number];
  await editAppConfig(home, [
    { section: 'metrics', key: 'listen', value: `127.0.0.1:${metricsPort}` },
  ]);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const { abciAddress } = await readAppConfig(home);
  const homeS = (performance.now() - t) / 1000;
  t = performance.now();
  const operatorCount = Math.min(operators, fill);
  const batches = operatorCount === 0 || fill === operatorCount ? 0 : batchCount;
  await writeBigGenesis(home, fill, operatorCount, batches);
  const genesisWriteS = (performance.now() - t) / 1000;
  const genesisMiB = statSync(genesisPath(home)).size / 2 ** 20;
  log(`home ${home}: genesis ${genesisMiB.toFixed(1)} MiB with ${accounts} accounts, ${operatorCount} operators, ${batches} batches, written in ${genesisWriteS.toFixed(1)} s (the home, with its small genesis checked, in ${homeS.toFixed(1)} s)`);

  let app: ChildProcess | undefined;
  let comet: CometbftProcess | undefined;
  const killBoth = async (): Promise<void> => {
    const exited = app !== undefined && alive(app)() ? new Promise((r) => app!.once('exit', r)) : Promise.resolve();
    comet?.kill('SIGKILL');
    app?.kill('SIGKILL');
    await Promise.all([exited, comet?.exited]);
  };
  // appHeight: the app's last height, from which `cairn start` repairs CometBFT's tx index after a kill
  // (its own store's height; here the height CometBFT reported at the kill, which is the same or one
  // more). Without it the repair re-indexes the whole chain, which `cairn start` never does.
  const startBoth = async (appHeight?: number): Promise<{ listenS: number; cometS: number }> => {
    const t0 = performance.now();
    // After a kill CometBFT's tx index is repaired (cometbft reindex-event) while the app starts, as
    // `cairn start` does it.
    const logFile = join(home, 'cometbft.log');
    const indexRepair = repairIndex({ home, logFile, ...(appHeight === undefined ? {} : { appHeight: BigInt(appHeight) }) });
    void indexRepair.catch(() => {});
    app = spawnApp(home);
    await waitForPort(Number(abciAddress.split(':').at(-1)), 600_000, `the app (log: ${join(home, 'app.log')})`, alive(app));
    const listenS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    // On a new chain CometBFT answers RPC only after InitChain, which takes long on a big genesis.
    comet = await startCometbft({ home, logFile, indexRepair, extraArgs: [`--proxy_app=${abciAddress}`], readyTimeoutMs: 600_000 });
    children.add(comet);
    return { listenS, cometS: (performance.now() - t1) / 1000 };
  };

  try {
    const { listenS: appListenS, cometS: cometStartS } = await startBoth();
    log(`app listening after ${appListenS.toFixed(1)} s (it checks the genesis with a dry-run InitChain first)`);
    const t1 = performance.now();
    await waitForHeight(rpcUrl, 1, 600_000);
    const initChainS = (performance.now() - t1) / 1000;
    const atHeight1 = await scrape(metricsUrl);
    const initChainCallS = atHeight1.get('cairn_abci_request_duration_seconds_sum{method="init_chain"}') ?? NaN;
    // The first Commit writes the whole state InitChain built (the commits up to now: one or two).
    const firstCommitS = atHeight1.get('cairn_abci_request_duration_seconds_sum{method="commit"}') ?? NaN;
    log(`CometBFT answering ${cometStartS.toFixed(1)} s after its start (InitChain inside), height 1 committed ${initChainS.toFixed(1)} s later (the InitChain call itself ${initChainCallS.toFixed(1)} s, the first Commit ${firstCommitS.toFixed(1)} s)`);
    await waitForHeight(rpcUrl, 3, 60_000);
    const rssStartMiB = rssMiB(app!.pid!) ?? NaN;
    log(`at height 3: ${await memoryLine(app!.pid!, metricsUrl)}`);

    for (const s of signers) s.accountNumber = await accountNumber(rpcUrl, s.address);
    const addressAt = (i: number): string => (i < fill ? fillerAddress(i) : signers[i - fill]!.address);
    const queryMs = await queryBurst(rpcUrl, int('queries'), addressAt, accounts, batches, 1);
    const query8Ms = await queryBurst(rpcUrl, int('queries'), addressAt, accounts, batches, 8);
    const kinds = (m: ChainFigures['queryMs']): string => m.byKind.map((p) => p.toFixed(1)).join(' / ');
    log(`queries one at a time p50 ${queryMs.p50.toFixed(1)} ms, p99 ${queryMs.p99.toFixed(1)} ms (account / balance / batch: ${kinds(queryMs)}); 8 at a time p50 ${query8Ms.p50.toFixed(1)} ms, p99 ${query8Ms.p99.toFixed(1)} ms (${kinds(query8Ms)})`);

    // Sends to recipients spread over the whole state (on the small state, over its signers), so
    // every block reads and writes leaves all over the tree, not a few cached ones.
    const loadPhase = async (): Promise<LoadFigures> => {
      const before = await scrape(metricsUrl);
      const cpu0 = cpuSeconds(app!.pid!) ?? NaN;
      // RSS every 10 s of the load: whether it levels off (the memory target is "under sustained load").
      const series: string[] = [];
      const t0 = performance.now();
      const sampler = setInterval(() => {
        const at = Math.round((performance.now() - t0) / 1000);
        void memorySample(app!.pid!, metricsUrl).then((m) => series.push(`${at} s ${m}`), () => {});
      }, 10_000);
      let accepted: number;
      try {
        accepted = await sendLoad(rpcUrl, bench.chainId, signers, int('rate'), int('seconds'), (i) => addressAt((i * 104_729) % accounts));
      } finally {
        clearInterval(sampler);
      }
      log(`RSS during the load, MiB: ${series.join(', ')}`);
      await mempoolEmpty(rpcUrl, 120_000);
      const h = (await status(rpcUrl)).latestBlockHeight;
      await waitForHeight(rpcUrl, h + 1, 30_000);
      const after = await scrape(metricsUrl);
      const fin = histMeanOf(before, after, 'finalize');
      const figures: LoadFigures = {
        accepted,
        committedTxs: [...after.keys()].filter((k) => k.startsWith('cairn_tx_results_total')).reduce((s, k) => s + delta(before, after, k), 0),
        blocks: fin.count,
        finalizeMs: fin.mean,
        commitMs: histMeanOf(before, after, 'commit').mean,
        intervalMs: histMeanMs(before, after, 'cairn_block_interval_seconds').mean,
        rssMiB: rssMiB(app!.pid!) ?? NaN,
        peakMiB: peakRssMiB(app!.pid!) ?? NaN,
        appCpuS: (cpuSeconds(app!.pid!) ?? NaN) - cpu0,
      };
      log(`after the load: ${await memoryLine(app!.pid!, metricsUrl)}`);
      log(`load: ${accepted} accepted, ${figures.committedTxs} committed in ${figures.blocks} blocks; FinalizeBlock ${figures.finalizeMs.toFixed(1)} ms, Commit ${figures.commitMs.toFixed(1)} ms, interval ${figures.intervalMs.toFixed(0)} ms; app CPU ${((figures.appCpuS * 1e6) / figures.committedTxs).toFixed(0)} µs a send; RSS ${figures.rssMiB.toFixed(0)} MiB`);
      return figures;
    };
    const load = await loadPhase();

    // The crash: both processes at once, as a machine or container dying takes them.
    const killedAt = (await status(rpcUrl)).latestBlockHeight;
    const tKill = performance.now();
    await killBoth();
    const { listenS: appListenAfterKillS, cometS: cometAfterKillS } = await startBoth(killedAt);
    const resumed = (await status(rpcUrl, { timeoutMs: 10_000 })).latestBlockHeight;
    await waitForHeight(rpcUrl, Math.max(resumed, killedAt) + 1, 120_000, { intervalMs: 20 });
    const killToBlockS = (performance.now() - tKill) / 1000;
    const rssRestartMiB = rssMiB(app!.pid!) ?? NaN;
    log(`after the restart: ${await memoryLine(app!.pid!, metricsUrl)}`);
    log(`SIGKILL at height ${killedAt}: app listening again after ${appListenAfterKillS.toFixed(1)} s, CometBFT answering ${cometAfterKillS.toFixed(1)} s later, next block after ${killToBlockS.toFixed(1)} s`);
    const loadAfterRestart = await loadPhase();

    return {
      accounts,
      operators: operatorCount,
      batches,
      genesisMiB,
      genesisWriteS,
      appListenS,
      cometStartS,
      initChainS,
      initChainCallS,
      firstCommitS,
      rssStartMiB,
      queryMs,
      query8Ms,
      load,
      loadAfterRestart,
      appListenAfterKillS,
      cometAfterKillS,
      killToBlockS,
      rssRestartMiB,
    };
  } finally {
    await comet?.stop().catch(() => {});
    if (app !== undefined && alive(app)()) {
      const exited = new Promise((r) => app!.once('exit', r));
      app.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (alive(app)()) app.kill('SIGKILL');
    }
    if (args['keep-home']) log(`home kept: ${home}`);
    else await rm(home, { recursive: true, force: true });
  }
}

function histMeanOf(a: Metrics, b: Metrics, method: 'finalize' | 'commit'): { mean: number; count: number } {
  const match = (k: string): boolean => k.startsWith('cairn_abci_request_duration_seconds') && (method === 'commit' ? k.includes('"commit"') : /"finalize/.test(k));
  const keys = [...b.keys()].filter(match);
  const sum = keys.filter((k) => k.includes('_sum')).reduce((s, k) => s + delta(a, b, k), 0);
  const count = keys.filter((k) => k.includes('_count')).reduce((s, k) => s + delta(a, b, k), 0);
  return { mean: count === 0 ? NaN : (sum / count) * 1000, count };
}


async function main(): Promise<void> {
  const accounts = int('accounts');
  const operators = int('operators');
  const started = performance.now();
  const busy0 = machineBusySeconds();
  const self0 = cpuSeconds(process.pid);
  const load0 = loadavg()[0]!;
  const small = args['no-baseline'] ? undefined : await runChain('small', Math.min(int('signers'), accounts), 0, 0);
  const big = await runChain('big', accounts, operators, int('batches'));
  const wall = (performance.now() - started) / 1000;
  const others = busy0 === undefined ? NaN : ((machineBusySeconds() ?? 0) - busy0 - ((cpuSeconds(process.pid) ?? 0) - (self0 ?? 0))) / wall;

  const rows: TargetRow[] = [];
  const row = (figure: string, value: string, target = '', met?: boolean): void => void rows.push([figure, value, target, metCell(met)]);
  // The state-size target is 1M accounts and 100k batches; the default run (100k accounts) does not reach that size.
  row(
    'state size',
    `${fmt(big.accounts)} accounts, ${fmt(big.operators)} operators, ${fmt(big.batches)} batches; genesis ${fmt(big.genesisMiB, 1)} MiB written in ${fmt(big.genesisWriteS, 1)} s`,
    '1,000,000 accounts and 100,000 batches start and serve (`--accounts 1000000 --batches 100000`)',
    big.accounts >= 1_000_000 && big.batches >= 100_000 ? true : undefined,
  );
  row('app start on the new chain (dry-run InitChain of the genesis, open, listen)', `${fmt(big.appListenS, 1)} s`);
  row('CometBFT start → RPC answering (InitChain inside); → first block committed', `${fmt(big.cometStartS, 1)} s; + ${fmt(big.initChainS, 1)} s (the InitChain call ${fmt(big.initChainCallS, 1)} s, the first Commit ${fmt(big.firstCommitS, 1)} s)`);
  const mib = 300e6 / 2 ** 20;
  row('app RSS after start (height 3)', `${fmt(big.rssStartMiB)} MiB`, '≤ 300 MB (286 MiB)', big.rssStartMiB <= mib);
  row(`app RSS after ${big.load.blocks} blocks of load (peak over its life)`, `${fmt(big.load.rssMiB)} MiB (${fmt(big.load.peakMiB)})`, '≤ 300 MB (286 MiB)', big.load.rssMiB <= mib);
  row('app RSS after the restart (height + 1)', `${fmt(big.rssRestartMiB)} MiB`, '≤ 300 MB (286 MiB)', big.rssRestartMiB <= mib);
  row(`app RSS after the restart and ${big.loadAfterRestart.blocks} blocks of load (peak)`, `${fmt(big.loadAfterRestart.rssMiB)} MiB (${fmt(big.loadAfterRestart.peakMiB)})` + (small === undefined ? '' : `; small state ${fmt(small.loadAfterRestart.rssMiB)} MiB`), '≤ 300 MB (286 MiB)', big.loadAfterRestart.rssMiB <= mib);
  const q = (m: ChainFigures['queryMs']): string => `${fmt(m.p50, 1)} / ${fmt(m.p99, 1)} / ${fmt(m.max, 1)} ms (${fmt(m.perS)}/s; p99 account / balance${m.byKind.length > 2 ? ' / batch' : ''} ${m.byKind.map((p) => fmt(p, 1)).join(' / ')} ms)`;
  row('queries (auth Account, bank Balance, receipts Batch by RPC abci_query), one client: p50 / p99 / max', q(big.queryMs) + (small === undefined ? '' : `; small state p99 ${fmt(small.queryMs.p99, 1)} ms`), 'p99 ≤ 20 ms', big.queryMs.p99 <= 20);
  row('the same, 8 clients at once', q(big.query8Ms) + (small === undefined ? '' : `; small state p99 ${fmt(small.query8Ms.p99, 1)} ms`));
  const blockRow = (what: string, b: LoadFigures, s: LoadFigures | undefined): void => {
    // Per send, since the same load can fall into blocks of different sizes.
    const cost = (l: LoadFigures): number => ((l.finalizeMs + l.commitMs) * l.blocks * 1000) / l.committedTxs;
    const text = (l: LoadFigures): string => `${fmt(l.finalizeMs)} + ${fmt(l.commitMs)} ms (${fmt(cost(l))} µs a send); ${fmt(l.intervalMs)} ms`;
    row(
      `${what}: FinalizeBlock + Commit per block (per send); block interval (${fmt(b.committedTxs)} sends in ${b.blocks} blocks)`,
      text(b) + (s === undefined ? '' : `; small state ${text(s)}`),
      'about as fast as a small state (≤ 1.5×)',
      s === undefined ? undefined : cost(b) <= 1.5 * cost(s),
    );
  };
  blockRow('load on the new chain', big.load, small?.load);
  blockRow('load after the restart', big.loadAfterRestart, small?.loadAfterRestart);
  const restart = (f: ChainFigures): string => `${fmt(f.appListenAfterKillS, 1)} s; ${fmt(f.cometAfterKillS, 1)} s`;
  row('after SIGKILL of app + CometBFT: app listening again; then CometBFT (its index repair ran meanwhile; start) answering RPC', restart(big) + (small === undefined ? '' : `; small state ${restart(small)}`));
  row('SIGKILL → next block committed', `${fmt(big.killToBlockS, 1)} s` + (small === undefined ? '' : `; small state ${fmt(small.killToBlockS, 1)} s`), '≤ 5 s', big.killToBlockS <= 5);
  row('machine', `load average ${fmt(load0, 1)} at start, ${fmt(loadavg()[0]!, 1)} at end; other processes ${fmt(others, 2)} cores; run ${fmt(wall)} s`);

  console.log(`\n${targetTable(rows)}`);
}

await main();
process.exit(0);
