// cairn receipts keygen | sign | batch | sign-batch | verify | prove: what an operator or a payer does with
// receipts before the chain sees anything. Only `verify --chain` talks to a node (to look up keys).
import { writeFile } from 'node:fs/promises';
import { arg, booleanFlag, stringFlag, type CommandContext } from '../../context.ts';
import { CliError, UsageError } from '../../errors.ts';
import { fields } from '../../output.ts';
import { checkAddress } from '../../node-client.ts';
import * as regq from '../../../proto/gen/cairn/registry/v1/query.ts';
import type { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { BatchError, buildBatch, inclusionProof } from '../../../sdk/receipts/batch.ts';
import { generateEd25519, verifyEd25519 } from '../../../sdk/ed25519.ts';
import { ReceiptFormatError, receiptProblems, receiptSignBytes, signReceipt } from '../../../sdk/receipts/receipt.ts';
import { moduleQuery, parseId, withChain } from './client.ts';
import { signBatchAsPayer, signedLedger } from '../../../sdk/receipts/batch-signature.ts';
import { batchJson, headerJson, readBatch, readKey, readReceipts, readReceiptsOrBatch, receiptJson, writeJson } from './files.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A new receipt key: the seed goes to --out (mode 0600), the public key is printed for the registry. */
export async function keygen(ctx: CommandContext): Promise<void> {
  const out = stringFlag(ctx, 'out');
  if (out === undefined) throw new UsageError('--out <file> is required: the seed is the key and is written only there');
  const { seed, signer } = generateEd25519();
  try {
    await writeFile(out, `${hex(seed)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new CliError(`cannot write ${out}: ${(error as Error).message} (an existing key file is never overwritten)`);
  }
  ctx.print({ json: { publicKey: hex(signer.publicKey), file: out }, text: fields([['public key', hex(signer.publicKey)], ['seed file', out]]) });
}

/** Signs every receipt of the file as the payer or the operator. */
export async function sign(ctx: CommandContext): Promise<void> {
  const role = stringFlag(ctx, 'role');
  if (role !== 'payer' && role !== 'operator') throw new UsageError('--role must be payer or operator');
  const keyFile = stringFlag(ctx, 'key');
  if (keyFile === undefined) throw new UsageError('--key <seed-file> is required');
  const signer = await readKey(keyFile);
  const receipts = await readReceipts(arg(ctx, 0));
  const signed: Receipt[] = [];
  for (const r of receipts) {
    try {
      // A payer signing fills in its own key, which the signature covers.
      signed.push(signReceipt(role === 'payer' && r.payerKey.length === 0 ? { ...r, payerKey: signer.publicKey } : r, role, signer));
    } catch (error) {
      if (error instanceof ReceiptFormatError) throw new CliError(`receipt ${hex(r.id)} cannot be signed: ${error.message}`);
      throw error;
    }
  }
  const out = stringFlag(ctx, 'out');
  const json = signed.length === 1 ? receiptJson(signed[0]!) : signed.map(receiptJson);
  if (out !== undefined) await writeJson(out, json);
  ctx.print({ json, text: out === undefined ? JSON.stringify(json, null, 2) : `signed ${signed.length} receipt(s) as the ${role}: ${out}` });
}

/** Builds a batch from receipt files: sorted by id, duplicates and mixed batches refused. */
export async function batch(ctx: CommandContext): Promise<void> {
  const out = stringFlag(ctx, 'out');
  if (out === undefined) throw new UsageError('--out <file> is required');
  const receipts: Receipt[] = [];
  for (const path of ctx.args) receipts.push(...(await readReceipts(path)));
  let b;
  try {
    b = buildBatch(receipts);
  } catch (error) {
    if (error instanceof BatchError) throw new CliError(`not a batch: ${error.message}`);
    throw error;
  }
  await writeJson(out, batchJson(b));
  const h = headerJson(b.header);
  ctx.print({ json: { file: out, header: h }, text: fields([['batch file', out], ...Object.entries(h)]) });
}

/**
 * The payer's consent: signs the batch's terms (root, count, units, amount, mode …) with the payer
 * key, only if the file's receipts rebuild its header and each carries this key's payer signature;
 * with --signed, each must also be one of the receipts in that file (the payer's own record of what
 * it co-signed). Anything else is refused. Writes the batch file with the signature to --out.
 */
export async function signBatch(ctx: CommandContext): Promise<void> {
  const out = stringFlag(ctx, 'out');
  if (out === undefined) throw new UsageError('--out <file> is required');
  const keyFile = stringFlag(ctx, 'key');
  if (keyFile === undefined) throw new UsageError('--key <seed-file> (the payer key) is required');
  const mode = stringFlag(ctx, 'mode') ?? 'escrow';
  if (mode !== 'escrow' && mode !== 'offchain') throw new UsageError('--mode must be escrow or offchain');
  const signer = await readKey(keyFile);
  const b = await readBatch(arg(ctx, 0));
  const ledgerFile = stringFlag(ctx, 'signed');
  const own = ledgerFile === undefined ? undefined : signedLedger(await readReceipts(ledgerFile));
  let msg;
  try {
    msg = signBatchAsPayer(b, mode, signer, own);
  } catch (error) {
    if (error instanceof BatchError || error instanceof ReceiptFormatError) throw new CliError(`refusing to sign: ${error.message}`);
    throw error;
  }
  await writeJson(out, batchJson(b, { mode, chainId: msg.chainId, payerKey: msg.payerKey, signature: msg.payerSignature }));
  const h = headerJson(b.header);
  ctx.print({
    json: { file: out, mode, payerKey: hex(msg.payerKey), signature: hex(msg.payerSignature), header: h },
    text: fields([['signed batch file', out], ['mode', mode], ['payer key', hex(msg.payerKey)], ['count', h['count']!], ['amount', h['amount']!], ['root', h['root']!]]),
  });
}

interface ChainKeys {
  readonly operatorKeys: { key: Uint8Array; validFrom: bigint; validUntil: bigint | undefined }[];
  readonly payerKeys: Map<string, { authorizedHeight: bigint; revokedHeight: bigint }>;
  /**
   * Block time (whole seconds) of a height; +∞ for a height not produced yet. The chain judges a
   * receipt's keys at the last block whose time is at or before its finished_at, so "that block is
   * at or after height H" is exactly "time(H) ≤ finished_at": one block read per key boundary.
   */
  readonly timeOf: (height: bigint) => Promise<number>;
}

async function chainKeys(ctx: CommandContext, operator: string, payer: string): Promise<ChainKeys> {
  return withChain(ctx, async (c) => {
    const op = await moduleQuery(c, 'cairn.registry.v1.Query', 'Operator', regq.QueryOperatorRequest, regq.QueryOperatorResponse, { address: operator });
    const pk = await moduleQuery(c, 'cairn.registry.v1.Query', 'PayerKeys', regq.QueryPayerKeysRequest, regq.QueryPayerKeysResponse, { payer, includeRevoked: true, pagination: undefined });
    const latest = BigInt(await c.stargate.getHeight());
    const heights = new Set<bigint>([1n]);
    for (const k of op.retiredReceiptKeys) heights.add(k.validFrom).add(k.validUntil);
    heights.add(op.operator!.receiptKeySince);
    for (const k of pk.keys) heights.add(k.authorizedHeight).add(k.revokedHeight);
    const times = new Map<bigint, number>();
    for (const h of heights) {
      if (h < 1n || h > latest) continue;
      times.set(h, Math.floor(Date.parse((await c.stargate.getBlock(Number(h))).header.time) / 1000));
    }
    return {
      operatorKeys: [
        ...op.retiredReceiptKeys.map((k) => ({ key: k.key, validFrom: k.validFrom, validUntil: k.validUntil as bigint | undefined })),
        { key: op.operator!.receiptKey, validFrom: op.operator!.receiptKeySince, validUntil: undefined },
      ],
      payerKeys: new Map(pk.keys.map((k) => [hex(k.key), { authorizedHeight: k.authorizedHeight, revokedHeight: k.revokedHeight }])),
      timeOf: async (h) => times.get(h) ?? (h < 1n ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
    };
  });
}

/** Problems of one receipt's keys as the chain judges them, at the block of its finished_at. */
async function keyProblems(r: Receipt, keys: ChainKeys): Promise<string[]> {
  const problems: string[] = [];
  const t = Number(r.finishedAt);
  // The block of finished_at is at or after height h.
  const reached = async (h: bigint): Promise<boolean> => (await keys.timeOf(h)) <= t;
  if (!(await reached(1n))) return [`finished_at ${r.finishedAt} is before the chain's first block`];
  const payerKey = keys.payerKeys.get(hex(r.payerKey));
  if (payerKey === undefined) problems.push(`payer key ${hex(r.payerKey)} is unknown: the payer never authorised it`);
  else if (!(await reached(payerKey.authorizedHeight))) problems.push(`payer key ${hex(r.payerKey)} was authorised at height ${payerKey.authorizedHeight}, after the receipt finished: the chain would call it fraud`);
  else if (payerKey.revokedHeight !== 0n && (await reached(payerKey.revokedHeight))) problems.push(`payer key ${hex(r.payerKey)} was revoked at height ${payerKey.revokedHeight}, before the receipt finished`);
  let bytes: Uint8Array | undefined;
  try {
    bytes = receiptSignBytes(r);
  } catch {
    return problems;
  }
  const signer = keys.operatorKeys.find((k) => verifyEd25519(k.key, bytes, r.operatorSignature));
  if (signer === undefined) problems.push('operator_signature is by none of the operator’s receipt keys (unknown key)');
  else if (!(await reached(signer.validFrom)) || (signer.validUntil !== undefined && (await reached(signer.validUntil)))) {
    problems.push(`operator_signature is by a receipt key valid from height ${signer.validFrom}${signer.validUntil === undefined ? '' : ` until ${signer.validUntil}`}, not when the receipt finished`);
  }
  return problems;
}

/**
 * Checks a receipt, a receipts file or a batch file: structure, amounts and signatures (with
 * --operator-key), and with --chain the payer and operator keys as the chain judges them: valid at
 * the block of the receipt's finished_at.
 */
export async function verify(ctx: CommandContext): Promise<void> {
  const { receipts, batch: b } = await readReceiptsOrBatch(arg(ctx, 0));
  const header = b === undefined ? undefined : headerJson(b.header);
  const keyText = stringFlag(ctx, 'operator-key');
  const operatorKey = keyText === undefined ? undefined : parseHexKey(keyText);
  let keys: ChainKeys | undefined;
  let chainId: string | undefined;
  if (booleanFlag(ctx, 'chain') && receipts[0] !== undefined) {
    keys = await chainKeys(ctx, checkAddress(receipts[0].operator), checkAddress(receipts[0].payer));
    chainId = await withChain(ctx, (c) => c.stargate.getChainId());
  }
  const report: { id: string; problems: string[] }[] = [];
  for (const r of receipts) {
    const problems = receiptProblems(r, { ...(operatorKey === undefined ? {} : { operatorKey }), ...(chainId === undefined ? {} : { chainId }) });
    if (keys !== undefined) problems.push(...(await keyProblems(r, keys)));
    if (problems.length > 0) report.push({ id: hex(r.id), problems });
  }
  const unchecked = operatorKey === undefined && keys === undefined ? '; operator signatures not checked: give --operator-key or --chain' : '';
  ctx.print({
    json: { receipts: receipts.length, header, invalid: report },
    text: () =>
      report.length === 0
        ? `${receipts.length} receipt(s) valid${header === undefined ? '' : ` (batch root ${header['root']})`}${unchecked}`
        : report.map((x) => `receipt ${x.id}:\n  ${x.problems.join('\n  ')}`).join('\n'),
  });
  if (report.length > 0) throw new CliError(`${report.length} of ${receipts.length} receipt(s) are invalid`);
}

function parseHexKey(text: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`--operator-key "${text}" must be 64 hex digits`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** The inclusion proof of one leaf of a batch file, as protobuf JSON. */
export async function prove(ctx: CommandContext): Promise<void> {
  const b = await readBatch(arg(ctx, 0));
  const index = parseId(arg(ctx, 1), 'leaf index');
  if (index >= b.header.count) throw new UsageError(`the batch has ${b.header.count} leaves`);
  const proof = inclusionProof(b, Number(index));
  const json = { index: proof.index.toString(), steps: proof.steps.map((s) => ({ hash: hex(s.hash), amount: s.amount, count: s.count.toString(), left: s.left })) };
  ctx.print({ json: { receipt: receiptJson(b.receipts[Number(index)]!), proof: json }, text: JSON.stringify({ receipt: receiptJson(b.receipts[Number(index)]!), proof: json }, null, 2) });
}
