// State size and restart (issue 18): one validator (the app as a child process, `cairn start
// --abci-only`, and a real CometBFT beside it, as a localnet runs them) on a genesis with many
// accounts and registered operators. It times the genesis (written as text, streamed), the app's
// start (its dry-run InitChain of the genesis) and the real InitChain, samples the app's RSS after
// start and after some blocks of bank sends, times auth and bank queries over RPC abci_query, then
// SIGKILLs the app and CometBFT together, as a validator's crash would, restarts both and times
// the kill to the next block the app commits. The same run on a small state comes first (unless
// --no-baseline) so block costs can be read against it. Prints figure | value | target | met?.
//
//   node bench/state.ts [--accounts 100000] [--operators 10000] [--rate 200] [--seconds 10]
//                       [--queries 2000] [--no-baseline] [--keep-home]
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync, statSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { toBech32 } from '@cosmjs/encoding';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { moduleAddress } from '../core/framework/address.ts';
import { BONDS_ACCOUNT } from '../modules/registry/keys.ts';
import { type CometbftProcess, startCometbft } from '../node/cometbft/process.ts';
import { genesisPath } from '../node/cometbft/genesis.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { rpcCall, status, waitForHeight } from '../node/cometbft/rpc.ts';
import { editAppConfig, readAppConfig } from '../node/config.ts';
import { createBenchHome } from './chain.ts';
import { cpuSeconds, machineBusySeconds, peakRssMiB, rssMiB } from './proc.ts';
import { type BenchAccount, makeAccounts, signSend } from './txs.ts';

