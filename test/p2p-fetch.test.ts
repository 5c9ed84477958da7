// The batch store and the fetch-by-root protocol: a node that joins late still gets the data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBatch } from '../sdk/index.ts';
import { BatchStore } from '../node/p2p/batch-store.ts';
import type { P2pHost } from '../node/p2p/host.ts';
import { MemoryChain, sealedTestBatch, startTestHost, testBatch, testOperator } from './support/p2p.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function store(opts: ConstructorParameters<typeof BatchStore>[1] = {}): Promise<BatchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-p2p-'));
  const s = new BatchStore(join(dir, 'p2p.db'), opts);
  await s.start();
  cleanup.push(async () => {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return s;
}

async function host(chain: MemoryChain, s: BatchStore, bootstrap: P2pHost[] = []): Promise<P2pHost> {
  const h = await startTestHost(chain, { store: s, bootstrap: bootstrap.flatMap((b) => b.addresses()) });
  cleanup.push(() => h.stop());
  return h;
}

describe('batch fetch by root', () => {
  it('a node started after a batch was published fetches it by root and verifies every receipt against the root', async () => {
    const chain = new MemoryChain();
    const op = testOperator('publisher');
    chain.register(op.address, op.key.publicKey);
    const early = await host(chain, await store());
    const batch = testBatch(op, 200);
    await early.publish('batch', sealedTestBatch(op, batch));
    // Much later (the replay window has passed: gossip would refuse it, fetch must not).
    chain.current += 5000n;
    const lateStore = await store();
    const late = await host(chain, lateStore, [early]);
    const got = await late.fetchBatch(batch.header.root);
    expect(got?.from).toBe(early.peerId);
    const receipts = got!.opened.body.batch!.receipts;
    expect(Buffer.from(buildBatch(receipts).header.root)).toEqual(Buffer.from(batch.header.root));
    expect(await lateStore.has(batch.header.root)).toBe(true);
    expect(early.counters.served).toBe(1);
  }, 30_000);

  it('a root nobody has is not found, and a peer cannot pass off another batch for it', async () => {
    const chain = new MemoryChain();
    const op = testOperator('liar');
    chain.register(op.address, op.key.publicKey);
    const liarStore = await store();
    const liar = await host(chain, liarStore);
    const real = testBatch(op, 3);
    const other = testBatch(op, 3, 50);
    // The liar stores another batch under the root we will ask for.
    await liarStore.put(real.header.root, sealedTestBatch(op, other));
    const asker = await host(chain, await store(), [liar]);
    expect(await asker.fetchBatch(real.header.root)).toBeUndefined();
    expect(await asker.fetchBatch(new Uint8Array(32).fill(3))).toBeUndefined();
    expect(asker.counters.fetched).toBe(0);
  }, 30_000);
});

describe('the batch store', () => {
  it('keeps a batch for the retention period, restarts it at finalization, then prunes it', async () => {
    let now = 1_000_000;
    const s = await store({ retentionMs: 1000, now: () => now });
    const op = testOperator('store');
    const a = buildBatch(testBatch(op, 2).receipts.slice());
    const b = testBatch(op, 2, 10);
    expect(await s.put(a.header.root, Uint8Array.of(1))).toBe(true);
    expect(await s.put(a.header.root, Uint8Array.of(2))).toBe(false);
    await s.put(b.header.root, Uint8Array.of(3));
    now += 900;
    await s.markFinalized(b.header.root);
    expect(await s.prune()).toBe(0);
    now += 200;
    expect(await s.prune()).toBe(1);
    expect(await s.get(a.header.root)).toBeUndefined();
    expect(Buffer.from((await s.get(b.header.root))!)).toEqual(Buffer.of(3));
    now += 1000;
    expect(await s.prune()).toBe(1);
    expect(await s.has(b.header.root)).toBe(false);
  });
});
