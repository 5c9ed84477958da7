// cairn receipts submit | challenge, and cairn tx receipts deposit-escrow | withdraw-escrow | reveal |
// request-receipt | reserve | start-reservation | report-refusal.
import { arg, booleanFlag, stringFlag, type CommandContext } from '../../context.ts';
import { CliError, UsageError } from '../../errors.ts';
import { receiptsMsgs } from '../../../sdk/receipts/messages.ts';
import * as q from '../../../proto/gen/cairn/receipts/v1/query.ts';
import { type Batch, batchTerms, inclusionProof } from '../../../sdk/receipts/batch.ts';
import type { MsgSubmitBatch } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { parseCoin } from '../../amount.ts';
import { eventAttribute } from '../../tx.ts';
import { moduleQuery, parseId, sendReceiptsTx, withChain } from './client.ts';
import { readBatch, readConsent, readPublishedBatch } from './files.ts';

const coinOf = (text: string, what: string): { denom: string; amount: string } => {
  const coin = parseCoin(text, { what });
  return { denom: coin.denom, amount: coin.amount.toString() };
};

function revealMsgs(sender: string, batchId: bigint, b: Batch, indices: readonly bigint[]) {
  return indices.map((i) => {
    if (i >= b.header.count) throw new UsageError(`leaf ${i} is outside the batch's ${b.header.count} leaves`);
    return receiptsMsgs.MsgRevealReceipt({ sender, batchId, receipt: b.receipts[Number(i)]!, proof: inclusionProof(b, Number(i)) });
  });
}

/** Submits a batch file the payer signed; then, unless --no-reveal, reveals the leaves the chain sampled. */
export async function submit(ctx: CommandContext): Promise<void> {
  const path = arg(ctx, 1);
  const b = await readBatch(path);
  const consent = await readConsent(path);
  if (consent === undefined) throw new UsageError(`${path} carries no payer signature: the payer signs the batch with \`cairn receipts sign-batch\` first`);
  const mode = stringFlag(ctx, 'mode') ?? consent.mode;
  if (mode !== consent.mode) throw new UsageError(`the payer signed this batch for mode ${consent.mode}, not ${mode}`);
  const msg: MsgSubmitBatch = { ...batchTerms(b, mode), chainId: consent.chainId, payerKey: consent.payerKey, payerSignature: consent.signature };
  const result = await sendReceiptsTx(
    ctx,
    (sender) => {
      if (sender !== b.header.operator) throw new UsageError(`the batch is ${b.header.operator}'s; sign with that key, not ${sender}`);
      return [receiptsMsgs.MsgSubmitBatch(msg)];
    },
    (r) => [
      ['batch id', eventAttribute(r, 'batch_submitted', 'batch_id') ?? '?'],
      ['sample', `${eventAttribute(r, 'batch_submitted', 'sample_size') ?? '?'} leaves, drawn at height ${eventAttribute(r, 'batch_submitted', 'sample_height') ?? '?'}`],
      ['reveal by height', eventAttribute(r, 'batch_submitted', 'reveal_deadline') ?? '?'],
      ['dispute window ends', eventAttribute(r, 'batch_submitted', 'dispute_end') ?? '?'],
    ],
  );
  const id = BigInt(eventAttribute(result, 'batch_submitted', 'batch_id') ?? '0');
  const size = Number(eventAttribute(result, 'batch_submitted', 'sample_size') ?? '0');
  if (booleanFlag(ctx, 'no-reveal') || size === 0) return;
  ctx.note(`waiting for block ${eventAttribute(result, 'batch_submitted', 'sample_height') ?? '?'}, whose hash draws the sample of batch ${id}`);
  const sample = await drawnSample(ctx, id);
  if (sample.length === 0) return;
  ctx.note(`revealing the ${sample.length} sampled leaves of batch ${id}: ${sample.join(', ')}`);
  await sendReceiptsTx(ctx, (sender) => revealMsgs(sender, id, b, sample));
}

