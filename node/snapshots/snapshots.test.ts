// State sync at the ABCI boundary: a node's snapshots restore, chunk by chunk, into an empty app
// that then answers exactly as the source did; bad chunks, false snapshots and misuse are refused
// without leaving state behind.
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResponseApplySnapshotChunk_Result as Apply, ResponseOfferSnapshot_Result as Offer, type Snapshot } from 'cosmjs-types/tendermint/abci/types';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { silentLogger } from '../log.ts';
import { CairnApp } from '../app.ts';
import { CommitStore } from '../../core/store/commit-store.ts';
import { AppChain, CHAIN_ID } from '../../test/support/app-chain.ts';
import { sendMsg, signTx, testWallet, type TestWallet } from '../../test/support/wallets.ts';
import { Snapshots } from './index.ts';
import { decodeChunk, encodeChunks, SnapshotFormatError } from './format.ts';

const FUNDS = 10_000_000_000n;
let alice: TestWallet;
let bob: TestWallet;
const dirs: string[] = [];

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
});

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function snapshots(interval: number, keepRecent = 2): Promise<Snapshots> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-snapshots-'));
  dirs.push(dir);
  const s = new Snapshots({ dir, interval, keepRecent, logger: silentLogger, chunkTarget: 512 });
  await s.open();
  return s;
}

/** A chain with a few blocks of sends, snapshotting every `interval` blocks. */
async function sourceChain(interval: number, blocks: number): Promise<{ chain: AppChain; snaps: Snapshots }> {
  const snaps = await snapshots(interval);
  const chain = await AppChain.start({ funded: [{ address: alice.address, amount: FUNDS }], snapshots: snaps });
  await chain.block(); // accounts are queried at the last committed block
  for (let i = 1; i < blocks; i++) {
    const acc = await chain.account(alice.address);
    const tx = await signTx(alice, [sendMsg(alice.address, bob.address, String(1000 + i))], { chainId: CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence });
    const [r] = await chain.block([tx]);
    expect(r!.code, r!.log).toBe(0);
    await snaps.idle(); // real blocks are a second apart; a snapshot due while one is written is skipped
  }
  await snaps.idle(); // a snapshot may still be being written
  return { chain, snaps };
}


async function freshApp(): Promise<CairnApp> {
  const app = new CairnApp({ store: await CommitStore.memory(), logger: silentLogger });
  await app.load();
  return app;
}

async function restore(target: CairnApp, source: Snapshots, snapshot: Snapshot, appHash: Uint8Array, sender = 'peer-a'): Promise<Apply[]> {
  expect((await target.offerSnapshot({ snapshot, appHash })).result).toBe(Offer.ACCEPT);
  const results: Apply[] = [];
  for (let i = 0; i < snapshot.chunks; i++) {
    const chunk = await source.loadChunk(snapshot.height, snapshot.format, i);
    results.push((await target.applySnapshotChunk({ index: i, chunk, sender })).result);
  }
  return results;
}

