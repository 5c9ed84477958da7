// `cairn receipts keygen | sign | batch | sign-batch | verify | prove` offline: a payer and an operator sign a
// stream of receipts, build a batch and prove a leaf; bad input (a duplicate id, a mixed batch, an
// unsorted or edited batch file, a wrong signature, an overflowing amount) gets a clear error.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { receiptId, unsignedReceipt } from './support/receipts-fixtures.ts';
import { type SumValue, verifyInclusion } from '../sdk/receipts/merkle.ts';
import { ed25519FromSeed } from '../sdk/ed25519.ts';
import { verifyBatchSignature } from '../sdk/receipts/batch-signature.ts';
import { batchTerms, buildBatch } from '../sdk/receipts/batch.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { testDir } from './support/test-dirs.ts';

let dir: string;
const operator = toBech32('cairn', new Uint8Array(20).fill(1));
const payer = toBech32('cairn', new Uint8Array(20).fill(2));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

const at = (name: string): string => join(dir, name);

async function writeReceipts(name: string, receipts: Receipt[]): Promise<string> {
  await writeFile(at(name), receipts.map((r) => JSON.stringify(Receipt.toJSON(r))).join('\n') + '\n');
  return at(name);
}

beforeAll(async () => {
  dir = await testDir('cairn-receipts-cli-offline-');
  for (const who of ['payer', 'operator']) {
    const r = await cli('receipts', 'keygen', '--out', at(`${who}.key`));
    expect(r.code, r.err).toBe(0);
  }
});

async function key(who: string) {
  return ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(at(`${who}.key`), 'utf8')).trim(), 'hex')));
}

async function unsigned(n: number, f: Partial<Receipt> = {}): Promise<Receipt[]> {
  const party = { chainId: 'cairn-1', operator, payer, payerKey: await key('payer'), operatorKey: await key('operator') };
  return Array.from({ length: n }, (_, i) => unsignedReceipt(party, i, { id: receiptId(i, 'cli'), payerKey: new Uint8Array(), ...f }));
}

async function signedFile(name: string, receipts: Receipt[]): Promise<string> {
  const raw = await writeReceipts(`${name}.raw.jsonl`, receipts);
  const p = await cli('receipts', 'sign', raw, '--role', 'payer', '--key', at('payer.key'), '--out', at(`${name}.p.json`));
  expect(p.code, p.err).toBe(0);
  const o = await cli('receipts', 'sign', at(`${name}.p.json`), '--role', 'operator', '--key', at('operator.key'), '--out', at(`${name}.json`));
  expect(o.code, o.err).toBe(0);
  return at(`${name}.json`);
}

