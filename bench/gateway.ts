// Operator gateway figures (issue 16): the latency it adds to a request (p50/p99 against calling the
// upstream directly), requests/s with a zero-latency upstream, what one request costs the gateway's
// thread and where that time goes, receipts signed/s, and the time to build a 10k-receipt batch.
// The gateway runs on this thread with its real HTTP server and LevelDB, the chain replaced by
// constant answers (a request never waits on the chain: its answers are cached); the upstream and
// the client run on a worker thread (bench/gateway-client.ts). Publishing and submitting need a
// chain: the localnet tests cover them.
//
//   node bench/gateway.ts [--requests 2000] [--concurrency 32]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { silentLogger } from '../node/log.ts';
import { OperatorGateway } from '../node/gateway/operator/gateway.ts';
import { UpstreamClient } from '../node/gateway/upstream.ts';
import { Params, Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { generateEd25519 } from '../sdk/ed25519.ts';
import { buildBatch } from '../sdk/receipts/batch.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import type { GatewayClientData, GatewayClientRequest } from './gateway-client.ts';
import { threadCpuMs } from './probe.ts';
import { selfTimes, startProfile, timeByCategory } from './profile.ts';
import { percentile } from './stats.ts';

const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '32' } } });
const N = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const CHAIN = 'cairn-bench-1';
const OPERATOR = 'cairn1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr8jfuv';
const PAYER = 'cairn1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnn4dam';
const MODEL = 'acme/llama';
/** The aims. */
const AIM_ADDED_P50_MS = 2;
const AIM_PER_SECOND = 2000;

