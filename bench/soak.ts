// `npm run soak [-- --minutes 60] [--tps 20] [--keep-recent N]`: a 4-validator localnet with a GPU operator under a
// steady load (bank sends from four wallets at a fixed rate) and steady gossip (a fresh 200-receipt
// batch, signed by the playground's payer and operator, published to a random node every 5 s), for
// an hour by default. Each minute it samples every validator's app (RSS, V8 heap, event-loop lag p99
// from its /metrics), CometBFT's RSS and the block time, and at the end prints the growth of each
// after the first 10 minutes. Not part of `npm test`; bounded, loopback only, stops itself.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { Localnet, libp2pAddress } from '../localnet/index.ts';
import { editAppConfig } from '../node/config.ts';
import { silentLogger } from '../node/log.ts';
import { publishBatch } from '../node/p2p/publish.ts';
import { buildBatch, signReceipt } from '../sdk/index.ts';
import { ed25519FromSeed } from '../sdk/ed25519.ts';
import { latestHeight, scrape, validatorRegistry } from '../test/support/localnet.ts';
import { receiptId, unsignedReceipt } from '../test/support/receipts-fixtures.ts';
import { MNEMONICS } from '../test/support/wallets.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, tps: { type: 'string', default: '20' }, 'keep-recent': { type: 'string' } } });
const MINUTES = Number(values.minutes);
const TPS = Number(values.tps);
const CAIRN = 1_000_000n;
const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A /proc/<pid>/status field in bytes (VmRSS, RssAnon, RssFile), NaN when the process is gone. */
async function statusBytes(pid: number | undefined, field: 'VmRSS' | 'RssAnon' | 'RssFile'): Promise<number> {
  if (pid === undefined) return NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
}