const CLI = fileURLToPath(new URL('../cli/cairn.ts', import.meta.url));
const FILL_AMOUNT = 1_000_000n;
const SIGNER_AMOUNT = 10n ** 9n; // the whole state stays under emission's max_supply
const OPERATOR_BOND = 100_000_000n;

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    operators: { type: 'string', default: '10000' },
    signers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    queries: { type: 'string', default: '1000' },
    'no-baseline': { type: 'boolean', default: false },
    'keep-home': { type: 'boolean', default: false },
  },
});
const int = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got ${String(args[name])}`);
  return n;
};

interface ChainFigures {
  readonly accounts: number;
  readonly operators: number;
  readonly genesisMiB: number;
  readonly genesisWriteS: number;
  readonly appListenS: number;
  readonly initChainS: number;
  readonly initChainCallS: number;
  readonly rssStartMiB: number;
  readonly rssLoadMiB: number;
  readonly peakMiB: number;
  readonly queryMs: { p50: number; p99: number; max: number; perS: number };
  readonly query8Ms: ChainFigures['queryMs'];
  readonly committedTxs: number;
  readonly blocks: number;
  readonly finalizeMs: number;
  readonly commitMs: number;
  readonly intervalMs: number;
  readonly appListenAfterKillS: number;
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

/** Filler account i: a 20-byte address no key signs for, distinct from the random signers'. */
function fillerAddress(i: number): string {
  const raw = new Uint8Array(20);
  raw.set([0x57, 0x41, 0x54, 0x45]); // a fixed tag, then the index
  new DataView(raw.buffer).setUint32(16, i);
  return toBech32('cairn', raw);
}

/**
 * The bench home's genesis plus `fill` accounts (the first `operators` of them registered
 * operators, their bonds held by the registry's bonds account). The small document is serialized
 * with a placeholder in each list and the big lists are streamed in its place as text, so a
 * million accounts cost string concatenation, not a JSON tree of a million objects.
 */
async function writeBigGenesis(home: string, fill: number, operators: number): Promise<void> {
  const path = genesisPath(home);
  const doc = JSON.parse(await readFile(path, 'utf8')) as { app_state: Record<string, Record<string, unknown>> };
  const state = doc.app_state;
  const auth = state['auth'] as { accounts: unknown[] };
  const bank = state['bank'] as { balances: unknown[]; supply: { denom: string; amount: string }[] };
  const registry = state['registry'] as { operators?: unknown[] };
  const bonds = toBech32('cairn', moduleAddress(BONDS_ACCOUNT));
  const firstNumber = auth.accounts.length;
  const bonded = BigInt(operators) * OPERATOR_BOND;
  if (operators > 0) {
    auth.accounts.push({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address: bonds, pub_key: null, account_number: String(firstNumber + fill), sequence: '0' });
    bank.balances.push({ address: bonds, coins: [{ denom: 'ucairn', amount: bonded.toString() }] });
  }
  const supply = BigInt(bank.supply.find((c) => c.denom === 'ucairn')?.amount ?? '0') + BigInt(fill) * FILL_AMOUNT + bonded;
  bank.supply = [{ denom: 'ucairn', amount: supply.toString() }];
  auth.accounts.push('@ACCOUNTS@');
  bank.balances.push('@BALANCES@');
  registry.operators = [...(registry.operators ?? []), '@OPERATORS@'];
  const text = JSON.stringify(doc);
  const addresses = Array.from({ length: fill }, (_, i) => fillerAddress(i));
  const lists: Record<string, (i: number) => string> = {
    '"@ACCOUNTS@"': (i) => `{"@type":"/cosmos.auth.v1beta1.BaseAccount","address":"${addresses[i]}","pub_key":null,"account_number":"${firstNumber + i}","sequence":"0"}`,
    '"@BALANCES@"': (i) => `{"address":"${addresses[i]}","coins":[{"denom":"ucairn","amount":"${FILL_AMOUNT}"}]}`,
    '"@OPERATORS@"': (i) => operatorJson(addresses[i]!, i),
  };
  const counts: Record<string, number> = { '"@ACCOUNTS@"': fill, '"@BALANCES@"': fill, '"@OPERATORS@"': operators };
  const file = await open(path, 'w');
  try {
    let rest = text;
    for (;;) {
      const at = Math.min(...Object.keys(lists).map((k) => (rest.indexOf(k) < 0 ? Infinity : rest.indexOf(k))));
      if (at === Infinity) break;
      const key = Object.keys(lists).find((k) => rest.startsWith(k, at))!;
      let head = rest.slice(0, at);
      const n = counts[key]!;
      // The placeholder was pushed last: drop its separating comma when its list adds nothing.
      if (n === 0 && head.endsWith(',')) head = head.slice(0, -1);
      await file.write(head);
      for (let i = 0; i < n; i += 10_000) {
        const chunk: string[] = [];
        for (let j = i; j < Math.min(n, i + 10_000); j++) chunk.push(lists[key]!(j));
        await file.write((i === 0 ? '' : ',') + chunk.join(','));
      }
      rest = rest.slice(at + key.length);
    }
    await file.write(rest);
  } finally {
    await file.close();
  }
}

function operatorJson(address: string, i: number): string {
  const key = Buffer.alloc(32, 0x5a);
  key.writeUInt32BE(i, 0);
  const operator = {
    address,
    moniker: `op-${i}`,
    endpoints: [`https://op-${i}.example.com`],
    region: 'eu-west',
    linked_hosts: [],
    receipt_key: key.toString('base64'),
    receipt_key_since: '0',
    bond: { denom: 'ucairn', amount: OPERATOR_BOND.toString() },
    status: 'OPERATOR_STATUS_ACTIVE',
    reputation: '0',
    registered_height: '0',
    jailed_until: '0',
  };
  return JSON.stringify({ operator, gpus: [], retired_receipt_keys: [], unbonding: [], serves: [], current_attestations: [] });
}

