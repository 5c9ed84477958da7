// Real libp2p hosts on 127.0.0.1 in one process: batches gossip across a line of three hosts,
// every kind of invalid message is rejected and costs its sender score, and a flooding peer is
// graylisted while honest batches still arrive.
import { afterEach, describe, expect, it } from 'vitest';
import { Envelope, SignedBody } from '../proto/gen/cairn/p2p/v1/gossip.ts';
import { buildBatch } from '../sdk/index.ts';
import { sealAttestations } from '../node/p2p/envelope.ts';
import { envelopeSignBytes } from '../sdk/registry/evidence.ts';
import type { Delivery, P2pHost } from '../node/p2p/host.ts';
import { receiptsTopic } from '../node/p2p/topics.ts';
import { MemoryChain, TEST_CHAIN, eventually, sealedTestBatch, startTestHost, testBatch, testOperator, testReceipts } from './support/p2p.ts';

const hosts: P2pHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

async function host(chain: MemoryChain, bootstrap: P2pHost[] = [], opts: Parameters<typeof startTestHost>[1] = {}): Promise<P2pHost> {
  const h = await startTestHost(chain, { bootstrap: bootstrap.flatMap((b) => b.addresses()), ...opts });
  hosts.push(h);
  return h;
}

async function meshed(a: P2pHost, b: P2pHost): Promise<void> {
  const topic = receiptsTopic(TEST_CHAIN);
  await eventually('a gossip mesh between two hosts', () => a.pubsub.getMeshPeers(topic).includes(b.peerId) && b.pubsub.getMeshPeers(topic).includes(a.peerId));
}

function received(h: P2pHost): Delivery[] {
  const out: Delivery[] = [];
  h.onDelivery((d) => void out.push(d));
  return out;
}