const wallets = await Promise.all(MNEMONICS.map((m) => DirectSecp256k1HdWallet.fromMnemonic(m, { prefix: 'cairn' })));
const addresses = await Promise.all(wallets.map(async (w) => (await w.getAccounts())[0]!.address));
const home = await mkdtemp(join(tmpdir(), 'cairn-soak-'));
const net = await Localnet.create({
  dir: join(home, 'net'),
  validators: 4,
  operators: 1,
  accounts: addresses.map((address) => ({ address, amount: 1_000_000n * CAIRN })),
});
// A pruned validator's database stops growing once old versions are pruned; an archive node's grows
// with the chain, and so do the file pages LevelDB maps from it (--keep-recent 0 keeps everything).
if (values['keep-recent'] !== undefined) {
  for (const n of net.nodes) await editAppConfig(n.home, [{ section: 'pruning', key: 'keep-recent', value: Number(values['keep-recent']) }]);
}
let stopping = false;
process.once('SIGINT', () => (stopping = true));
try {
  console.log(`soak: ${MINUTES} min, ${TPS} sends/s and a 200-receipt batch gossiped every 5 s, 4 validators, pruning keep-recent ${values['keep-recent'] ?? 'as configured'} (${net.dir})`);
  await net.up({ timeoutMs: 180_000, killOnExit: true });
  const validators = net.nodes.map((n) => n.name);
  const rpc = (i: number): string => net.rpcUrl(validators[i % validators.length]!);
  const deadline = Date.now() + MINUTES * 60_000;
  const done = (): boolean => stopping || Date.now() > deadline;
  let sent = 0;
  let refused = 0;
  let gossiped = 0;

  // ---- steady sends: each wallet signs with its own sequence and broadcasts at TPS/4 ----
  const load = wallets.map(async (wallet, i) => {
    const client = await SigningStargateClient.connectWithSigner(rpc(i), wallet, { registry: validatorRegistry });
    const chainId = await client.getChainId();
    const account = await client.getAccount(addresses[i]!);
    let sequence = account!.sequence;
    const interval = (1000 * wallets.length) / TPS;
    while (!done()) {
      const started = Date.now();
      try {
        const signed = await client.sign(addresses[i]!, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: addresses[i]!, toAddress: addresses[(i + 1) % addresses.length]!, amount: [{ denom: 'ucairn', amount: '1' }] } }], { amount: [{ denom: 'ucairn', amount: '3000' }], gas: '120000' }, '', { accountNumber: account!.accountNumber, sequence, chainId });
        await client.broadcastTxSync(TxRaw.encode(signed).finish());
        sequence++;
        sent++;
      } catch {
        refused++;
        sequence = (await client.getAccount(addresses[i]!).catch(() => undefined))?.sequence ?? sequence;
      }
      await sleep(Math.max(0, interval - (Date.now() - started)));
    }
    client.disconnect();
  });

  // ---- steady gossip: fresh batches from the playground's operator ----
  const playground = net.manifest.playground!;
  const seed = async (file: string) => ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex')));
  const operator = playground.operators[0]!;
  const party = { chainId: net.chainId, operator: operator.address, payer: playground.payer.address, payerKey: await seed(playground.payer.payerKeyFile), operatorKey: await seed(operator.receiptKeyFile) };
  const gossip = (async () => {
    let n = 0;
    while (!done()) {
      try {
        const receipts = Array.from({ length: 200 }, () => {
          const r = unsignedReceipt(party, n, { id: receiptId(n++, 'soak'), modelId: playground.model });
          return signReceipt(signReceipt(r, 'payer', party.payerKey), 'operator', party.operatorKey);
        });
        const peer = (await libp2pAddress(net.node(validators[n % validators.length]!)))!;
        const height = BigInt(await latestHeight(rpc(0)));
        if ((await publishBatch({ chainId: net.chainId, height, batch: buildBatch(receipts), signer: party.operatorKey, peers: [peer], logger: silentLogger })) > 0) gossiped++;
      } catch {
        // a node busy or restarting: the next batch goes elsewhere
      }
      await sleep(5_000);
    }
  })();

  // ---- a sample per minute ----
  // The app's RSS in two parts: private memory (heap, buffers, LevelDB's block cache) and file pages
  // (LevelDB maps its table files: those pages grow with the database and the kernel reclaims them).
  interface Sample { minute: number; height: number; blockMs: number; app: number[]; anon: number[]; file: number[]; heap: number[]; lag: number[]; comet: number[] }
  const samples: Sample[] = [];
  let last = { height: await latestHeight(rpc(0)), at: Date.now() };
  console.log('min  height  block ms  app RSS MiB (per node)   private MiB      file MiB         heap MiB        lag p99 ms    CometBFT RSS MiB   sent/refused/batches');
  for (let minute = 1; !done(); minute++) {
    await sleep(Math.min(60_000, Math.max(0, deadline - Date.now())));
    const height = await latestHeight(rpc(0)).catch(() => last.height);
    const metrics = await Promise.all(validators.map((v) => scrape(net.metricsUrl(v)).catch(() => new Map<string, number>())));
    const s: Sample = {
      minute,
      height,
      blockMs: height > last.height ? Math.round((Date.now() - last.at) / (height - last.height)) : NaN,
      app: metrics.map((m) => m.get('process_resident_memory_bytes') ?? NaN),
      anon: await Promise.all(validators.map((v) => statusBytes(net.node(v).pids?.app, 'RssAnon'))),
      file: await Promise.all(validators.map((v) => statusBytes(net.node(v).pids?.app, 'RssFile'))),
      heap: metrics.map((m) => m.get('nodejs_heap_size_used_bytes') ?? NaN),
      lag: metrics.map((m) => (m.get('nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000),
      comet: await Promise.all(validators.map((v) => statusBytes(net.node(v).pids?.cometbft, 'VmRSS'))),
    };
    last = { height, at: Date.now() };
    samples.push(s);
    console.log(`${String(minute).padStart(3)}  ${String(height).padStart(6)}  ${String(s.blockMs).padStart(8)}  ${s.app.map(mib).join(' ').padEnd(24)} ${s.anon.map(mib).join(' ').padEnd(16)} ${s.file.map(mib).join(' ').padEnd(16)} ${s.heap.map(mib).join(' ').padEnd(15)} ${s.lag.map((x) => x.toFixed(0)).join(' ').padEnd(13)} ${s.comet.map(mib).join(' ').padEnd(18)} ${sent}/${refused}/${gossiped}`);
  }
  stopping = true;
  await Promise.all([...load, gossip]);

  // ---- growth after the first 10 minutes ----
  const base = samples.find((s) => s.minute === 10) ?? samples[0];
  const end = samples.at(-1);
  if (base !== undefined && end !== undefined) {
    const growth = (a: number[], b: number[]): string => a.map((x, i) => `${(((b[i]! - x) / x) * 100).toFixed(1)}%`).join(' ');
    console.log(`\nfrom minute ${base.minute} to ${end.minute}: app RSS ${growth(base.app, end.app)} (private ${growth(base.anon, end.anon)}, file pages ${growth(base.file, end.file)}); heap ${growth(base.heap, end.heap)}; CometBFT RSS ${growth(base.comet, end.comet)}`);
    // One sample sits anywhere on a garbage collector's sawtooth (a node's RSS swings ±20 MiB from
    // one minute to the next), so the growth is also given between five-minute means.
    const first = samples.filter((s) => s.minute >= base.minute && s.minute < base.minute + 5);
    const last = samples.slice(-5);
    if (last[0]!.minute >= base.minute + 5) {
      const mean = (rows: Sample[], pick: (s: Sample) => number[]): number[] => pick(rows[0]!).map((_, i) => rows.reduce((sum, r) => sum + pick(r)[i]!, 0) / rows.length);
      const span = `minutes ${first[0]!.minute}–${first.at(-1)!.minute} to ${last[0]!.minute}–${last.at(-1)!.minute}`;
      console.log(`five-minute means, ${span}: app RSS ${growth(mean(first, (s) => s.app), mean(last, (s) => s.app))} (private ${growth(mean(first, (s) => s.anon), mean(last, (s) => s.anon))}, file pages ${growth(mean(first, (s) => s.file), mean(last, (s) => s.file))}); heap ${growth(mean(first, (s) => s.heap), mean(last, (s) => s.heap))}; CometBFT RSS ${growth(mean(first, (s) => s.comet), mean(last, (s) => s.comet))}`);
    }
    // A node that did not answer its /metrics in a minute (NaN) is left out of the extremes.
    const max = (xs: number[]): number => Math.max(...xs.filter((x) => !Number.isNaN(x)));
    const min = (xs: number[]): number => Math.min(...xs.filter((x) => !Number.isNaN(x)));
    console.log(`app RSS max ${mib(max(samples.flatMap((s) => s.app)))} MiB; lag p99 max ${max(samples.flatMap((s) => s.lag)).toFixed(0)} ms; block time ${min(samples.map((s) => s.blockMs))}–${max(samples.map((s) => s.blockMs))} ms; ${sent} sends accepted by CheckTx, ${refused} refused, ${gossiped} batches gossiped`);
  }
} finally {
  await net.down({ reset: true });
  await rm(home, { recursive: true, force: true });
}