/** What a stack frame of the gateway's thread is doing, for the profile's summary. */
function gatewayWork(f: { functionName: string; url: string }): string | undefined {
  if (f.functionName === '(garbage collector)') return 'garbage collection';
  if (f.url.includes('undici')) return 'fetch to the upstream (undici)';
  if (/classic-level|abstract-level|node\/gateway\/operator\/store\.ts/.test(f.url)) return 'LevelDB (the receipt store)';
  if (/sdk\/ed25519|sdk\/hash|node:crypto/.test(f.url)) return 'ed25519 and sha256';
  if (/prom-client|gateway\/operator\/metrics/.test(f.url)) return 'metrics';
  if (/proto\/gen|@bufbuild|protobufjs|cosmjs-types/.test(f.url)) return 'protobuf';
  if (/node:_http|node:http/.test(f.url)) return 'HTTP server (node:http)';
  if (/node:net|stream_base_commons|node:internal\/streams|webstreams/.test(f.url)) return 'sockets and streams';
  if (f.url.includes('node/gateway/')) return 'the gateway’s own code';
  return undefined;
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;

const client = new Worker(new URL('./gateway-client.ts', import.meta.url), { workerData: { chainId: CHAIN, operator: OPERATOR, payer: PAYER, model: MODEL, concurrency: CONCURRENCY } satisfies GatewayClientData });
const replies: ((m: { ok: boolean; result?: unknown; error?: string }) => void)[] = [];
client.on('message', (m: { ok: boolean; result?: unknown; error?: string }) => replies.shift()?.(m));
const reply = <T>(): Promise<T> =>
  new Promise((resolve, reject) => replies.push((m) => (m.ok ? resolve(m.result as T) : reject(new Error(`the client thread: ${m.error}`)))));
const ask = <T>(request: GatewayClientRequest): Promise<T> => {
  const r = reply<T>();
  client.postMessage(request);
  return r;
};

const { upstreamUrl } = await reply<{ upstreamUrl: string }>();
const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-gateway-'));
const receiptKey = generateEd25519().signer;
const gateway = new OperatorGateway({
  chainId: CHAIN,
  operator: OPERATOR,
  receiptSigner: receiptKey,
  upstream: new UpstreamClient({ baseUrl: upstreamUrl }),
  creditLimit: 10n ** 30n,
  host: '127.0.0.1',
  port: 0,
  dataDir: join(dir, 'gateway'),
  chain: {
    payerKey: async () => 'authorised',
    offers: async () => new Map([[MODEL, { name: MODEL, modelId: MODEL, adapterId: '', denom: 'ucairn', pricePerUnit: 2n }]]),
    epoch: async () => ({ epoch: 0n, startTime: 0n }),
    attestationId: async () => new Uint8Array(),
    params: async () => Params.fromPartial({ maxBatchCount: 100_000n, maxBatchAgeEpochs: 2n }),
    tip: async () => ({ height: 1n, time: 0n }),
    findBatch: async () => undefined,
    batch: async () => {
      throw new Error('no chain in this bench');
    },
  },
  submit: async () => ({ code: 0, log: '', events: [] }),
  publish: async () => {},
  logger: silentLogger,
  settleIntervalMs: 0,
});
await gateway.start();

try {
  const { direct, through } = await ask<{ direct: number[]; through: number[] }>({ kind: 'latency', gatewayUrl: gateway.url, n: N });
  direct.sort((a, b) => a - b);
  through.sort((a, b) => a - b);
  const { perSecond: directPerSecond } = await ask<{ perSecond: number }>({ kind: 'rate', url: 'upstream', n: N, signed: false });

  // Throughput through the gateway, with this thread's busy time and a CPU profile of it.
  // CPU time, not busy time: on a shared machine a busy thread also waits for a core.
  const elu = performance.eventLoopUtilization();
  const profiler = await startProfile();
  const cpu0 = threadCpuMs();
  const { perSecond } = await ask<{ perSecond: number }>({ kind: 'rate', url: gateway.url, n: N, signed: true });
  const cpuUsPerRequest = ((threadCpuMs() - cpu0) * 1000) / N;
  const busy = performance.eventLoopUtilization(elu).utilization;
  const profile = await profiler.stop();

  // Receipt signing alone, and a 10k-receipt batch.
  const payerKey = generateEd25519().signer;
  const template = Receipt.fromPartial({ chainId: CHAIN, operator: OPERATOR, payer: PAYER, modelId: MODEL, unitsIn: 8n, unitsOut: 16n, unitPrice: '2', amount: '48', startedAt: 1n, finishedAt: 2n, requestHash: new Uint8Array(32), responseHash: new Uint8Array(32), payerKey: payerKey.publicKey });
  const t1 = performance.now();
  const receipts: Receipt[] = [];
  for (let i = 0; i < 10_000; i++) receipts.push(signReceipt(signReceipt({ ...template, id: new Uint8Array(randomBytes(32)) }, 'operator', receiptKey), 'payer', payerKey));
  const signsPerSecond = 20_000 / ((performance.now() - t1) / 1000);
  const t2 = performance.now();
  buildBatch(receipts);
  const build10k = performance.now() - t2;

  const added = percentile(through, 50) - percentile(direct, 50);
  console.log(`| figure | value | aim |\n|---|---|---|`);
  console.log(`| upstream direct, p50 / p99 | ${ms(percentile(direct, 50))} / ${ms(percentile(direct, 99))} | |`);
  console.log(`| through the operator gateway, p50 / p99 | ${ms(percentile(through, 50))} / ${ms(percentile(through, 99))} | |`);
  console.log(`| added by the gateway, p50 / p99 | ${ms(added)} / ${ms(percentile(through, 99) - percentile(direct, 99))} | p50 < ${AIM_ADDED_P50_MS} ms: ${added < AIM_ADDED_P50_MS ? 'met' : 'not met'} |`);
  console.log(`| requests/s, ${CONCURRENCY} clients: upstream alone / through the gateway | ${directPerSecond.toFixed(0)} / ${perSecond.toFixed(0)} | ≥ ${AIM_PER_SECOND}: ${perSecond >= AIM_PER_SECOND ? 'met' : 'not met'} |`);
  console.log(`| gateway thread during that run: busy / on CPU per request | ${(busy * 100).toFixed(0)} % / ${cpuUsPerRequest.toFixed(0)} µs (one core's ceiling ${(1e6 / cpuUsPerRequest).toFixed(0)}/s) | |`);
  console.log(`| receipt signatures/s (ed25519) | ${signsPerSecond.toFixed(0)} | |`);
  console.log(`| buildBatch of 10k receipts | ${build10k.toFixed(0)} ms | |`);
  console.log(`(${N} requests each; the upstream and the client run on a second thread and share the machine's cores with the gateway)`);
  console.log(`\nWhat the gateway thread's busy time went to (CPU profile of that run, each sample charged to the nearest frame that says):\n| for | ms | share |\n|---|---:|---:|`);
  for (const c of timeByCategory(profile, gatewayWork)) console.log(`| ${c.category} | ${c.ms.toFixed(0)} | ${(c.share * 100).toFixed(1)} % |`);
  console.log(`\nThe functions themselves (self time, top 12):\n| function | ms | share |\n|---|---:|---:|`);
  for (const f of selfTimes(profile, 12)) console.log(`| ${f.name} | ${f.ms.toFixed(0)} | ${(f.share * 100).toFixed(1)} % |`);
} finally {
  await gateway.stop();
  await client.terminate();
  rmSync(dir, { recursive: true, force: true });
}
