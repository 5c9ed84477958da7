// Micro-benchmark of receipts: node bench/receipts.ts [--receipts 100000]
//
// Off chain (the SDK an operator runs): signing 100k receipts by both parties, building the batch
// (sort, leaf hashes, Merkle-sum tree), every inclusion proof, and proof sizes.
// On chain (the app in-process on a memory store, as CometBFT would drive it): gas and milliseconds
// of submitting, revealing the sample, requesting and answering a leaf, challenging a receipt and a
// node, and finalizing one batch in the end block; then blocks full of batch submissions, for the
// receipts the chain can account for per second. Nothing on chain is per receipt.
import { parseArgs } from 'node:util';
import { ReceiptsChain, receiptMsgs } from '../test/support/receipts-chain.ts';
import { InclusionProof, SumNodeProof } from '../proto/gen/cairn/receipts/v1/types.ts';
import { MsgSubmitBatch, MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { fixedKey } from '../test/support/receipts-fixtures.ts';
import { msgs as registryMsgs } from '../test/support/registry.ts';
import { type Batch, buildBatch, inclusionProof } from '../sdk/receipts/batch.ts';
import { SumTree, parentOf, receiptLeaf } from '../sdk/receipts/merkle.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { fmt } from './stats.ts';

const { values: opt } = parseArgs({ options: { receipts: { type: 'string', default: '100000' }, 'full-blocks': { type: 'string', default: '3' } } });
const N = Number(opt.receipts);

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

const rc = await ReceiptsChain.start({ escrow: 5_000_000_000n, receipts: { max_open_requests: 8 } });
const rows: [string, string][] = [];

// ---- off chain ----
const unsigned = rc.unsignedReceipts(N);
const [signed, tSign] = await time(() => unsigned.map((r) => signReceipt(signReceipt(r, 'payer', rc.payerKey), 'operator', rc.operatorKey)));
const [batch, tBuild] = await time(() => buildBatch(signed));
const [proofs, tProofs] = await time(() => Array.from({ length: N }, (_, i) => inclusionProof(batch, i)));
const sizes = proofs.map((p) => InclusionProof.encode(p).finish().length);
const sumProofSize = SumNodeProof.encode(batch.tree.sumNodeProof(1, 0)).finish().length;
console.log(`| off chain, ${fmt(N)} receipts | ms | per receipt |`);
console.log('|---|---:|---:|');
console.log(`| sign (payer + operator, ed25519) | ${fmt(tSign)} | ${fmt((tSign * 1000) / N, 1)} µs |`);
console.log(`| build batch (sort, leaves, tree) | ${fmt(tBuild)} | ${fmt((tBuild * 1000) / N, 1)} µs |`);
console.log(`| all ${fmt(N)} inclusion proofs | ${fmt(tProofs)} | ${fmt((tProofs * 1000) / N, 1)} µs |`);
console.log(`\nproof size: ${Math.min(...sizes)}-${Math.max(...sizes)} bytes (${batch.tree.levels.length - 1} levels); sum-node proof ${sumProofSize} bytes; batch header ${submitBatchMsgSize(batch)} bytes`);

// ---- on chain ----
const baseline = await blockMs(5);
async function blockMs(blocks: number, txs: Uint8Array[] = []): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < blocks; i++) await rc.block(i === 0 ? txs : []);
  return (performance.now() - t) / blocks;
}
async function measure(label: string, role: Parameters<ReceiptsChain['sign']>[0], msgs: Parameters<ReceiptsChain['sign']>[1]): Promise<ExecTxResult> {
  const tx = await rc.sign(role, msgs, 20_000_000n);
  const t = performance.now();
  const [r] = await rc.block([tx]);
  const ms = performance.now() - t - baseline;
  if (r!.code !== 0) throw new Error(`${label} failed: ${r!.log}`);
  rows.push([label, `${r!.gasUsed} gas, ${fmt(ms, 2)} ms`]);
  return r!;
}

const submitMsg = rc.submitMsg(batch, 'escrow');
const id = batchIdOf(await measure(`submit a ${fmt(N)}-receipt batch (MsgSubmitBatch)`, 'operator', receiptMsgs.submit(submitMsg)));
await rc.drawnSample(id);
const record = await rc.batch(id);
await measure(`reveal the ${record.sample.length} sampled leaves (1 tx, drawn ${record.sampleHeight - record.submittedHeight} blocks after submission)`, 'operator', record.sample.map((s) => receiptMsgs.reveal(rc.address('operator'), id, batch.receipts[Number(s.index)]!, inclusionProof(batch, Number(s.index)))));
const free = [...Array(20).keys()].map(BigInt).find((i) => !record.sample.some((s) => s.index === i))!;
await measure('request a leaf (MsgRequestReceipt)', 'griefer', receiptMsgs.request(rc.address('griefer'), id, free));
await measure('answer it (MsgRevealReceipt)', 'operator', receiptMsgs.reveal(rc.address('operator'), id, batch.receipts[Number(free)]!, inclusionProof(batch, Number(free))));
const final = await time(async () => {
  await rc.advanceTo(record.disputeEnd - 1n);
  const t = performance.now();
  await rc.block();
  return performance.now() - t - baseline;
});
rows.push(['finalize in the end block (royalty split, 3 recipients)', `no tx, ${fmt(final[0], 2)} ms`]);

