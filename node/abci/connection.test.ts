// Back-pressure, tested on one AbciConnection so the test can see the server-side socket and queue.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Request } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { AbciClient } from './client.ts';
import { encodeRequest } from './codec.ts';
import { AbciConnection } from './connection.ts';
import { FakeApp } from '../../test/support/fake-abci-app.ts';
import { SerialQueue } from './serial.ts';

let server: Server | undefined;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A one-connection server whose server-side socket the test can inspect. */
async function listen(
  app: FakeApp,
  queue: SerialQueue,
  maxPendingRequests: number,
): Promise<{ address: string; accepted: Promise<Socket> }> {
  let accept!: (s: Socket) => void;
  const accepted = new Promise<Socket>((r) => (accept = r));
  server = createServer({ allowHalfOpen: true }, (socket) => {
    const conn = new AbciConnection(socket, {
      id: 1,
      remote: 'test',
      app,
      queue,
      logger: silentLogger,
      maxFrameBytes: 1 << 20,
      maxPendingRequests,
    });
    cleanups.push(() => conn.destroy());
    conn.start();
    accept(socket);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no address');
  return { address: `tcp://127.0.0.1:${a.port}`, accepted };
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ABCI connection back-pressure', () => {
  it('stops reading from a peer that sends faster than the app answers, and catches up later', async () => {
    const app = new FakeApp();
    const queue = new SerialQueue();
    const { address, accepted } = await listen(app, queue, 8);
    const client = await AbciClient.connect(address);
    cleanups.push(() => void client.close());
    const serverSide = await accepted;
    app.close(); // the app stalls on its first call
    const tx = new Uint8Array(1024);
    const n = 4000;
    const answers = Array.from({ length: n }, (_, i) => {
      tx[0] = i & 0xff;
      tx[1] = i >> 8;
      return client.call(Request.fromPartial({ checkTx: { tx } }));
    });
    await settle(150);
    // ~4 MB were sent; the server holds at most a few socket reads' worth of requests.
    expect(queue.size).toBeLessThan(200);
    expect(serverSide.bytesRead).toBeLessThan((n * 1030) / 2);
    app.open();
    const res = await Promise.all(answers);
    res.forEach((r, i) => expect([r.checkTx?.data[0], r.checkTx?.data[1]]).toEqual([i & 0xff, i >> 8]));
  });

  it('stops reading from a peer that does not read its answers', async () => {
    const app = new FakeApp();
    const queue = new SerialQueue();
    const { address, accepted } = await listen(app, queue, 256);
    const raw = createConnection(Number(address.split(':').pop()), '127.0.0.1');
    cleanups.push(() => raw.destroy());
    await new Promise((r) => raw.once('connect', r));
    raw.pause(); // never read the answers
    const serverSide = await accepted;
    const frame = encodeRequest(Request.fromPartial({ checkTx: { tx: new Uint8Array(64 * 1024).fill(1) } }));
    const n = 600; // ~39 MB of requests, and as much in answers
    for (let i = 0; i < n; i++) raw.write(frame);
    await settle(300);
    // Without back-pressure the server reads ~35 MB here and buffers ~30 MB of unsent answers.
    expect(serverSide.writableNeedDrain).toBe(true);
    expect(serverSide.writableLength).toBeLessThan(1 << 20);
    expect(serverSide.bytesRead).toBeLessThan((n * frame.length) / 2);
    expect(queue.size).toBeLessThan(256);
  });
});

/** Waits (event-loop turns, up to 10 s) until `ok()` holds. */
async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((r) => setImmediate(r));
  }
}

const check = (n: number): Request => Request.fromPartial({ checkTx: { tx: new TextEncoder().encode(`tx${n}`) } });
const finalize = (): Request => Request.fromPartial({ finalizeBlock: { height: 5n } });

describe('ABCI connection lanes', () => {
  it("runs the consensus connection's requests ahead of CheckTx requests already queued, each connection's answers in order", async () => {
    const app = new FakeApp();
    const queue = new SerialQueue();
    const { address } = await listen(app, queue, 256);
    const mempool = await AbciClient.connect(address);
    const consensus = await AbciClient.connect(address);
    cleanups.push(() => void mempool.close(), () => void consensus.close());
    app.close(); // the first CheckTx stalls in the app; the other four wait in the queue
    const checks = [0, 1, 2, 3, 4].map((i) => mempool.call(check(i)));
    await until(() => app.calls.length === 1 && queue.size === 5);
    const block = [consensus.call(finalize()), consensus.call(Request.fromPartial({ commit: {} }))];
    await until(() => queue.size === 7);
    app.open();
    const [finalized, committed] = await Promise.all(block);
    const checked = await Promise.all(checks);
    expect(app.calls).toEqual(['checkTx', 'finalizeBlock', 'commit', 'checkTx', 'checkTx', 'checkTx', 'checkTx']);
    expect(finalized?.finalizeBlock).toBeDefined();
    expect(committed?.commit).toBeDefined();
    expect(checked.map((r) => new TextDecoder().decode(r.checkTx?.data))).toEqual(['tx0', 'tx1', 'tx2', 'tx3', 'tx4']);
  });

  it('keeps a connection in line when its first consensus request comes behind its own queued requests', async () => {
    const app = new FakeApp();
    const queue = new SerialQueue();
    const { address } = await listen(app, queue, 256);
    const mempool = await AbciClient.connect(address);
    const other = await AbciClient.connect(address);
    cleanups.push(() => void mempool.close(), () => void other.close());
    app.close();
    const checks = [0, 1, 2].map((i) => mempool.call(check(i)));
    await until(() => app.calls.length === 1 && queue.size === 3);
    // A Query still waiting when FinalizeBlock arrives: jumping ahead would answer them out of order.
    const answers = [other.call(Request.fromPartial({ query: { path: '/x' } })), other.call(finalize())];
    await until(() => queue.size === 5);
    app.open();
    const [queried, finalized] = await Promise.all(answers);
    await Promise.all(checks);
    expect(app.calls).toEqual(['checkTx', 'checkTx', 'checkTx', 'query', 'finalizeBlock']);
    expect(queried?.query).toBeDefined();
    expect(finalized?.finalizeBlock).toBeDefined();
  });
});
