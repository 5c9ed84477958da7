// Files the receipts commands read and write. Receipts are protobuf JSON (ts-proto's form: camelCase,
// bytes base64, 64-bit integers as strings); a file holds one receipt, a JSON array of them, or one
// per line (JSONL). A batch file is {"header": {...}, "receipts": [...]} with the receipts in leaf
// order; its tree is rebuilt (and checked against the header) when it is read. Once the payer has
// signed it (`cairn receipts sign-batch`) it also holds "payerSignature": {mode, chainId, payerKey,
// signature}, which `cairn receipts submit` sends along. A key file holds an ed25519 seed as 64 hex
// digits.
import { readFile, writeFile } from 'node:fs/promises';
import { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, type BatchHeader, buildBatch } from '../../../sdk/receipts/batch.ts';
import { SumTree, receiptLeaf } from '../../../sdk/receipts/merkle.ts';
import { type Ed25519Signer, ed25519FromSeed } from '../../../sdk/ed25519.ts';
import { CliError, UsageError } from '../../errors.ts';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

/** A JSON file's value; `what` names it in the error ("attestation file"). */
export async function readJson(path: string, what: string): Promise<unknown> {
  return parseJson(await readText(path, what), path);
}

/** A JSON file holding one object. */
export async function readJsonObject(path: string, what: string): Promise<Record<string, unknown>> {
  const json = await readJson(path, what);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${path} must hold one JSON object`);
  return json as Record<string, unknown>;
}

/** Receipts from a JSON object, a JSON array or JSONL. */
export async function readReceipts(path: string): Promise<Receipt[]> {
  const text = (await readText(path, 'receipts file')).trim();
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  let items: unknown[];
  if (Array.isArray(whole)) items = whole;
  else if (whole !== undefined) items = [whole];
  else items = text.split('\n').filter((l) => l.trim() !== '').map((l, i) => parseJson(l, `${path} line ${i + 1}`));
  return items.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new UsageError(`${path}: receipt ${i} is not a JSON object`);
    return Receipt.fromJSON(item);
  });
}

export function receiptJson(r: Receipt): unknown {
  return Receipt.toJSON(r);
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o644 });
}

export function headerJson(h: BatchHeader): Record<string, string> {
  return {
    chainId: h.chainId,
    operator: h.operator,
    payer: h.payer,
    modelId: h.modelId,
    adapterId: h.adapterId,
    epoch: h.epoch.toString(),
    root: Buffer.from(h.root).toString('hex'),
    count: h.count.toString(),
    units: h.units.toString(),
    amount: h.amount.toString(),
  };
}

/** The payer's signature over a batch's terms, as `cairn receipts sign-batch` writes it into the batch file. */
export interface PayerConsent {
  readonly mode: 'escrow' | 'offchain';
  readonly chainId: string;
  readonly payerKey: Uint8Array;
  readonly signature: Uint8Array;
}

export function batchJson(b: Batch, consent?: PayerConsent): unknown {
  const signed =
    consent === undefined
      ? {}
      : { payerSignature: { mode: consent.mode, chainId: consent.chainId, payerKey: Buffer.from(consent.payerKey).toString('hex'), signature: Buffer.from(consent.signature).toString('hex') } };
  return { header: headerJson(b.header), ...signed, receipts: b.receipts.map(receiptJson) };
}

/** The payer's signature of a batch file, or undefined when the payer has not signed it. */
export async function readConsent(path: string): Promise<PayerConsent | undefined> {
  const json = parseJson(await readText(path, 'batch file'), path) as { payerSignature?: Record<string, unknown> };
  const c = json.payerSignature;
  if (c === undefined) return undefined;
  const hexField = (name: string, length: number): Uint8Array => {
    const v = c[name];
    if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${length * 2}}$`).test(v)) throw new UsageError(`${path}: payerSignature.${name} must be ${length} bytes as hex`);
    return new Uint8Array(Buffer.from(v, 'hex'));
  };
  if (c['mode'] !== 'escrow' && c['mode'] !== 'offchain') throw new UsageError(`${path}: payerSignature.mode must be escrow or offchain`);
  if (typeof c['chainId'] !== 'string') throw new UsageError(`${path}: payerSignature.chainId is missing`);
  return { mode: c['mode'], chainId: c['chainId'], payerKey: hexField('payerKey', 32), signature: hexField('signature', 64) };
}

/**
 * Reads a batch file and rebuilds its tree. Throws when the receipts do not make a valid batch or
 * do not match the header (a different root, amount, count or units).
 */
export async function readBatch(path: string): Promise<Batch> {
  const json = parseJson(await readText(path, 'batch file'), path) as { header?: Record<string, string>; receipts?: unknown[] };
  if (typeof json !== 'object' || json === null || !Array.isArray(json.receipts) || typeof json.header !== 'object') {
    throw new UsageError(`${path} is not a batch file: expected {"header": {...}, "receipts": [...]} as written by \`cairn receipts batch\``);
  }
  const receipts = json.receipts.map((r) => Receipt.fromJSON(r));
  const batch = buildBatch(receipts);
  const want = json.header;
  const got = headerJson(batch.header);
  for (const [k, v] of Object.entries(got)) {
    if (want[k] !== v) throw new CliError(`${path}: header ${k} is ${String(want[k])} but the receipts give ${v}`);
  }
  const order = receipts.map((r) => Buffer.from(r.id).toString('hex'));
  const sorted = batch.receipts.map((r) => Buffer.from(r.id).toString('hex'));
  if (order.some((id, i) => id !== sorted[i])) throw new CliError(`${path}: receipts are not sorted by id`);
  return batch;
}

/**
 * A batch file as published, however wrong: its receipts in file order and the tree they make. A
 * challenger reads a cheat's file this way (its header may lie; the chain's root is what counts).
 */
export async function readPublishedBatch(path: string): Promise<Batch> {
  const json = parseJson(await readText(path, 'batch file'), path) as { header?: Record<string, string>; receipts?: unknown[] };
  if (typeof json !== 'object' || json === null || !Array.isArray(json.receipts) || json.receipts.length === 0) throw new UsageError(`${path} is not a batch file`);
  const receipts = json.receipts.map((r) => Receipt.fromJSON(r));
  let tree: SumTree;
  try {
    tree = SumTree.build(receipts.map(receiptLeaf));
  } catch (error) {
    throw new CliError(`${path}: the receipts do not make a tree: ${(error as Error).message}`);
  }
  const first = receipts[0]!;
  const header: BatchHeader = {
    chainId: first.chainId,
    operator: first.operator,
    payer: first.payer,
    modelId: first.modelId,
    adapterId: first.adapterId,
    epoch: first.epoch,
    root: tree.root.hash,
    count: tree.root.count,
    units: receipts.reduce((s, r) => s + r.unitsIn + r.unitsOut, 0n),
    amount: tree.root.amount,
  };
  return { header, receipts, tree };
}

/** A batch file (checked and rebuilt) or a receipts file. */
export async function readReceiptsOrBatch(path: string): Promise<{ receipts: Receipt[]; batch?: Batch }> {
  const text = (await readText(path, 'file')).trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (typeof json === 'object' && json !== null && 'header' in json && 'receipts' in json) {
    const batch = await readBatch(path);
    return { receipts: [...batch.receipts], batch };
  }
  return { receipts: await readReceipts(path) };
}

export async function readKey(path: string): Promise<Ed25519Signer> {
  const text = (await readText(path, 'key file')).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`${path} must hold an ed25519 seed as 64 hex digits (cairn receipts keygen writes one)`);
  return ed25519FromSeed(new Uint8Array(Buffer.from(text, 'hex')));
}
