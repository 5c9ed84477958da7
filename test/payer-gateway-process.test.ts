// `cairn payer serve` as a process on a real localnet (1 validator, 2 playground operators): the
// openai client through it to operator gateways on the wire contract (test/support/fake-operator.ts
// with the playground operators' receipt keys) and the test upstream. The gateway is SIGKILLed
// mid-stream and right after signing a batch: no co-signed receipt is lost, the co-signatures
// still reach the operators, no receipt is signed into a second batch, and the chain takes the
// batch it signed. The escrow top-up goes through the CLI's transaction path. The gateway runs from
// its home's app.toml [payer-gateway] (as `cairn init` writes it, with the keys set) and one flag,
// --listen, that overrides its key.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { QueryClient } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Localnet } from '../localnet/index.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { DEFAULT_APP_CONFIG, editAppConfig, writeAppConfig } from '../node/config.ts';
import { PayerStore } from '../node/gateway/payer/store.ts';
import { MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { toHex } from '../sdk/bytes.ts';
import { ed25519FromSeed, verifyEd25519 } from '../sdk/ed25519.ts';
import { batchTerms } from '../sdk/receipts/batch.ts';
import { receiptsMsgs } from '../sdk/receipts/messages.ts';
import { queryReceipts } from '../sdk/receipts/queries.ts';
import { receiptSignBytes } from '../sdk/receipts/receipt.ts';
import { type FakeOperator, startFakeOperator } from './support/fake-operator.ts';
import { eventually } from './support/localnet.ts';
import { type OpenAiUpstream, startOpenAiUpstream } from '../node/gateway/demo-upstream.ts';
import { PlaygroundSender } from './support/paid-batch.ts';
import { testDir } from './support/test-dirs.ts';

const REPO = resolve(import.meta.dirname, '..');
const EPOCH_BLOCKS = 300n;

let net: Localnet;
let upstream: OpenAiUpstream;
let ops: FakeOperator[] = [];
let sender: PlaygroundSender;
let receipts: ReturnType<typeof queryReceipts>;
let epoch = 0n;
let epochTimer: NodeJS.Timeout;
let dir: string;
let dataDir: string;
let home: string;
let port: number;
let child: ChildProcess | undefined;
let log = '';

const seedKey = async (file: string) => ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex')));

async function serve(extra: string[] = []): Promise<OpenAI> {
  const p = net.manifest.playground!;
  const args = [join(REPO, 'cli/cairn.ts'), 'payer', 'serve', '--home', home, '--node', net.rpcUrl('node0'), '--keyring-backend', 'test', '--keyring-dir', p.keyringDir, '--listen', `127.0.0.1:${port}`];
  child = spawn(process.execPath, [...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0 });
  await eventually('the payer gateway lists the playground model', 60_000, async () => {
    if (child?.exitCode !== null) throw new Error(`cairn payer serve exited: ${log}`);
    return (await client.models.list().catch(() => undefined))?.data.some((m) => m.id === p.model) === true ? true : undefined;
  });
  return client;
}

async function kill(): Promise<void> {
  const c = child!;
  child = undefined;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  dir = await testDir('cairn-payer-net-');
  dataDir = join(dir, 'payer-data');
  home = join(dir, 'payer-home');
  [port] = await freePorts(1) as [number];
  net = await Localnet.create({ dir: join(dir, 'net'), validators: 1, operators: 2, blockTimeMs: 400, genesis: { receipts: { params: { epoch_blocks: EPOCH_BLOCKS.toString() } } } });
  await net.up({ killOnExit: true, timeoutMs: 120_000 });
  sender = new PlaygroundSender(net);
  const comet = await connectComet(net.rpcUrl('node0'));
  const base = new QueryClient(comet);
  receipts = queryReceipts(async (path, request) => (await base.queryAbci(path, request)).value);
  const readEpoch = async (): Promise<void> => {
    epoch = (await receipts.epoch()).current!.epoch;
  };
  await readEpoch();
  epochTimer = setInterval(() => void readEpoch().catch(() => {}), 500);
  upstream = await startOpenAiUpstream({ tokenDelayMs: 40 });
  const p = net.manifest.playground!;
  ops = await Promise.all(
    p.operators.map(async (o) => startFakeOperator({ chainId: net.chainId, operator: o.address, receiptKey: await seedKey(o.receiptKeyFile), upstream: upstream.url, price: 2n, epoch: () => epoch })),
  );
  await mkdir(join(home, 'config'), { recursive: true });
  await writeAppConfig(home, DEFAULT_APP_CONFIG);
  const gw = (key: string, value: string | string[]) => ({ section: 'payer-gateway', key, value });
  await editAppConfig(home, [
    gw('from', p.payer.key),
    gw('payer-key', p.payer.payerKeyFile),
    gw('data', dataDir),
    gw('endpoints', p.operators.map((o, i) => `${o.address}=${ops[i]!.url}`)),
    gw('listen', '127.0.0.1:1'), // --listen overrides it
  ]);
}, 300_000);

afterAll(async () => {
  clearInterval(epochTimer);
  if (child !== undefined) await kill();
  for (const o of ops) await o.close();
  await upstream?.close();
  sender?.disconnect();
  await net?.down({ reset: true });
});