// Two cheats, each caught: operator2's batch has a node that claims more than its children;
// adapterAuthor (registered as an operator here) signs a receipt whose amount is not units × price.
const forged = rc.receipts(1024, { role: 'operator2' });
const sorted = forged.slice().sort((a, b) => Buffer.compare(a.id, b.id));
const liar = SumTree.build(sorted.map(receiptLeaf), { combine: (l, r, level, pos) => (level === 3 && pos === 5 ? { ...parentOf(l, r), amount: l.amount + r.amount + 99n } : parentOf(l, r)) });
const cheat: Batch = { header: { ...batch.header, operator: rc.address('operator2'), root: liar.root.hash, amount: liar.root.amount, count: liar.root.count }, receipts: sorted, tree: liar };
const cheatId = batchIdOf(await measure('submit a cheat’s batch', 'operator2', receiptMsgs.submit(rc.submitMsg(cheat, 'offchain'))));
await measure('prove sum fraud (MsgChallengeSum)', 'challenger', receiptMsgs.challengeSum(rc.address('challenger'), cheatId, liar.sumNodeProof(3, 5)));

const thirdKey = fixedKey('bench-third-operator');
await rc.ok('adapterAuthor', registryMsgs.registerOperator(rc.address('adapterAuthor'), 0, { receiptKey: thirdKey.publicKey, bond: { denom: 'ucairn', amount: '100000000' } }));
await rc.advance(1);
const third = rc.unsignedReceipts(1024).map((r) => ({ ...r, operator: rc.address('adapterAuthor'), startedAt: rc.timeOf(rc.height), finishedAt: rc.timeOf(rc.height) }));
third[3] = { ...third[3]!, amount: '1' };
const signedThird = third.map((r) => signReceipt(signReceipt(r, 'payer', rc.payerKey), 'operator', thirdKey));
const sorted2 = signedThird.slice().sort((a, b) => Buffer.compare(a.id, b.id));
const tree2 = SumTree.build(sorted2.map(receiptLeaf));
const cheat2: Batch = { header: { ...batch.header, operator: rc.address('adapterAuthor'), root: tree2.root.hash, amount: tree2.root.amount, count: tree2.root.count }, receipts: sorted2, tree: tree2 };
const cheat2Id = batchIdOf(await rc.ok('adapterAuthor', receiptMsgs.submit(rc.submitMsg(cheat2, 'offchain'))));
const j = sorted2.indexOf(signedThird[3]!);
await measure('prove receipt fraud (MsgChallengeReceipt)', 'challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), cheat2Id, sorted2[j]!, tree2.proof(j)));

console.log(`\n| on chain, one batch (in-process app, memory store; empty block ${fmt(baseline, 2)} ms subtracted) | cost |`);
console.log('|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);

// ---- blocks full of submissions ----
// The chain accounts for a batch with one submit and one sample reveal, whatever its size; blocks
// of 100 submissions show how many batches (and so receipts) a second of block time can take.
const perBlock = 100;
let total = 0;
let blocks = 0;
for (let b = 0; b < Number(opt['full-blocks']); b++) {
  const txs: Uint8Array[] = [];
  const acc = await rc.chain.account(rc.address('operator'));
  for (let k = 0; k < perBlock; k++) {
    const root = new Uint8Array(32);
    new DataView(root.buffer).setUint32(0, b * perBlock + k + 1000);
    txs.push(await signAt(acc.accountNumber, acc.sequence + BigInt(k), rc.submitMsg(batch, 'escrow', { root, amount: '1000', count: BigInt(N) })));
  }
  const t = performance.now();
  const res = await rc.block(txs);
  total += performance.now() - t;
  blocks++;
  const failed = res.filter((r) => r.code !== 0);
  if (failed.length > 0) throw new Error(`a submission failed: ${failed[0]!.log}`);
}
const msPerBatch = total / (blocks * perBlock);
const revealMs = Number(rows.find(([k]) => k.startsWith('reveal the'))![1].split(', ')[1]!.replace(' ms', ''));
console.log(`\nfull blocks: ${perBlock} MsgSubmitBatch per block, ${fmt(total / blocks)} ms per block (FinalizeBlock + Commit) → ${fmt(msPerBatch, 2)} ms per batch submission.`);
console.log(
  `receipts the chain can account for: one ${fmt(N)}-receipt batch costs ~${fmt(msPerBatch + revealMs, 2)} ms of block time (submit + sample reveal) → ~${fmt((N * 1000) / (msPerBatch + revealMs))} receipts/s on one core; a batch may hold up to max_batch_count receipts at the same cost.`,
);

function batchIdOf(r: ExecTxResult): bigint {
  return MsgSubmitBatchResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).batchId;
}

function submitBatchMsgSize(b: Batch): number {
  return MsgSubmitBatch.encode(rc.submitMsg(b, 'escrow')).finish().length;
}

async function signAt(accountNumber: bigint, sequence: bigint, msg: MsgSubmitBatch): Promise<Uint8Array> {
  const { signTx } = await import('../test/support/wallets.ts');
  return signTx(rc.w.operator, [receiptMsgs.submit(msg)], { chainId: 'cairn-test-1', accountNumber, sequence, gas: 1_000_000n, fee: [{ denom: 'ucairn', amount: '5000' }] });
}
