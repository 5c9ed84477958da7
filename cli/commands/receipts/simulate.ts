// `cairn receipts simulate <operator> <payer>`: unsigned receipts for made-up requests that the
// operator served the payer just now, to try the receipt flow (sign, batch, submit, payout) on a dev
// chain or a localnet without an inference server. The chain id, the current epoch and the times
// come from the node, so the receipts are ones the chain accepts once both parties have signed.
import { randomBytes } from 'node:crypto';
import { arg, stringFlag, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { fields } from '../../output.ts';
import * as q from '../../../proto/gen/cairn/receipts/v1/query.ts';
import type { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { sha256 } from '../../../sdk/hash.ts';
import { moduleQuery, withChain } from './client.ts';
import { receiptJson, writeJson } from './files.ts';

const MAX_COUNT = 10_000;

/** An address, or the name of a key in the keyring (--home / --keyring-dir). */
async function party(ctx: CommandContext, index: number, what: string): Promise<string> {
  const text = arg(ctx, index);
  if (text.startsWith('cairn1')) return checkAddress(text, what);
  return (await (await ctx.keyring()).show(text)).address;
}

function whole(ctx: CommandContext, name: string, fallback: bigint, max: bigint): bigint {
  const text = stringFlag(ctx, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,19}$/.test(text) || BigInt(text) < 1n || BigInt(text) > max) throw new UsageError(`--${name} "${text}" must be a whole number from 1 to ${max}`);
  return BigInt(text);
}

export async function simulate(ctx: CommandContext): Promise<void> {
  const out = stringFlag(ctx, 'out');
  if (out === undefined) throw new UsageError('--out <file> is required: where to write the receipts');
  const modelId = stringFlag(ctx, 'model');
  if (modelId === undefined) throw new UsageError('--model <id> is required: the model served (`cairn query registry models`)');
  const adapterId = stringFlag(ctx, 'adapter') ?? '';
  const count = Number(whole(ctx, 'count', 5n, BigInt(MAX_COUNT)));
  const unitPrice = whole(ctx, 'unit-price', 2n, 10n ** 18n);
  const operator = await party(ctx, 0, 'operator');
  const payer = await party(ctx, 1, 'payer');
  const chain = await withChain(ctx, async (c) => ({
    chainId: await c.stargate.getChainId(),
    epoch: (await moduleQuery(c, 'cairn.receipts.v1.Query', 'Epoch', q.QueryEpochRequest, q.QueryEpochResponse, {})).current!,
    time: BigInt(Math.floor((await c.comet.block()).block.header.time.getTime() / 1000)),
  }));
  // Served within the last 2 s, but never before the epoch began: the chain judges the keys at the
  // block of finished_at, and the receipts must lie inside their epoch.
  const finishedAt = chain.time > chain.epoch.startTime ? chain.time - 1n : chain.time;
  const startedAt = finishedAt - 1n >= chain.epoch.startTime ? finishedAt - 1n : finishedAt;
  const receipts: Receipt[] = Array.from({ length: count }, (_, i) => {
    const id = new Uint8Array(randomBytes(32));
    const unitsIn = BigInt(100 * (i + 1));
    const unitsOut = BigInt(400 * (i + 1));
    const tag = Buffer.from(id).toString('hex');
    return {
      chainId: chain.chainId,
      id,
      operator,
      payer,
      modelId,
      adapterId,
      epoch: chain.epoch.epoch,
      unitsIn,
      unitsOut,
      unitPrice: unitPrice.toString(),
      amount: ((unitsIn + unitsOut) * unitPrice).toString(),
      paymentRef: new Uint8Array(),
      attestationId: new Uint8Array(),
      startedAt,
      finishedAt,
      requestHash: sha256(new TextEncoder().encode(`request ${tag}`)),
      responseHash: sha256(new TextEncoder().encode(`response ${tag}`)),
      payerKey: new Uint8Array(),
      payerSignature: new Uint8Array(),
      operatorSignature: new Uint8Array(),
    };
  });
  await writeJson(out, receipts.map(receiptJson));
  const total = receipts.reduce((s, r) => s + BigInt(r.amount), 0n);
  ctx.print({
    json: { file: out, count, epoch: chain.epoch.epoch.toString(), amount: total.toString() },
    text: () =>
      fields([
        ['receipts', `${count}, unsigned: ${out}`],
        ['epoch', chain.epoch.epoch.toString()],
        ['amount', `${total}ucairn`],
      ]) + '\n\nNext: `cairn receipts sign` them as the payer (--role payer), then as the operator; `cairn receipts batch` them; the payer signs the batch with `cairn receipts sign-batch`.',
  });
}
