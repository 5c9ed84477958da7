// Operator gateway figures (issue 16): the latency it adds to a request (p50/p99 against calling the
// upstream directly), requests/s with a zero-latency upstream, receipts signed/s, and the time to
// build a 10k-receipt batch. In process: the gateway with its real HTTP server and LevelDB, the
// test upstream, and the chain replaced by constant answers (a request never waits on the chain:
// its answers are cached). Publishing and submitting need a chain: the localnet test covers them.
//
//   node bench/gateway.ts [--requests 2000] [--concurrency 32]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { silentLogger } from '../node/log.ts';
import { OperatorGateway } from '../node/gateway/operator/gateway.ts';
import { UpstreamClient } from '../node/gateway/upstream.ts';
import { Params, Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { generateEd25519 } from '../sdk/ed25519.ts';
import { signRequest } from '../sdk/gateway/protocol.ts';
import { buildBatch } from '../sdk/receipts/batch.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { startOpenAiUpstream } from '../node/gateway/demo-upstream.ts';

const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '32' } } });
const N = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const CHAIN = 'cairn-bench-1';
const OPERATOR = 'cairn1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr8jfuv';
const PAYER = 'cairn1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnn4dam';
const MODEL = 'acme/llama';

const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (x: number): string => `${x.toFixed(2)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-gateway-'));
const upstream = await startOpenAiUpstream();
const receiptKey = generateEd25519().signer;
const payerKey = generateEd25519().signer;
const gateway = new OperatorGateway({
  chainId: CHAIN,
  operator: OPERATOR,
  receiptSigner: receiptKey,
  upstream: new UpstreamClient({ baseUrl: upstream.url }),
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

const body = new TextEncoder().encode(JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'one two three four five six seven eight' }], max_tokens: 16 }));
const signed = (): Record<string, string> => ({ ...signRequest(CHAIN, OPERATOR, PAYER, new Uint8Array(randomBytes(32)), BigInt(Math.floor(Date.now() / 1000)), body, payerKey), 'content-type': 'application/json' });

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

// Sequential latency, interleaved so both paths see the same machine load.
const direct: number[] = [];
const through: number[] = [];
for (let i = 0; i < 200; i++) await timed(`${gateway.url}/v1/chat/completions`, signed()); // warm-up
for (let i = 0; i < N; i++) {
  const h = signed();
  direct.push(await timed(`${upstream.url}/chat/completions`, { 'content-type': 'application/json' }));
  through.push(await timed(`${gateway.url}/v1/chat/completions`, h));
}
direct.sort((a, b) => a - b);
through.sort((a, b) => a - b);

// Throughput: CONCURRENCY clients, N requests in all, headers signed beforehand; the upstream
// alone the same way, for what the client and the upstream cost by themselves.
async function rate(url: string, headers: readonly Record<string, string>[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await timed(url, headers[next++]!);
    }),
  );
  return N / ((performance.now() - t0) / 1000);
}
const directPerSecond = await rate(`${upstream.url}/chat/completions`, Array.from({ length: N }, () => ({ 'content-type': 'application/json' })));
const perSecond = await rate(`${gateway.url}/v1/chat/completions`, Array.from({ length: N }, signed));

// Receipt signing alone, and a 10k-receipt batch.
const template = Receipt.fromPartial({ chainId: CHAIN, operator: OPERATOR, payer: PAYER, modelId: MODEL, unitsIn: 8n, unitsOut: 16n, unitPrice: '2', amount: '48', startedAt: 1n, finishedAt: 2n, requestHash: new Uint8Array(32), responseHash: new Uint8Array(32), payerKey: payerKey.publicKey });
const t1 = performance.now();
const receipts: Receipt[] = [];
for (let i = 0; i < 10_000; i++) receipts.push(signReceipt(signReceipt({ ...template, id: new Uint8Array(randomBytes(32)) }, 'operator', receiptKey), 'payer', payerKey));
const signsPerSecond = 20_000 / ((performance.now() - t1) / 1000);
const t2 = performance.now();
buildBatch(receipts);
const build10k = performance.now() - t2;

console.log(`| figure | value |\n|---|---|`);
console.log(`| upstream direct, p50 / p99 | ${ms(pct(direct, 50))} / ${ms(pct(direct, 99))} |`);
console.log(`| through the operator gateway, p50 / p99 | ${ms(pct(through, 50))} / ${ms(pct(through, 99))} |`);
console.log(`| added by the gateway, p50 / p99 | ${ms(pct(through, 50) - pct(direct, 50))} / ${ms(pct(through, 99) - pct(direct, 99))} |`);
console.log(`| requests/s, ${CONCURRENCY} clients: upstream alone / through the gateway | ${directPerSecond.toFixed(0)} / ${perSecond.toFixed(0)} |`);
console.log(`| receipt signatures/s (ed25519) | ${signsPerSecond.toFixed(0)} |`);
console.log(`| buildBatch of 10k receipts | ${build10k.toFixed(0)} ms |`);
console.log(`(${N} requests each; the load generator shares this process and its cores, so requests/s is a floor)`);

await gateway.stop();
await upstream.close();
rmSync(dir, { recursive: true, force: true });
