import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppChain, CHAIN_ID } from '../../test/support/app-chain.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from '../../test/support/wallets.ts';
import type { TxDecoding } from './decode.ts';
import { decodeTx } from './decode.ts';
import { DecodedTxCache, MAX_CACHED_TX_BYTES } from './decode-cache.ts';

let decoding: TxDecoding;
let alice: TestWallet;
let bob: TestWallet;

beforeAll(async () => {
  decoding = (await AppChain.start()).app.txDecoding;
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
});

const send = (sequence: bigint, o: { amount?: string; memo?: string } = {}): Promise<Uint8Array> =>
  signTx(alice, [sendMsg(alice.address, bob.address, o.amount ?? '1')], { chainId: CHAIN_ID, accountNumber: 0n, sequence, ...(o.memo === undefined ? {} : { memo: o.memo }) });

describe('the decoded-tx cache', () => {
  it('answers the same bytes with the decode it kept, equal to a fresh decode', async () => {
    const cache = new DecodedTxCache(10);
    const tx = await send(0n);
    const first = cache.decode(tx, decoding);
    // Other bytes with the same content (another request's buffer) find it too.
    expect(cache.decode(Uint8Array.from(tx), decoding)).toBe(first);
    expect(first).toEqual(decodeTx(tx, decoding));
  });

  it('never answers a different tx from the cache, even one differing in a single byte', async () => {
    const cache = new DecodedTxCache(10);
    const tx = await send(0n);
    const kept = cache.decode(tx, decoding);
    // The same send with another sequence, and the same tx with one signature byte flipped.
    const other = await send(1n);
    expect(cache.decode(other, decoding).authInfo.signerInfos[0]!.sequence).toBe(1n);
    const raw = TxRaw.decode(tx);
    raw.signatures[0]![0]! ^= 1;
    const flipped = TxRaw.encode(raw).finish();
    const decoded = cache.decode(flipped, decoding);
    expect(decoded).not.toBe(kept);
    expect(decoded.raw.signatures[0]).toEqual(raw.signatures[0]);
    expect(kept.raw.signatures[0]).not.toEqual(raw.signatures[0]);
  });

  it('keeps its own copy: the caller reusing its buffer changes nothing it answers', async () => {
    const cache = new DecodedTxCache(10);
    const tx = await send(0n);
    const buffer = Uint8Array.from(tx);
    const kept = cache.decode(buffer, decoding);
    buffer.fill(0);
    expect(cache.decode(tx, decoding)).toBe(kept);
    expect(kept).toEqual(decodeTx(tx, decoding));
  });

  it('holds at most its size, the least recently used evicted, and no tx above the size limit', async () => {
    const cache = new DecodedTxCache(2);
    const [a, b, c] = await Promise.all([send(0n), send(1n), send(2n)]);
    const kept = cache.decode(a!, decoding);
    cache.decode(b!, decoding);
    cache.decode(a!, decoding);
    cache.decode(c!, decoding);
    expect(cache.size).toBe(2);
    expect(cache.decode(a!, decoding)).toBe(kept);
    const big = await send(3n, { memo: 'x'.repeat(MAX_CACHED_TX_BYTES) });
    expect(big.length).toBeGreaterThan(MAX_CACHED_TX_BYTES);
    const once = cache.decode(big, decoding);
    expect(cache.decode(big, decoding)).not.toBe(once);
    expect(cache.size).toBe(2);
  });

  it('hands out and forgets a tx taken for a block', async () => {
    const cache = new DecodedTxCache(10);
    const tx = await send(0n);
    const kept = cache.decode(tx, decoding);
    expect(cache.decode(tx, decoding, true)).toBe(kept);
    expect(cache.size).toBe(0);
    // A tx first seen in a block is decoded and not kept.
    cache.decode(tx, decoding, true);
    expect(cache.size).toBe(0);
  });

  it('keeps no failure: bytes that are not a tx are refused every time', () => {
    const cache = new DecodedTxCache(10);
    const junk = new Uint8Array([1, 2, 3]);
    expect(() => cache.decode(junk, decoding)).toThrow(/decode/);
    expect(() => cache.decode(junk, decoding)).toThrow(/decode/);
    expect(cache.size).toBe(0);
  });
});