describe('state sync snapshots', () => {
  it('restores a snapshot into an empty node that then answers like the source, and keeps only the newest', async () => {
    const { chain, snaps } = await sourceChain(3, 7);
    const { snapshots: list } = await chain.app.listSnapshots();
    expect(list.map((s) => s.height)).toEqual([6n, 3n]); // every 3rd block, keep-recent 2
    const snap = list[0]!;
    expect(snap.chunks).toBeGreaterThan(3);
    const appHash6 = chain.appHashes[5]!; // the root after block 6
    const target = await freshApp();
    const results = await restore(target, snaps, snap, appHash6);
    expect(results.every((r) => r === Apply.ACCEPT)).toBe(true);
    const info = await target.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' });
    expect(info.lastBlockHeight).toBe(6n);
    expect(Buffer.from(info.lastBlockAppHash).equals(Buffer.from(appHash6))).toBe(true);
    expect(target.chainId).toBe(CHAIN_ID);
    // A query a wallet makes answers as the source answered at height 6.
    const path = '/cosmos.bank.v1beta1.Query/Balance';
    const data = QueryBalanceRequest.encode({ address: bob.address, denom: 'ucairn' }).finish();
    const there = await chain.query(path, data, 6n);
    const here = await target.query({ path, data, height: 0n, prove: false });
    expect(here.code).toBe(0);
    expect(Buffer.from(here.value).equals(Buffer.from(there.value))).toBe(true);
    // and it serves snapshots of its own from then on: nothing yet
    expect((await target.listSnapshots()).snapshots).toEqual([]);
  });

  it('refuses a chunk that does not match its hash, names the sender, and takes the right one after', async () => {
    const { chain, snaps } = await sourceChain(4, 4);
    const snap = (await chain.app.listSnapshots()).snapshots[0]!;
    const target = await freshApp();
    expect((await target.offerSnapshot({ snapshot: snap, appHash: chain.appHashes[3]! })).result).toBe(Offer.ACCEPT);
    const good = await snaps.loadChunk(snap.height, snap.format, 0);
    const bad = Uint8Array.from(good);
    bad[bad.length - 1]! ^= 1;
    const refused = await target.applySnapshotChunk({ index: 0, chunk: bad, sender: 'liar' });
    expect(refused).toEqual({ result: Apply.RETRY, refetchChunks: [0], rejectSenders: ['liar'] });
    for (let i = 0; i < snap.chunks; i++) {
      const r = await target.applySnapshotChunk({ index: i, chunk: await snaps.loadChunk(snap.height, snap.format, i), sender: 'honest' });
      expect(r.result).toBe(Apply.ACCEPT);
    }
    expect(target.store.lastHeight).toBe(4n);
  });

  it('refuses a snapshot whose state is not the trusted app hash, and leaves the node empty', async () => {
    const { chain, snaps } = await sourceChain(4, 4);
    const snap = (await chain.app.listSnapshots()).snapshots[0]!;
    const target = await freshApp();
    const results = await restore(target, snaps, snap, chain.appHashes[2]!); // the root of another height
    expect(results.at(-1)).toBe(Apply.REJECT_SNAPSHOT);
    expect(target.store.lastHeight).toBe(0n);
    expect(await target.store.workingHash()).toEqual(new Uint8Array(32));
    // the next chunk of an abandoned restore is refused as a whole
    expect((await target.applySnapshotChunk({ index: 0, chunk: new Uint8Array(), sender: '' })).result).toBe(Apply.ABORT);
  });

  it('refuses malformed offers: unknown format, metadata that lies about its hash or count, a node with state', async () => {
    const { chain } = await sourceChain(4, 4);
    const snap = (await chain.app.listSnapshots()).snapshots[0]!;
    const appHash = chain.appHashes[3]!;
    const target = await freshApp();
    expect((await target.offerSnapshot({ snapshot: { ...snap, format: 2 }, appHash })).result).toBe(Offer.REJECT_FORMAT);
    expect((await target.offerSnapshot({ snapshot: { ...snap, hash: new Uint8Array(32) }, appHash })).result).toBe(Offer.REJECT);
    expect((await target.offerSnapshot({ snapshot: { ...snap, chunks: snap.chunks + 1 }, appHash })).result).toBe(Offer.REJECT);
    expect((await target.offerSnapshot({ snapshot: { ...snap, height: 0n }, appHash })).result).toBe(Offer.REJECT);
    expect((await target.offerSnapshot({ snapshot: snap, appHash: new Uint8Array(5) })).result).toBe(Offer.REJECT);
    expect((await target.offerSnapshot({ snapshot: undefined as never, appHash })).result).toBe(Offer.REJECT);
    expect((await chain.app.offerSnapshot({ snapshot: snap, appHash })).result).toBe(Offer.ABORT);
    expect(target.store.lastHeight).toBe(0n);
  });

  it('a snapshot holds exactly the state of its height, not of the blocks committed while it is written', async () => {
    const snaps = await snapshots(2);
    const chain = await AppChain.start({ funded: [{ address: alice.address, amount: FUNDS }], snapshots: snaps });
    await chain.block();
    await chain.block(); // snapshot of 2 starts
    const acc = await chain.account(alice.address);
    await chain.block([await signTx(alice, [sendMsg(alice.address, bob.address, '5')], { chainId: CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence })]);
    await snaps.idle();
    const snap = (await chain.app.listSnapshots()).snapshots[0]!;
    expect(snap.height).toBe(2n);
    const target = await freshApp();
    expect((await restore(target, snaps, snap, chain.appHashes[1]!)).at(-1)).toBe(Apply.ACCEPT);
  });

  it('serves nothing for a snapshot or chunk it does not have, and drops half-written snapshots at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-snapshots-'));
    dirs.push(dir);
    await mkdir(join(dir, '10.tmp'));
    await mkdir(join(dir, '20'));
    await writeFile(join(dir, '20', 'snapshot.json'), '{"height":"20"}');
    const s = new Snapshots({ dir, interval: 10, keepRecent: 1, logger: silentLogger });
    await s.open();
    expect(await readdir(dir)).toEqual([]);
    expect(s.list()).toEqual([]);
    expect((await s.loadChunk(10n, 1, 0)).length).toBe(0);
  });

  it('chunk decoding refuses truncation, empty keys, oversized lengths and keys out of order', async () => {
    const chunks: Uint8Array[] = [];
    const entries = async function* () {
      yield [Uint8Array.of(1), Uint8Array.of(9)] as const;
      yield [Uint8Array.of(2), Uint8Array.of(8)] as const;
    };
    for await (const c of encodeChunks(entries())) chunks.push(c);
    expect(chunks).toHaveLength(1);
    const chunk = chunks[0]!;
    expect(decodeChunk(chunk, undefined)).toHaveLength(2);
    expect(() => decodeChunk(chunk.subarray(0, chunk.length - 1), undefined)).toThrow(SnapshotFormatError);
    expect(() => decodeChunk(Uint8Array.of(0, 1, 1), undefined)).toThrow(/key of 0 bytes/);
    expect(() => decodeChunk(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x7f), undefined)).toThrow(SnapshotFormatError);
    expect(() => decodeChunk(chunk, Uint8Array.of(1))).toThrow(/ascending/);
    expect(() => decodeChunk(Uint8Array.of(1, 5, 1, 1, 1, 5, 1, 1), undefined)).toThrow(/ascending/);
  });
});