describe('cairn receipts, offline', () => {
  it('signs, batches, verifies and proves a leaf that verifies against the printed root', async () => {
    const file = await signedFile('good', await unsigned(25));
    const b = await cli('receipts', 'batch', file, '--out', at('batch.json'), '-o', 'json');
    expect(b.code, b.err).toBe(0);
    const header = (JSON.parse(b.out) as { header: Record<string, string> }).header;
    expect(header['count']).toBe('25');
    const opKey = Buffer.from((await key('operator')).publicKey).toString('hex');
    const v = await cli('receipts', 'verify', at('batch.json'), '--operator-key', opKey);
    expect(v.code, v.err).toBe(0);
    expect(v.out).toMatch(/25 receipt\(s\) valid \(batch root [0-9a-f]{64}\)/);
    const p = await cli('receipts', 'prove', at('batch.json'), '7', '-o', 'json');
    expect(p.code, p.err).toBe(0);
    const { receipt, proof } = JSON.parse(p.out) as { receipt: unknown; proof: { index: string; steps: { hash: string; amount: string; count: string; left: boolean }[] } };
    const root: SumValue = { hash: Buffer.from(header['root']!, 'hex'), amount: BigInt(header['amount']!), count: 25n };
    const { receiptLeaf } = await import('../sdk/receipts/merkle.ts');
    const leaf = receiptLeaf(Receipt.fromJSON(receipt));
    const parsed = { index: BigInt(proof.index), steps: proof.steps.map((s) => ({ hash: Buffer.from(s.hash, 'hex'), amount: s.amount, count: BigInt(s.count), left: s.left })) };
    expect(verifyInclusion(root, leaf, parsed)).toBe(true);
  });

  it('signs a batch as the payer only over receipts the payer signed, and writes a signature the chain checks', async () => {
    const file = await signedFile('consent', await unsigned(6));
    expect((await cli('receipts', 'batch', file, '--out', at('consent-batch.json'))).code).toBe(0);
    const s = await cli('receipts', 'sign-batch', at('consent-batch.json'), '--key', at('payer.key'), '--signed', at('consent.p.json'), '--mode', 'offchain', '--out', at('consent-signed.json'));
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/mode:\s+offchain/);
    const written = JSON.parse(await readFile(at('consent-signed.json'), 'utf8')) as { payerSignature: { mode: string; chainId: string; payerKey: string; signature: string }; receipts: unknown[] };
    const batch = buildBatch(written.receipts.map((r) => Receipt.fromJSON(r)));
    const c = written.payerSignature;
    expect(c.mode).toBe('offchain');
    expect(verifyBatchSignature({ ...batchTerms(batch, 'offchain'), payerKey: Buffer.from(c.payerKey, 'hex'), payerSignature: Buffer.from(c.signature, 'hex') })).toBe(true);

    // A receipt the operator added, signed by a payer key of its own: refused, nothing written.
    const made = ed25519FromSeed(new Uint8Array(32).fill(5));
    const extra = (await unsigned(1, { id: receiptId(77, 'cli') })).map((r) => signReceipt(signReceipt({ ...r, payerKey: made.publicKey }, 'payer', made), 'operator', ed25519FromSeed(new Uint8Array(32).fill(6))));
    const padded = await writeReceipts('padded.jsonl', [...written.receipts.map((r) => Receipt.fromJSON(r)), ...extra]);
    expect((await cli('receipts', 'batch', padded, '--out', at('padded-batch.json'))).code).toBe(0);
    const refused = await cli('receipts', 'sign-batch', at('padded-batch.json'), '--key', at('payer.key'), '--out', at('padded-signed.json'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refusing to sign: receipt [0-9a-f]{64} names payer key/);
    // A receipt this key signed, but not in the payer's own record.
    const more = await signedFile('more', await unsigned(1, { id: receiptId(78, 'cli') }));
    expect((await cli('receipts', 'batch', file, more, '--out', at('more-batch.json'))).code).toBe(0);
    const unknown = await cli('receipts', 'sign-batch', at('more-batch.json'), '--key', at('payer.key'), '--signed', at('consent.p.json'), '--out', at('more-signed.json'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/not among the receipts this payer signed/);
    await expect(readFile(at('padded-signed.json'))).rejects.toThrow();
  });

  it('refuses duplicate ids and batches mixing payers or models', async () => {
    const file = await signedFile('dup', await unsigned(3));
    const dup = await cli('receipts', 'batch', file, file, '--out', at('dup-batch.json'));
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/not a batch: receipt id [0-9a-f]{64} appears twice/);
    const other = await signedFile('mixed', await unsigned(1, { id: receiptId(99, 'cli'), modelId: 'other-model' }));
    const mixed = await cli('receipts', 'batch', file, other, '--out', at('mixed-batch.json'));
    expect(mixed.code).toBe(1);
    expect(mixed.err).toMatch(/has modelId other-model, the batch has llama-3-8b/);
  });

  it('refuses an unsorted or edited batch file, and names a bad signature and an overflowing amount', async () => {
    const file = await signedFile('sort', await unsigned(4));
    expect((await cli('receipts', 'batch', file, '--out', at('sort-batch.json'))).code).toBe(0);
    const json = JSON.parse(await readFile(at('sort-batch.json'), 'utf8')) as { header: Record<string, string>; receipts: unknown[] };
    await writeFile(at('unsorted.json'), JSON.stringify({ ...json, receipts: [...json.receipts].reverse() }));
    const unsorted = await cli('receipts', 'verify', at('unsorted.json'));
    expect(unsorted.code).toBe(1);
    expect(unsorted.err).toMatch(/receipts are not sorted by id/);
    await writeFile(at('edited.json'), JSON.stringify({ ...json, header: { ...json.header, amount: '1' } }));
    expect((await cli('receipts', 'verify', at('edited.json'))).err).toMatch(/header amount is 1 but the receipts give/);

    const stranger = ed25519FromSeed(new Uint8Array(32).fill(9));
    const v = await cli('receipts', 'verify', file, '--operator-key', Buffer.from(stranger.publicKey).toString('hex'));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/operator_signature does not verify with the operator key/);
    expect(v.err).toMatch(/4 of 4 receipt\(s\) are invalid/);

    const huge = await writeReceipts('huge.jsonl', await unsigned(1, { unitsIn: 2n ** 64n - 1n, unitPrice: (2n ** 100n).toString(), amount: '0' }));
    const h = await cli('receipts', 'verify', huge);
    expect(h.code).toBe(1);
    expect(h.out).toMatch(/does not fit in 128 bits/);
  });
});
