import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { toHex } from '../../../sdk/bytes.ts';
import { PayerStore } from './store.ts';

const receipt = (n: number): Receipt => Receipt.fromPartial({ id: new Uint8Array(32).fill(n), operator: 'cairn1operator', amount: '5' });
let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the payer gateway’s store counts what it keeps', () => {
  it('counts each receipt and each batch mark once, repeats included, and counts the same after a reopen', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-payer-store-'));
    let store = new PayerStore(dir);
    await store.open();
    for (const n of [1, 2, 3, 3]) await store.putCosigned(receipt(n), 'http://127.0.0.1:1');
    await store.markSigned([toHex(receipt(1).id), toHex(receipt(2).id)], 'aa');
    await store.markSigned([toHex(receipt(2).id)], 'aa');
    expect(store.counts()).toEqual({ receipts: 3, signed: 2 });
    await store.close();
    store = new PayerStore(dir);
    await store.open();
    expect(store.counts()).toEqual({ receipts: 3, signed: 2 });
    expect(store.receiptCount()).toBe((await store.receipts()).length);
    await store.close();
  });
});