describe('gossip of receipt batches', () => {
  it('a batch published at one end of a line of three hosts reaches the other end with its root', async () => {
    const chain = new MemoryChain();
    const op = testOperator('honest');
    chain.register(op.address, op.key.publicKey);
    const a = await host(chain);
    const b = await host(chain, [a]);
    const c = await host(chain, [b]);
    const atC = received(c);
    await meshed(a, b);
    await meshed(b, c);
    const batch = testBatch(op, 50);
    await a.publish('batch', sealedTestBatch(op, batch));
    await eventually('the batch at the far host', () => atC.length === 1);
    const got = atC[0]!;
    expect(Buffer.from(got.opened.body.batch!.root)).toEqual(Buffer.from(batch.header.root));
    expect(got.opened.body.batch!.receipts).toHaveLength(50);
    expect(c.counters.rejected).toBe(0);
  }, 30_000);

  it('a host forwards a batch before its own delivery handlers have finished with it', async () => {
    const chain = new MemoryChain();
    const op = testOperator('forward-first');
    chain.register(op.address, op.key.publicKey);
    const a = await host(chain);
    const b = await host(chain, [a]);
    const c = await host(chain, [b]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let atB = 0;
    b.onDelivery(async () => {
      atB++;
      await held;
    });
    const atC = received(c);
    await meshed(a, b);
    await meshed(b, c);
    await a.publish('batch', sealedTestBatch(op, testBatch(op, 20)));
    await eventually('the batch at the far host while the middle host still holds it', () => atC.length === 1);
    expect(atB).toBe(1);
    release();
    await b.settled();
  }, 30_000);

  it('a host refuses to publish a batch its own validator rejects', async () => {
    const chain = new MemoryChain();
    const op = testOperator('unregistered');
    const a = await host(chain);
    chain.register(op.address, testOperator('other').key.publicKey);
    await expect(a.publish('batch', sealedTestBatch(op, testBatch(op, 3)))).rejects.toThrow(/unregistered-key/);
  }, 30_000);
});

describe('invalid messages', () => {
  const op = testOperator('victim');
  const stranger = testOperator('stranger');
  const rotated = testOperator('rotated');
  const batch = testBatch(op, 4);

  function resign(body: SignedBody, signer = op.key): Uint8Array {
    const bytes = SignedBody.encode(body).finish();
    return Envelope.encode({ body: bytes, signature: signer.sign(envelopeSignBytes(bytes)) }).finish();
  }
  const good = SignedBody.decode(Envelope.decode(sealedTestBatch(op, batch)).body);

  const cases: [string, () => Uint8Array][] = [
    ['an oversized message', () => new Uint8Array(70_000).fill(7)],
    ['an undecodable message', () => Uint8Array.from([0xff, 0xff, 0xff, 0x01, 0x02])],
    ['a batch for another chain', () => resign({ ...good, chainId: 'other-chain' })],
    ['an attestation set on the receipts topic', () => sealAttestations([], { chainId: TEST_CHAIN, operator: op.address, height: 10n }, op.key)],
    ['a forged envelope signature', () => Envelope.encode({ body: Envelope.decode(sealedTestBatch(op, batch)).body, signature: new Uint8Array(64).fill(1) }).finish()],
    ['a batch signed by a key the operator never registered', () => resign({ ...good, signerKey: stranger.key.publicKey }, stranger.key)],
    ['a batch signed by a rotated-out key', () => resign({ ...good, operator: rotated.address, signerKey: rotated.key.publicKey, batch: { root: testBatch(rotated, 2).header.root, receipts: testBatch(rotated, 2).receipts.slice() } }, rotated.key)],
    ['a replay of a batch signed long ago', () => resign({ ...good, height: 1n, batch: { root: testBatch(op, 5, 100).header.root, receipts: testBatch(op, 5, 100).receipts.slice() } })],
    ['a root that does not match the receipts', () => resign({ ...good, batch: { root: new Uint8Array(32).fill(9), receipts: batch.receipts.slice() } })],
    ['receipts of another operator', () => resign({ ...good, batch: { root: testBatch(stranger, 2).header.root, receipts: testBatch(stranger, 2).receipts.slice() } })],
  ];

  it.each(cases)('%s is rejected and lowers the sender’s score', async (_name, make) => {
    const chain = new MemoryChain();
    chain.current = 1000n;
    chain.register(op.address, op.key.publicKey);
    chain.register(rotated.address, rotated.key.publicKey, 1n, 500n);
    const honest = await host(chain, [], { limits: { maxBytes: 64 * 1024 } });
    const attacker = await host(chain, [honest]);
    await meshed(honest, attacker);
    await attacker.pubsub.publish(receiptsTopic(TEST_CHAIN), make());
    await eventually('the rejection', () => honest.counters.rejected === 1);
    expect(honest.counters.accepted).toBe(0);
    await eventually('a negative score for the sender', () => honest.scoreOf(attacker.peerId) < 0, 5000);
  }, 30_000);

  it('a batch of an operator whose registration is not committed yet is ignored, not rejected', async () => {
    const chain = new MemoryChain();
    const late = testOperator('late');
    const honest = await host(chain);
    const other = await host(chain, [honest]);
    await meshed(honest, other);
    await other.pubsub.publish(receiptsTopic(TEST_CHAIN), sealedTestBatch(late, testBatch(late, 2)));
    await eventually('the message to be judged', () => honest.counters.ignored === 1);
    expect(honest.counters.rejected).toBe(0);
    expect(honest.scoreOf(other.peerId)).toBeGreaterThanOrEqual(0);
  }, 30_000);
});

describe('a flooding peer', () => {
  it('falls below the graylist threshold while honest batches still reach every host', async () => {
    const chain = new MemoryChain();
    const op = testOperator('honest-flood');
    chain.register(op.address, op.key.publicKey);
    const a = await host(chain);
    const b = await host(chain, [a]);
    const flooder = await host(chain, [a, b]);
    const atB = received(b);
    await meshed(a, b);
    await meshed(a, flooder);
    await meshed(b, flooder);
    const started = Date.now();
    const topic = receiptsTopic(TEST_CHAIN);
    let sent = 0;
    const flood = async (n: number): Promise<void> => {
      // Distinct garbage (distinct message ids, so deduplication spares nobody).
      for (let i = 0; i < n; i++, sent++) {
        const junk = new Uint8Array(64).fill(sent & 0xff);
        junk[0] = 0xff;
        junk[1] = sent >> 8;
        await flooder.pubsub.publish(topic, junk).catch(() => undefined);
      }
    };
    // Within a few invalid messages each honest host stops reading what the flooder sends (its own
    // strike count), long before gossipsub's score, re-read at the heartbeat, graylists it.
    // (Once gossipsub's own score graylists the flooder, the rest is dropped before the validator.)
    await flood(200);
    await eventually('the flooder under the graylist threshold at both honest hosts', () => a.scoreOf(flooder.peerId) < a.graylistThreshold && b.scoreOf(flooder.peerId) < b.graylistThreshold, 15_000);
    const seen = (): number => a.counters.rejected + a.counters.blocked + b.counters.rejected + b.counters.blocked;
    await eventually('the flood settled at both honest hosts (no message judged for 500 ms)', async () => {
      const before = seen();
      await new Promise((r) => setTimeout(r, 500));
      return seen() === before;
    }, 15_000);
    for (const h of [a, b]) expect(h.counters.rejected).toBeLessThanOrEqual(10);
    for (let i = 0; i < 5; i++) await a.publish('batch', sealedTestBatch(op, buildBatch(testReceipts(op, 10, i * 10))));
    await eventually('all five honest batches at the other host', () => atB.length === 5);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 40_000);
});