async function waitForPort(address: string, timeoutMs: number, alive: () => boolean, log: string): Promise<void> {
  const [, host, port] = /^tcp:\/\/(.+):(\d+)$/.exec(address)!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(Number(port), host!, () => {
        s.destroy();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (ok) return;
    if (!alive()) throw new Error(`the app exited before listening on ${address}; see ${log}`);
    if (Date.now() > deadline) throw new Error(`the app did not listen on ${address} within ${timeoutMs} ms; see ${log}`);
    await sleep(20);
  }
}

/** The app as a detached child writing to <home>/app.log, as a localnet starts it. */
function spawnApp(home: string): ChildProcess {
  const fd = openSync(join(home, 'app.log'), 'a');
  try {
    const child = spawn(process.execPath, [CLI, 'start', '--abci-only', '--home', home], { stdio: ['ignore', fd, fd] });
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Alternating auth Account and bank Balance queries of accounts spread over the whole state, `concurrency` at a time. */
async function queryBurst(rpcUrl: string, n: number, addressAt: (i: number) => string, count: number, concurrency: number): Promise<ChainFigures['queryMs']> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) {
      const q = next++;
      const address = addressAt(Math.floor((q * 7_919) % count));
      const t = performance.now();
      if (q % 2 === 0) await accountNumber(rpcUrl, address);
      else await balance(rpcUrl, address);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, perS: n / wall };
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

async function runChain(label: string, accounts: number, operators: number): Promise<ChainFigures> {
  const signerCount = Math.min(int('signers'), accounts);
  const fill = accounts - signerCount;
  const signers = makeAccounts(signerCount);
  const log = (msg: string): void => console.error(`[${label} ${new Date().toISOString().slice(11, 19)}] ${msg}`);

  let t = performance.now();
  const bench = await createBenchHome({ funded: signers.map((s) => ({ address: s.address, amount: SIGNER_AMOUNT })), chainId: 'cairn-state-1' });
  const { home, rpcUrl } = bench;
  const [metricsPort] = (await freePorts(1)) as [number];
  await editAppConfig(home, [{ section: 'metrics', key: 'listen', value: `127.0.0.1:${metricsPort}` }]);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const { abciAddress } = await readAppConfig(home);
  const homeS = (performance.now() - t) / 1000;
  t = performance.now();
  await writeBigGenesis(home, fill, Math.min(operators, fill));
  const genesisWriteS = (performance.now() - t) / 1000;
  const genesisMiB = statSync(genesisPath(home)).size / 2 ** 20;
  log(`home ${home}: genesis ${genesisMiB.toFixed(1)} MiB with ${accounts} accounts, ${Math.min(operators, fill)} operators, written in ${genesisWriteS.toFixed(1)} s (the home, with its small genesis checked, in ${homeS.toFixed(1)} s)`);

  let app: ChildProcess | undefined;
  let comet: CometbftProcess | undefined;
  const killBoth = async (): Promise<void> => {
    const exited = app !== undefined && alive(app)() ? new Promise((r) => app!.once('exit', r)) : Promise.resolve();
    comet?.kill('SIGKILL');
    app?.kill('SIGKILL');
    await Promise.all([exited, comet?.exited]);
  };
  const startBoth = async (): Promise<{ listenS: number }> => {
    const t0 = performance.now();
    app = spawnApp(home);
    await waitForPort(abciAddress, 600_000, alive(app), join(home, 'app.log'));
    const listenS = (performance.now() - t0) / 1000;
    comet = await startCometbft({ home, logFile: join(home, 'cometbft.log'), extraArgs: [`--proxy_app=${abciAddress}`] });
    children.add(comet);
    return { listenS };
  };

  try {
    const { listenS: appListenS } = await startBoth();
    log(`app listening after ${appListenS.toFixed(1)} s (it checks the genesis with a dry-run InitChain first)`);
    const t1 = performance.now();
    await waitForHeight(rpcUrl, 1, 600_000);
    const initChainS = (performance.now() - t1) / 1000;
    const initChainCallS = (await scrape(metricsUrl)).get('cairn_abci_request_duration_seconds_sum{method="init_chain"}') ?? NaN;
    log(`height 1 committed ${initChainS.toFixed(1)} s after CometBFT started (InitChain + the first block; the InitChain call itself ${initChainCallS.toFixed(1)} s)`);
    await waitForHeight(rpcUrl, 3, 60_000);
    const rssStartMiB = rssMiB(app!.pid!) ?? NaN;

    for (const s of signers) s.accountNumber = await accountNumber(rpcUrl, s.address);
    const addressAt = (i: number): string => (i < fill ? fillerAddress(i) : signers[i - fill]!.address);
    const queryMs = await queryBurst(rpcUrl, int('queries'), addressAt, accounts, 1);
    const query8Ms = await queryBurst(rpcUrl, int('queries'), addressAt, accounts, 8);
    log(`queries one at a time p50 ${queryMs.p50.toFixed(1)} ms, p99 ${queryMs.p99.toFixed(1)} ms; 8 at a time p50 ${query8Ms.p50.toFixed(1)} ms, p99 ${query8Ms.p99.toFixed(1)} ms`);

    const before = await scrape(metricsUrl);
    const accepted = await sendLoad(rpcUrl, bench.chainId, signers, int('rate'), int('seconds'), (i) => addressAt(Math.floor((i * 104_729) % Math.max(1, fill))));
    await mempoolEmpty(rpcUrl, 120_000);
    const h = (await status(rpcUrl)).latestBlockHeight;
    await waitForHeight(rpcUrl, h + 1, 30_000);
    const after = await scrape(metricsUrl);
    const rssLoadMiB = rssMiB(app!.pid!) ?? NaN;
    const peakMiB = peakRssMiB(app!.pid!) ?? NaN;
    const fin = histMeanOf(before, after, 'finalize');
    const com = histMeanOf(before, after, 'commit');
    const interval = histMeanMs(before, after, 'cairn_block_interval_seconds');
    const committedTxs = [...after.keys()].filter((k) => k.startsWith('cairn_tx_results_total')).reduce((s, k) => s + delta(before, after, k), 0);
    log(`load: ${accepted} accepted, ${committedTxs} committed in ${fin.count} blocks; FinalizeBlock ${fin.mean.toFixed(1)} ms, Commit ${com.mean.toFixed(1)} ms; RSS ${rssLoadMiB.toFixed(0)} MiB`);

    // The crash: both processes at once, as a machine or container dying takes them.
    const killedAt = (await status(rpcUrl)).latestBlockHeight;
    const tKill = performance.now();
    await killBoth();
    const { listenS: appListenAfterKillS } = await startBoth();
    const resumed = (await status(rpcUrl, { timeoutMs: 10_000 })).latestBlockHeight;
    await waitForHeight(rpcUrl, Math.max(resumed, killedAt) + 1, 120_000, { intervalMs: 20 });
    const killToBlockS = (performance.now() - tKill) / 1000;
    const rssRestartMiB = rssMiB(app!.pid!) ?? NaN;
    log(`SIGKILL at height ${killedAt}: app listening again after ${appListenAfterKillS.toFixed(1)} s, next block after ${killToBlockS.toFixed(1)} s`);

    return {
      accounts,
      operators: Math.min(operators, fill),
      genesisMiB,
      genesisWriteS,
      appListenS,
      initChainS,
      initChainCallS,
      rssStartMiB,
      rssLoadMiB,
      peakMiB,
      queryMs,
      query8Ms,
      committedTxs,
      blocks: fin.count,
      finalizeMs: fin.mean,
      commitMs: com.mean,
      intervalMs: interval.mean,
      appListenAfterKillS,
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

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');

async function main(): Promise<void> {
  const accounts = int('accounts');
  const operators = int('operators');
  const started = performance.now();
  const busy0 = machineBusySeconds();
  const self0 = cpuSeconds(process.pid);
  const load0 = loadavg()[0]!;
  const small = args['no-baseline'] ? undefined : await runChain('small', Math.min(int('signers'), accounts), 0);
  const big = await runChain('big', accounts, operators);
  const wall = (performance.now() - started) / 1000;
  const others = busy0 === undefined ? NaN : ((machineBusySeconds() ?? 0) - busy0 - ((cpuSeconds(process.pid) ?? 0) - (self0 ?? 0))) / wall;

  const rows: [string, string, string, string][] = [];
  const row = (figure: string, value: string, target = '', met?: boolean): void => void rows.push([figure, value, target, met === undefined ? '' : met ? 'yes' : '**no**']);
  row('state', `${fmt(big.accounts)} accounts, ${fmt(big.operators)} operators; genesis ${fmt(big.genesisMiB, 1)} MiB written in ${fmt(big.genesisWriteS, 1)} s`);
  row('app start on the new chain (dry-run InitChain of the genesis, open, listen)', `${fmt(big.appListenS, 1)} s`);
  row('CometBFT start → first block committed (InitChain inside)', `${fmt(big.initChainS, 1)} s (InitChain ${fmt(big.initChainCallS, 1)} s)`);
  row('app RSS after start (height 3)', `${fmt(big.rssStartMiB)} MiB`, '≤ 300 MB (286 MiB)', big.rssStartMiB * 2 ** 20 <= 300e6);
  row(`app RSS after ${big.blocks} blocks of load (peak over its life)`, `${fmt(big.rssLoadMiB)} MiB (${fmt(big.peakMiB)})`, '≤ 300 MB (286 MiB)', big.rssLoadMiB * 2 ** 20 <= 300e6);
  row('app RSS after the restart', `${fmt(big.rssRestartMiB)} MiB`);
  const q = (m: ChainFigures['queryMs']): string => `${fmt(m.p50, 1)} / ${fmt(m.p99, 1)} / ${fmt(m.max, 1)} ms (${fmt(m.perS)}/s)`;
  row('queries (auth Account, bank Balance by RPC abci_query), one client: p50 / p99 / max', q(big.queryMs) + (small === undefined ? '' : `; small state p99 ${fmt(small.queryMs.p99, 1)} ms`), 'p99 ≤ 20 ms', big.queryMs.p99 <= 20);
  row('the same, 8 clients at once', q(big.query8Ms) + (small === undefined ? '' : `; small state p99 ${fmt(small.query8Ms.p99, 1)} ms`));
  const smallBlock = small === undefined ? NaN : small.finalizeMs + small.commitMs;
  const bigBlock = big.finalizeMs + big.commitMs;
  row(
    `FinalizeBlock + Commit per block (${fmt(big.committedTxs)} sends in ${big.blocks} blocks)`,
    `${fmt(big.finalizeMs, 1)} + ${fmt(big.commitMs, 1)} ms` + (small === undefined ? '' : `; small state (${fmt(small.accounts)} accounts): ${fmt(small.finalizeMs, 1)} + ${fmt(small.commitMs, 1)} ms`),
    'about as fast as a small state (≤ 1.5×)',
    small === undefined ? undefined : bigBlock <= 1.5 * smallBlock,
  );
  row('block interval under load (timeout_commit 1 s)', `${fmt(big.intervalMs)} ms` + (small === undefined ? '' : `; small state ${fmt(small.intervalMs)} ms`));
  row('after SIGKILL of app + CometBFT: app listening again', `${fmt(big.appListenAfterKillS, 1)} s` + (small === undefined ? '' : `; small state ${fmt(small.appListenAfterKillS, 1)} s`));
  row('SIGKILL → next block committed', `${fmt(big.killToBlockS, 1)} s` + (small === undefined ? '' : `; small state ${fmt(small.killToBlockS, 1)} s`), '≤ 5 s', big.killToBlockS <= 5);
  row('machine', `load average ${fmt(load0, 1)} at start, ${fmt(loadavg()[0]!, 1)} at end; other processes ${fmt(others, 2)} cores; run ${fmt(wall)} s`);

  console.log('\n| figure | value | target | met? |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

await main();
process.exit(0);
