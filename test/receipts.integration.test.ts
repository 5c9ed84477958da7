// Receipts on a real single-validator CometBFT chain (300 ms blocks): a payer's escrow pays for
// 1,000 receipts served through an adapter; the operator submits the batch with `cairn receipts
// submit` (which reveals the sample the chain drew from the block hash); the batch settles in the
// end block with no transaction, paying every party exactly while the supply only loses the burn.
// Then a fraudulent batch is proved with `cairn receipts challenge`, and `cairn receipts verify
// --chain` names revoked and unknown payer keys.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { Registry } from '@cosmjs/proto-signing';
import { QueryClient, SigningStargateClient, createProtobufRpcClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeHome } from '../cli/commands/init.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { batchJson } from '../cli/commands/receipts/files.ts';
import { addGenesisAccount } from '../node/genesis.ts';
import { registryTypes } from '../sdk/registry/messages.ts';
import { receiptsTypes } from '../sdk/receipts/messages.ts';
import { ESCROW_ACCOUNT } from '../modules/receipts/keys.ts';
import { TREASURY_ACCOUNT } from '../modules/royalty/keys.ts';
import { ADAPTER, BASE_MODEL, GPU_ID, OPERATOR_BOND, type Role, receiptMsgs, receiptsAppState, roleWallets } from './support/receipts-chain.ts';
import { fixedKey, fixedSeed, receiptId, unsignedReceipt } from './support/receipts-fixtures.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import * as q from '../proto/gen/cairn/receipts/v1/query.ts';
import { BatchStatus, FaultKind, Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import * as regq from '../proto/gen/cairn/registry/v1/query.ts';
import { type Batch, buildBatch } from '../sdk/receipts/batch.ts';
import { signBatch, signBatchAsPayer } from '../sdk/receipts/batch-signature.ts';
import { SumTree, receiptLeaf } from '../sdk/receipts/merkle.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { TEST_OPERATOR, TEST_SELF_BOND } from './support/node-home.ts';
import { gpu, msgs as registryMsgs } from './support/registry.ts';
import { MNEMONICS, type TestWallet } from './support/wallets.ts';
import { testDir } from './support/test-dirs.ts';

const CHAIN_ID = 'cairn-receipts-it-1';
const EPOCH = 20n;
const FEE = { amount: [{ denom: 'ucairn', amount: '25000' }], gas: '1000000' };
const CLI_FEES = ['--gas', '1000000', '--fees', '25000ucairn'];
const payerKey = fixedKey('it-payer-key');
const operatorKey = fixedKey('it-operator-key');
const operator2Key = fixedKey('it-operator2-key');

let node: RunningNode;
let rpcUrl: string;
let comet: CometClient;
let w: Record<Role, TestWallet>;
let dir: string;
const clients = new Map<Role, SigningStargateClient>();
const types = new Registry([...defaultRegistryTypes, ...registryTypes, ...receiptsTypes]);

async function client(role: Role): Promise<SigningStargateClient> {
  let c = clients.get(role);
  if (c === undefined) {
    c = await SigningStargateClient.connectWithSigner(rpcUrl, w[role].wallet, { registry: types, broadcastPollIntervalMs: 150 });
    clients.set(role, c);
  }
  return c;
}

async function send(role: Role, msgs: { typeUrl: string; value: unknown }[]): Promise<void> {
  const r = await (await client(role)).signAndBroadcast(w[role].address, msgs, FEE);
  expect(r.code, r.rawLog).toBe(0);
}

async function receiptsQuery<Req, Res>(method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req, service = 'cairn.receipts.v1.Query'): Promise<Res> {
  const rpc = createProtobufRpcClient(new QueryClient(comet));
  return res.decode(await rpc.request(service, method, req.encode(value).finish()));
}

async function balance(address: string): Promise<bigint> {
  return BigInt((await (await client('payer')).getBalance(address, 'ucairn')).amount);
}

async function supply(): Promise<bigint> {
  const { QuerySupplyOfRequest, QuerySupplyOfResponse } = await import('cosmjs-types/cosmos/bank/v1beta1/query');
  return BigInt((await receiptsQuery('SupplyOf', QuerySupplyOfRequest, QuerySupplyOfResponse, { denom: 'ucairn' }, 'cosmos.bank.v1beta1.Query')).amount!.amount);
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['--node', rpcUrl, '--keyring-backend', 'test', '--keyring-dir', dir, ...argv], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

async function latest(): Promise<{ height: bigint; time: bigint }> {
  const b = await comet.block();
  return { height: BigInt(b.block.header.height), time: BigInt(Math.floor(b.block.header.time.getTime() / 1000)) };
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * Waits, if needed, until the next block is well inside an epoch; returns that epoch and a receipt
 * time: the latest block's, which is never before the epoch's first block (the chain clamps a
 * batch's time window to its epoch, so a receipt started a second earlier could fall outside it).
 */
async function quietPoint(): Promise<{ epoch: bigint; time: bigint }> {
  for (;;) {
    const { height, time } = await latest();
    const epoch = (height - 1n) / EPOCH;
    if (height - epoch * EPOCH < EPOCH - 8n && height > epoch * EPOCH + 1n) return { epoch, time };
    await new Promise((r) => setTimeout(r, 300));
  }
}

function receipts(n: number, f: { epoch: bigint; time: bigint; role?: 'operator' | 'operator2'; label: string }): Receipt[] {
  const op = f.role ?? 'operator';
  const party = { chainId: CHAIN_ID, operator: w[op].address, payer: w.payer.address, payerKey, operatorKey: op === 'operator' ? operatorKey : operator2Key };
  return Array.from({ length: n }, (_, i) => {
    const r = unsignedReceipt(party, i, { id: receiptId(i, f.label), modelId: BASE_MODEL, adapterId: ADAPTER, epoch: f.epoch, startedAt: f.time, finishedAt: f.time });
    return signReceipt(signReceipt(r, 'payer', payerKey), 'operator', party.operatorKey);
  });
}

const moduleBech32 = (name: string): string => toBech32('cairn', moduleAddress(name));

async function batchOf(id: bigint) {
  return receiptsQuery('Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id });
}

beforeAll(async () => {
  w = await roleWallets();
  const home = await testDir('cairn-receipts-it-');
  dir = await testDir('cairn-receipts-cli-');
  const [rpc, p2p, abci] = (await freePorts(3)) as [number, number, number];
  const appState = addGenesisAccount(
    receiptsAppState(w, { epoch_blocks: EPOCH.toString(), dispute_window_blocks: '30', reveal_window: '14', escrow_withdraw_delay: '50', start_window: '10' }),
    TEST_OPERATOR,
    [{ denom: 'ucairn', amount: TEST_SELF_BOND }],
  );
  await initNodeHome({
    home,
    chainId: CHAIN_ID,
    moniker: 'receipts-it',
    overwriteGenesis: true,
    appState,
    ports: { rpc, p2p, abci },
    blockTimeMs: 300,
    appConfig: { checkInvariants: true, pruningKeepRecent: 0 },
    validator: { operator: TEST_OPERATOR, selfBond: TEST_SELF_BOND },
  });
  rpcUrl = `http://127.0.0.1:${rpc}`;
  node = await startNode({ home, logger: silentLogger, withCometbft: true });
  await waitForHeight(rpcUrl, 2, 30_000);
  comet = await connectComet(rpcUrl);
  const keyring = new Keyring({ dir, backend: 'test' });
  await keyring.import('ops', MNEMONICS[1]);
  await keyring.import('watcher', MNEMONICS[1], { hdPath: "m/44'/118'/0'/0/4" });
  await keyring.import('ops2', MNEMONICS[1], { hdPath: "m/44'/118'/0'/0/5" });
  await keyring.import('griefer', MNEMONICS[1], { hdPath: "m/44'/118'/0'/0/6" });

  const bond = { denom: 'ucairn', amount: OPERATOR_BOND.toString() };
  await send('operator', [registryMsgs.registerOperator(w.operator.address, 0, { receiptKey: operatorKey.publicKey, bond }), registryMsgs.commitGpus(w.operator.address, [gpu(GPU_ID)])]);
  await send('operator2', [registryMsgs.registerOperator(w.operator2.address, 0, { receiptKey: operator2Key.publicKey, bond })]);
  await send('author', [registryMsgs.registerModel(w.author.address, BASE_MODEL, { royaltyBps: 500, recipients: [{ address: w.author.address, weightBps: 10_000 }] })]);
  await send('adapterAuthor', [registryMsgs.registerAdapter(w.adapterAuthor.address, ADAPTER, BASE_MODEL, { royaltyBps: 300, recipients: [{ address: w.adapterAuthor.address, weightBps: 10_000 }] })]);
  await send('payer', [registryMsgs.authorizePayerKey(w.payer.address, payerKey.publicKey), receiptMsgs.deposit(w.payer.address, 5_000_000_000n)]);
}, 90_000);

afterAll(async () => {
  for (const c of clients.values()) c.disconnect();
  comet?.disconnect();
  await node?.stop();
});

describe('receipts on a real chain', () => {
  it('settles 1,000 receipts submitted with `cairn receipts submit`: every balance exact, supply down by the burn only', async () => {
    const point = await quietPoint();
    const batch = buildBatch(receipts(1000, { ...point, label: 'honest' }));
    const unsignedFile = join(dir, 'unsigned-batch.json');
    await writeFile(unsignedFile, JSON.stringify(batchJson(batch)));
    // The payer checks the batch against the receipts it signed and signs its totals.
    const keyFile = join(dir, 'payer.key');
    await writeFile(keyFile, Buffer.from(fixedSeed('it-payer-key')).toString('hex'));
    const ledger = join(dir, 'payer-signed.json');
    await writeFile(ledger, JSON.stringify(batch.receipts.map((r) => Receipt.toJSON({ ...r, operatorSignature: new Uint8Array() }))));
    const file = join(dir, 'batch.json');
    const signed = await cli('receipts', 'sign-batch', unsignedFile, '--key', keyFile, '--signed', ledger, '--out', file);
    expect(signed.code, signed.out + signed.err).toBe(0);
    const A = batch.header.amount;
    const who = { operator: w.operator.address, author: w.author.address, adapterAuthor: w.adapterAuthor.address, payer: w.payer.address };
    const before = {
      operator: await balance(who.operator),
      author: await balance(who.author),
      adapterAuthor: await balance(who.adapterAuthor),
      payer: await balance(who.payer),
      supply: await supply(),
      treasury: await balance(moduleBech32(TREASURY_ACCOUNT)),
    };
    const escrowBefore = (await receiptsQuery('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer: who.payer })).escrow!;

    const r = await cli('receipts', 'submit', 'ops', file, ...CLI_FEES);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/batch id:\s+1/);
    expect(r.err).toMatch(/revealing the 2 sampled leaves of batch 1/);
    const pending = (await batchOf(1n)).batch!;
    expect(pending.sample.every((s) => s.revealed)).toBe(true);

    const done = await waitUntil('the batch to finalize', async () => {
      const b = (await batchOf(1n)).batch!;
      return b.status === BatchStatus.BATCH_STATUS_FINALIZED ? b : undefined;
    });
    expect(done.settledHeight).toBe(pending.disputeEnd);
    const fee = (A * 500n) / 10_000n;
    const burned = fee / 2n;
    const toTreasury = (fee * 5000n) / 10_000n;
    const adapterRoyalty = (A * 300n) / 10_000n;
    const authorRoyalty = (A * 500n) / 10_000n;
    const operatorShare = A - burned - toTreasury - adapterRoyalty - authorRoyalty;
    expect(await balance(who.operator)).toBe(before.operator + operatorShare - 2n * 25_000n);
    expect(await balance(who.author)).toBe(before.author + authorRoyalty);
    expect(await balance(who.adapterAuthor)).toBe(before.adapterAuthor + adapterRoyalty);
    expect(await balance(who.payer)).toBe(before.payer);
    expect(await balance(moduleBech32(TREASURY_ACCOUNT))).toBe(before.treasury + toTreasury);
    const escrowAfter = (await receiptsQuery('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer: who.payer })).escrow!;
    expect(BigInt(escrowAfter.available)).toBe(BigInt(escrowBefore.available) - A);
    expect(escrowAfter.locked).toBe('0');
    expect(await balance(moduleBech32(ESCROW_ACCOUNT))).toBe(BigInt(escrowAfter.available));
    expect(await supply()).toBe(before.supply - burned);

    const shown = await cli('query', 'receipts', 'batch', '1');
    expect(shown.out).toMatch(new RegExp(`split:\\s+total ${A}ucairn: fee ${burned}ucairn burned \\+ ${toTreasury}ucairn treasury; royalties `));
    expect(shown.out).toContain(`operator ${operatorShare}ucairn`);
    expect(shown.out).toMatch(/dispute window ends:\s+\d+/);
    const listed = await cli('query', 'receipts', 'batches', '--status', 'finalized', '--output', 'json');
    expect(listed.code, listed.err).toBe(0);
    expect((JSON.parse(listed.out) as { batches: { id: string; count: string }[] }).batches.map((b) => [b.id, b.count])).toEqual([['1', '1000']]);
  }, 180_000);

  it('slashes, rewards and tombstones on a fraud proved with `cairn receipts challenge`', async () => {
    const point = await quietPoint();
    const forged = receipts(8, { ...point, role: 'operator2', label: 'forged' });
    forged[3] = signReceipt(signReceipt({ ...forged[3]!, amount: '1' }, 'payer', payerKey), 'operator', operator2Key);
    const sorted = forged.slice().sort((a, b) => Buffer.compare(a.id, b.id));
    const tree = SumTree.build(sorted.map(receiptLeaf));
    const honestHeader = buildBatch(receipts(1, { ...point, role: 'operator2', label: 'header' })).header;
    const cheat: Batch = { header: { ...honestHeader, root: tree.root.hash, amount: tree.root.amount, count: 8n, units: 0n }, receipts: sorted, tree };
    const file = join(dir, 'forged.json');
    await writeFile(file, JSON.stringify(batchJson(cheat)));
    // A payer whose software signed the receipt with an amount that is not units × price, and the batch.
    const terms = { chainId: CHAIN_ID, operator: w.operator2.address, payer: w.payer.address, modelId: BASE_MODEL, adapterId: ADAPTER, epoch: point.epoch, root: tree.root.hash, count: 8n, units: 0n, amount: tree.root.amount.toString(), mode: 2, paymentRefsRoot: new Uint8Array(32) } as const;
    await send('operator2', [receiptMsgs.submit(signBatch(terms, payerKey))]);
    const id = (await receiptsQuery('Batches', q.QueryBatchesRequest, q.QueryBatchesResponse, q.QueryBatchesRequest.fromPartial({ operator: w.operator2.address }))).batches[0]!.id;
    const watcher = await balance(w.challenger.address);
    const supplyBefore = await supply();
    const index = sorted.indexOf(forged[3]!);
    const checked = await cli('receipts', 'challenge', 'watcher', id.toString(), '--batch', file, '--leaf', String(index), ...CLI_FEES);
    expect(checked.code, checked.out + checked.err).toBe(0);
    const b = (await batchOf(id)).batch!;
    expect(b.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(b.fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    const slashed = OPERATOR_BOND / 2n;
    const reward = (slashed * 2000n) / 10_000n;
    expect(await balance(w.challenger.address)).toBe(watcher + reward - 25_000n);
    expect(await supply()).toBe(supplyBefore - (slashed - reward));
    const op = await receiptsQuery('Operator', regq.QueryOperatorRequest, regq.QueryOperatorResponse, { address: w.operator2.address }, 'cairn.registry.v1.Query');
    expect(op.operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(op.operator!.bond!.amount).toBe((OPERATOR_BOND - slashed).toString());
    // A second identical challenge is refused with the evidence's error.
    const again = await cli('receipts', 'challenge', 'watcher', id.toString(), '--batch', file, '--leaf', String(index), ...CLI_FEES);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/evidence already processed/);
  }, 180_000);

  it('judges payer keys with `cairn receipts verify --chain` as the chain does, at the receipt’s finish: unknown, authorised later or revoked before are named; revoked after is fine', async () => {
    const revoked = fixedKey('it-revoked-key');
    const late = fixedKey('it-late-key');
    await send('payer', [registryMsgs.authorizePayerKey(w.payer.address, revoked.publicKey, 'old')]);
    const before = await quietPoint();
    // Block times are whole seconds: the revocation must land in a later second than `before`.
    await new Promise((r) => setTimeout(r, 1_100));
    await send('payer', [registryMsgs.revokePayerKey(w.payer.address, revoked.publicKey), registryMsgs.authorizePayerKey(w.payer.address, late.publicKey, 'late')]);
    const after = await quietPoint();
    const party = { chainId: CHAIN_ID, operator: w.operator.address, payer: w.payer.address, operatorKey };
    const mk = (key: typeof revoked, n: number, at: { epoch: bigint; time: bigint }) => {
      const r = unsignedReceipt({ ...party, payerKey: key }, n, { id: receiptId(n, 'keys'), modelId: BASE_MODEL, epoch: at.epoch, startedAt: at.time, finishedAt: at.time });
      return signReceipt(signReceipt(r, 'payer', key), 'operator', operatorKey);
    };
    const file = join(dir, 'keys.jsonl');
    const { Receipt: R } = await import('../proto/gen/cairn/receipts/v1/types.ts');
    const all = [mk(payerKey, 1, before), mk(revoked, 2, before), mk(revoked, 3, after), mk(late, 4, before), mk(fixedKey('it-stranger'), 5, before)];
    await writeFile(file, all.map((x) => JSON.stringify(R.toJSON(x))).join('\n') + '\n');
    const r = await cli('receipts', 'verify', file, '--chain');
    expect(r.code, r.err).toBe(1);
    const named = (n: number) => r.out.includes(`receipt ${Buffer.from(receiptId(n, 'keys')).toString('hex')}:`);
    expect([1, 2, 3, 4, 5].map(named)).toEqual([false, false, true, true, true]);
    expect(r.out, r.err).toMatch(/was revoked at height \d+, before the receipt finished/);
    expect(r.out).toMatch(/was authorised at height \d+, after the receipt finished: the chain would call it fraud/);
    expect(r.out).toMatch(/is unknown: the payer never authorised it/);
    expect(r.err).toMatch(/3 of 5 receipt\(s\) are invalid/);
  }, 180_000);

  it('pays a griefer’s bond to the operator who reveals, and jails an operator who leaves a request unanswered', async () => {
    const point = await quietPoint();
    const batch = buildBatch(receipts(16, { ...point, label: 'requested' }));
    const file = join(dir, 'requested.json');
    const consent = signBatchAsPayer(batch, 'escrow', payerKey);
    await writeFile(file, JSON.stringify(batchJson(batch, { mode: 'escrow', chainId: consent.chainId, payerKey: consent.payerKey, signature: consent.payerSignature })));
    const submitted = await cli('receipts', 'submit', 'ops', file, ...CLI_FEES);
    expect(submitted.code, submitted.out + submitted.err).toBe(0);
    const id = BigInt(/batch id:\s+(\d+)/.exec(submitted.out)![1]!);
    const sample = (await batchOf(id)).batch!.sample.map((s) => s.index);
    const [asked, ignored] = [...Array(16).keys()].map(BigInt).filter((i) => !sample.includes(i));
    const operator = await balance(w.operator.address);
    const griefer = await balance(w.griefer.address);
    const watcher = await balance(w.challenger.address);
    const bond = 1000n;
    let r = await cli('tx', 'receipts', 'request-receipt', 'griefer', id.toString(), asked!.toString(), ...CLI_FEES);
    expect(r.code, r.out + r.err).toBe(0);
    r = await cli('tx', 'receipts', 'request-receipt', 'watcher', id.toString(), ignored!.toString(), ...CLI_FEES);
    expect(r.code, r.out + r.err).toBe(0);
    r = await cli('tx', 'receipts', 'reveal', 'ops', id.toString(), file, asked!.toString(), ...CLI_FEES);
    expect(r.code, r.out + r.err).toBe(0);
    expect(await balance(w.griefer.address)).toBe(griefer - bond - 25_000n);
    expect(await balance(w.operator.address)).toBe(operator + bond - 25_000n);
    // The other request is never answered: data unavailable, 10% slashed, the watcher rewarded.
    const b = await waitUntil('the unanswered request to time out', async () => {
      const x = (await batchOf(id)).batch!;
      return x.status === BatchStatus.BATCH_STATUS_REJECTED ? x : undefined;
    });
    expect(b.fault!.kind).toBe(FaultKind.FAULT_KIND_DATA_UNAVAILABLE);
    const slashed = OPERATOR_BOND / 10n;
    expect(await balance(w.challenger.address)).toBe(watcher - 25_000n + (slashed * 2000n) / 10_000n);
    const op = await receiptsQuery('Operator', regq.QueryOperatorRequest, regq.QueryOperatorResponse, { address: w.operator.address }, 'cairn.registry.v1.Query');
    expect(op.operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    const shown = await cli('query', 'receipts', 'batch', id.toString());
    expect(shown.out).toMatch(/fault:\s+data unavailable: requested leaf \d+ not revealed/);
  }, 180_000);
});