/** Polls the batch until the chain has drawn its sample (a few blocks); the leaves to reveal. */
async function drawnSample(ctx: CommandContext, id: bigint): Promise<bigint[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const b = await withChain(ctx, async (c) => (await moduleQuery(c, 'cairn.receipts.v1.Query', 'Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id })).batch!);
    if (b.sampleDrawn) return b.sample.map((s) => s.index);
    if (b.status !== 1) throw new CliError(`batch ${id} is no longer pending: ${b.fault?.detail ?? 'see cairn query receipts batch'}`);
    if (Date.now() > deadline) throw new CliError(`batch ${id}'s sample was not drawn by height ${b.sampleHeight} within 2 minutes; reveal it later with \`cairn tx receipts reveal\``);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Reveals leaves (sampled, or requested by someone) of a batch file. */
export async function reveal(ctx: CommandContext): Promise<void> {
  const id = parseId(arg(ctx, 1), 'batch id');
  const b = await readBatch(arg(ctx, 2));
  const indices = ctx.args.slice(3).map((x) => parseId(x, 'leaf index'));
  await sendReceiptsTx(ctx, (sender) => revealMsgs(sender, id, b, indices));
}

/**
 * Proves a fault of a pending batch from its gossiped batch file: --leaf <i> (an invalid receipt),
 * --sum <level>:<position> (a node that does not add up), or asks with --request <i> (bond paid).
 */
export async function challenge(ctx: CommandContext): Promise<void> {
  const id = parseId(arg(ctx, 1), 'batch id');
  const leaf = stringFlag(ctx, 'leaf');
  const sum = stringFlag(ctx, 'sum');
  const request = stringFlag(ctx, 'request');
  if ([leaf, sum, request].filter((x) => x !== undefined).length !== 1) throw new UsageError('give exactly one of --leaf <i>, --sum <level>:<position> and --request <i>');
  if (request !== undefined) {
    const index = parseId(request, '--request');
    const bond = await withChain(ctx, async (c) => (await moduleQuery(c, 'cairn.receipts.v1.Query', 'Params', q.QueryParamsRequest, q.QueryParamsResponse, {})).params!.challengeBond!);
    await sendReceiptsTx(ctx, (requester) => [receiptsMsgs.MsgRequestReceipt({ requester, batchId: id, index, bond })]);
    return;
  }
  const path = stringFlag(ctx, 'batch');
  if (path === undefined) throw new UsageError('--batch <file> (the batch as the operator published it) is required to prove a fault');
  const b = await readPublishedBatch(path);
  const onChain = await withChain(ctx, async (c) => (await moduleQuery(c, 'cairn.receipts.v1.Query', 'Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id })).batch!);
  if (!Buffer.from(onChain.root).equals(Buffer.from(b.header.root))) {
    throw new CliError(`${path} is not batch ${id}: its receipts make root ${Buffer.from(b.header.root).toString('hex')}, the chain has ${Buffer.from(onChain.root).toString('hex')}`);
  }
  if (leaf !== undefined) {
    const i = Number(parseId(leaf, '--leaf'));
    if (i >= b.receipts.length) throw new UsageError(`leaf ${i} is outside the batch's ${b.receipts.length} leaves`);
    await sendReceiptsTx(ctx, (challenger) => [receiptsMsgs.MsgChallengeReceipt({ challenger, batchId: id, receipt: b.receipts[i]!, proof: inclusionProof(b, i) })]);
    return;
  }
  const m = /^(\d+):(\d+)$/.exec(sum!);
  if (m === null) throw new UsageError('--sum must be <level>:<position>, e.g. 1:0 (level 0 are the leaves)');
  const proof = b.tree.sumNodeProof(Number(m[1]), Number(m[2]), Number(m[1]) === 0 ? b.receipts[Number(m[2])] : undefined);
  await sendReceiptsTx(ctx, (challenger) => [receiptsMsgs.MsgChallengeSum({ challenger, batchId: id, proof })]);
}

export async function depositEscrow(ctx: CommandContext): Promise<void> {
  const amount = coinOf(arg(ctx, 1), 'amount');
  await sendReceiptsTx(ctx, (payer) => [receiptsMsgs.MsgDepositEscrow({ payer, amount })]);
}

export async function withdrawEscrow(ctx: CommandContext): Promise<void> {
  const amount = coinOf(arg(ctx, 1), 'amount');
  await sendReceiptsTx(ctx, (payer) => [receiptsMsgs.MsgWithdrawEscrow({ payer, amount })], (r) => [['paid at height', eventAttribute(r, 'escrow_withdraw_requested', 'completion_height') ?? '?']]);
}

export async function requestReceipt(ctx: CommandContext): Promise<void> {
  const batchId = parseId(arg(ctx, 1), 'batch id');
  const index = parseId(arg(ctx, 2), 'leaf index');
  const bondText = stringFlag(ctx, 'bond');
  const bond = bondText !== undefined ? coinOf(bondText, '--bond') : await withChain(ctx, async (c) => (await moduleQuery(c, 'cairn.receipts.v1.Query', 'Params', q.QueryParamsRequest, q.QueryParamsResponse, {})).params!.challengeBond!);
  await sendReceiptsTx(ctx, (requester) => [receiptsMsgs.MsgRequestReceipt({ requester, batchId, index, bond })]);
}

export async function reserve(ctx: CommandContext): Promise<void> {
  const operator = arg(ctx, 1);
  const gpuId = arg(ctx, 2);
  const gpuCount = Number(parseId(arg(ctx, 3), 'GPU count'));
  const hours = parseId(arg(ctx, 4), 'hours');
  await sendReceiptsTx(ctx, (payer) => [receiptsMsgs.MsgReserveCapacity({ payer, operator, gpuId, gpuCount, hours })], (r) => [
    ['reservation id', eventAttribute(r, 'capacity_reserved', 'reservation_id') ?? '?'],
    ['escrowed', eventAttribute(r, 'capacity_reserved', 'amount') ?? '?'],
    ['start by height', eventAttribute(r, 'capacity_reserved', 'start_deadline') ?? '?'],
  ]);
}

export async function startReservation(ctx: CommandContext): Promise<void> {
  const reservationId = parseId(arg(ctx, 1), 'reservation id');
  await sendReceiptsTx(ctx, (operator) => [receiptsMsgs.MsgStartReservation({ operator, reservationId })]);
}

export async function reportRefusal(ctx: CommandContext): Promise<void> {
  const reservationId = parseId(arg(ctx, 1), 'reservation id');
  await sendReceiptsTx(ctx, (payer) => [receiptsMsgs.MsgReportRefusal({ payer, reservationId })]);
}