describe('cairn payer serve on a localnet', () => {
  it('tops up the escrow through a real transaction', async () => {
    const p = net.manifest.playground!;
    const before = BigInt((await receipts.escrow({ payer: p.payer.address })).escrow!.available);
    await serve(['--top-up-below', `${before + 1n}ucairn`, '--top-up', '1000000ucairn', '--fees', '10000ucairn']);
    await eventually('the deposit in a block', 60_000, async () => (BigInt((await receipts.escrow({ payer: p.payer.address })).escrow!.available) === before + 1_000_000n ? true : undefined));
    await kill();
  }, 120_000);

  it('loses no co-signed receipt when SIGKILLed mid-stream, delivers the co-signatures after a restart, and never signs a receipt into two batches', async () => {
    const client = await serve();
    // 16 requests at once, half streams of 30 tokens (1.2 s each), half plain; killed once 4 answered.
    const completed: string[] = [];
    const runs = Array.from({ length: 16 }, async (_, i) => {
      const prompt = `request ${i} of the kill test`;
      if (i % 2 === 0) {
        const r = await client.completions.create({ model: net.manifest.playground!.model, prompt, max_tokens: 30 - i });
        if (r.choices[0]!.text.split(' ').length !== 30 - i) throw new Error('short answer');
      } else {
        let text = '';
        for await (const c of await client.chat.completions.create({ model: net.manifest.playground!.model, messages: [{ role: 'user', content: prompt }], max_tokens: 30, stream: true })) text += c.choices[0]?.delta.content ?? '';
        if (text.split(' ').length !== 30) throw new Error('short stream');
      }
      completed.push(prompt);
    });
    const settled = Promise.allSettled(runs);
    await eventually('4 answers', 60_000, async () => (completed.length >= 4 ? true : undefined), 5);
    await kill();
    const outcomes = await settled;
    expect(outcomes.some((o) => o.status === 'rejected')).toBe(true); // the kill cut some
    const answered = [...completed];

    // Every answer the application got has its co-signed receipt on disk.
    const all = ops.flatMap((o) => [...o.receipts.values()].map((r) => ({ r, body: o.bodies.get(toHex(r.id))! })));
    const store = new PayerStore(dataDir);
    await store.open();
    const kept = new Map<string, Awaited<ReturnType<PayerStore['receipt']>>>();
    for (const { r } of all) kept.set(toHex(r.id), await store.receipt(toHex(r.id)));
    await store.close();
    for (const prompt of answered) {
      const mine = all.filter((x) => x.body.includes(`"${prompt}"`));
      expect(mine.length, prompt).toBeGreaterThan(0);
      const stored = mine.map((x) => kept.get(toHex(x.r.id))).filter((x) => x !== undefined);
      expect(stored, prompt).toHaveLength(1);
      expect(verifyEd25519(stored[0]!.payerKey, receiptSignBytes(stored[0]!), stored[0]!.payerSignature)).toBe(true);
    }
    const storedIds = [...kept].filter(([, v]) => v !== undefined).map(([k]) => k);
    expect(storedIds.length).toBeGreaterThanOrEqual(answered.length);

    // After a restart every kept receipt's co-signature reaches its operator.
    await serve();
    await eventually('co-signatures delivered', 30_000, async () => (storedIds.every((id) => ops.some((o) => o.receipts.get(id)?.payerSignature.length === 64)) ? true : undefined));

    // A batch of the co-signed receipts of the operator picked (both ask the same price): signed,
    // then the gateway is killed at once.
    const cosignedOf = (o: FakeOperator) => [...o.receipts.values()].filter((r) => r.payerSignature.length === 64);
    const picked = ops.findIndex((o) => cosignedOf(o).length >= 2);
    expect(picked).toBeGreaterThanOrEqual(0);
    const op = ops[picked]!;
    const cosigned = cosignedOf(op);
    expect(cosigned.length).toBeGreaterThanOrEqual(2);
    const batchA = op.offerBatch(cosigned.slice(1));
    const rootA = toHex(batchA.header.root);
    const sigA = await eventually('batch A signed', 30_000, async () => op.batchSignatures.get(rootA));
    await kill();
    // After the restart, a batch that reuses one of A's receipts is refused; A offered again gets the same signature.
    const batchB = op.offerBatch(cosigned.slice(0, 2));
    op.batchSignatures.clear();
    op.offerBatch(cosigned.slice(1));
    await serve();
    expect(await eventually('batch A signed again', 30_000, async () => op.batchSignatures.get(rootA))).toEqual(sigA);
    await eventually('batch B refused', 30_000, async () => (/already signed into batch/.test(log) ? true : undefined));
    expect(op.batchSignatures.has(toHex(batchB.header.root))).toBe(false);

    // The chain takes batch A with the payer gateway's signature and locks its amount.
    const p = net.manifest.playground!;
    const lockedBefore = BigInt((await receipts.escrow({ payer: p.payer.address })).escrow!.locked);
    const submitted = await sender.ok(p.operators[picked]!, [receiptsMsgs.MsgSubmitBatch({ ...batchTerms(batchA, 'escrow'), payerKey: Buffer.from(sigA.payerKey, 'hex'), payerSignature: Buffer.from(sigA.payerSignature, 'hex') })]);
    expect(MsgSubmitBatchResponse.decode(submitted.responses[0]!).batchId).toBeGreaterThan(0n);
    expect(BigInt((await receipts.escrow({ payer: p.payer.address })).escrow!.locked)).toBe(lockedBefore + batchA.header.amount);
  }, 300_000);
});
