// Cairn's libp2p host: TCP + noise + yamux, identify, ping and gossipsub with peer scoring on the
// two topics of the chain. Every message is validated (validate.ts) before it is delivered here or
// forwarded; a rejected message counts as an invalid delivery of the peer that sent it, which is
// what drives a flooding peer's score under the graylist threshold. Gossipsub only re-reads a
// score at its heartbeat (and trusts a peer that last scored >= 0 for up to 128 messages or 1 s),
// so a flooder would get about a heartbeat of messages judged; the host therefore counts strikes
// itself: after STRIKES_BEFORE_BLOCK rejected messages a peer's messages are rejected unread until
// its block ends.
//
// Not consensus code: timers and randomness are fine here.
import { createHash } from 'node:crypto';
import { gossipsub, type GossipSub } from '@chainsafe/libp2p-gossipsub';
import { createPeerScoreParams, createPeerScoreThresholds, createTopicScoreParams } from '@chainsafe/libp2p-gossipsub/score';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import { TopicValidatorResult, type Libp2p, type Message, type PeerId, type PrivateKey, type Stream } from '@libp2p/interface';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import type { Logger } from '../log.ts';
import { Envelope, FetchRequest, FetchResponse } from '../../proto/gen/cairn/p2p/v1/gossip.ts';
import type { BatchStore } from './batch-store.ts';
import type { OpenedEnvelope } from './envelope.ts';
import { attestationsTopic, fetchProtocol, receiptsTopic } from './topics.ts';
import { type ChainView, type MessageKind, MessageValidator, type ValidationLimits, type Verdict } from './validate.ts';

export interface P2pHostOptions {
  readonly chain: ChainView;
  readonly logger: Logger;
  /** e.g. "/ip4/127.0.0.1/tcp/0". */
  readonly listen: readonly string[];
  /** Multiaddrs with /p2p/<peer id>; dialled at start and re-dialled while disconnected. */
  readonly bootstrap?: readonly string[];
  readonly limits?: Partial<ValidationLimits>;
  /** Score below which a peer's messages are dropped unprocessed. */
  readonly graylistThreshold?: number;
  /** How often bootstrap peers are re-dialled (ms). */
  readonly redialMs?: number;
  /** Where accepted and published batches are kept and served from; none: nothing is served. */
  readonly store?: BatchStore;
  /** How long one fetch from one peer may take (ms). */
  readonly fetchTimeoutMs?: number;
  /** The host's identity (identity.ts); a fresh random one without it. */
  readonly privateKey?: PrivateKey;
}

export interface Delivery {
  readonly kind: MessageKind;
  readonly opened: OpenedEnvelope;
  /** The encoded envelope as received (what the batch store keeps). */
  readonly data: Uint8Array;
  readonly from: string;
}

export type DeliveryHandler = (d: Delivery) => void | Promise<void>;

export interface P2pCounters {
  accepted: number;
  rejected: number;
  ignored: number;
  published: number;
  served: number;
  fetched: number;
  /** Rejected unread: from a peer blocked for sending invalid messages. */
  blocked: number;
}

/** Invalid messages a peer may send before the host stops reading what it sends. */
export const STRIKES_BEFORE_BLOCK = 3;
/** How long such a peer's messages are rejected unread (its strikes are forgotten afterwards). */
const BLOCK_MS = 10 * 60_000;
/** Peers whose strikes are remembered (memory stays bounded whatever the number of peer ids). */
const MAX_STRUCK_PEERS = 4096;


const GRAYLIST = -80;
/**
 * The least time libp2p's connection monitor gives its ping (every 10 s) before it aborts the
 * connection; its default, 5 s, was too short under load: the ping's stream opens behind whatever
 * a link is carrying (a 4 MiB batch is 64 noise frames, each read on a turn of a busy event loop),
 * and a bench at load 14 saw every link of its line aborted at once mid-batch and the next batch,
 * published while no peer was connected, reach nobody. A dead peer is still dropped within ~40 s.
 */
const PING_TIMEOUT_MS = 30_000;
/** Accepted messages that may wait to be stored and delivered before validation waits for them. */
const MAX_AFTER_ACCEPT = 32;

export class P2pHostNotStartedError extends Error {
  override readonly name = 'P2pHostNotStartedError';
}

export class P2pHost {
  readonly validator: MessageValidator;
  readonly counters: P2pCounters = { accepted: 0, rejected: 0, ignored: 0, published: 0, served: 0, fetched: 0, blocked: 0 };
  /** Per peer: rejected messages so far, and until when its messages are rejected unread. */
  readonly #strikes = new Map<string, { count: number; blockedUntil: number }>();
  readonly #opts: P2pHostOptions;
  readonly #handlers: DeliveryHandler[] = [];
  readonly #topics: Record<MessageKind, string>;
  /** The tail of the accepted messages' store-and-deliver chain, and how many are on it. */
  #afterAccept: Promise<void> = Promise.resolve();
  #waiting = 0;
  #node: Libp2p | undefined;
  #pubsub: GossipSub | undefined;
  #redial: NodeJS.Timeout | undefined;

  constructor(opts: P2pHostOptions) {
    this.#opts = opts;
    this.validator = new MessageValidator(opts.chain, opts.limits);
    this.#topics = { batch: receiptsTopic(opts.chain.chainId), attestations: attestationsTopic(opts.chain.chainId) };
  }

  get libp2p(): Libp2p {
    if (this.#node === undefined) throw new P2pHostNotStartedError('the p2p host is not started');
    return this.#node;
  }

  get pubsub(): GossipSub {
    if (this.#pubsub === undefined) throw new P2pHostNotStartedError('the p2p host is not started');
    return this.#pubsub;
  }

  get peerId(): string {
    return this.libp2p.peerId.toString();
  }

  /** Listen addresses with /p2p/<peer id>, ready to be someone's bootstrap entry. */
  addresses(): string[] {
    return this.libp2p.getMultiaddrs().map((a) => a.toString());
  }

  onDelivery(handler: DeliveryHandler): void {
    this.#handlers.push(handler);
  }

  /** The peer's gossipsub score as this host sees it. */
  scoreOf(peer: string): number {
    return this.pubsub.getScore(peer);
  }

  get graylistThreshold(): number {
    return this.#opts.graylistThreshold ?? GRAYLIST;
  }

  async start(): Promise<void> {
    if (this.#node !== undefined) return;
    const limits = this.validator.limits;
    const topicParams = createTopicScoreParams({
      topicWeight: 1,
      // Nothing rewards or punishes mesh behaviour here except invalid messages: honest but quiet
      // peers must never drift toward the graylist.
      timeInMeshWeight: 0,
      firstMessageDeliveriesWeight: 1,
      firstMessageDeliveriesDecay: 0.5,
      firstMessageDeliveriesCap: 10,
      meshMessageDeliveriesWeight: 0,
      meshFailurePenaltyWeight: 0,
      // P4 is weight * count^2: three rejected messages put a peer at -90, under the graylist.
      invalidMessageDeliveriesWeight: -10,
      invalidMessageDeliveriesDecay: 0.9,
    });
    const node = await createLibp2p({
      ...(this.#opts.privateKey === undefined ? {} : { privateKey: this.#opts.privateKey }),
      addresses: { listen: [...this.#opts.listen] },
      transports: [tcp()],
      connectionMonitor: { pingTimeout: { minTimeout: PING_TIMEOUT_MS } },
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        ping: ping(),
        pubsub: gossipsub({
          // Our envelopes carry the operator's own signature; libp2p's signing would only cost time.
          globalSignaturePolicy: 'StrictNoSign',
          msgIdFn: (msg) => createHash('sha256').update(msg.data).digest(),
          allowPublishToZeroTopicPeers: true,
          emitSelf: false,
          maxInboundDataLength: limits.maxBytes + 64 * 1024,
          scoreParams: createPeerScoreParams({
            topics: { [this.#topics.batch]: topicParams, [this.#topics.attestations]: topicParams },
            appSpecificScore: () => 0,
            IPColocationFactorWeight: 0,
            behaviourPenaltyWeight: -1,
            behaviourPenaltyDecay: 0.9,
          }),
          scoreThresholds: createPeerScoreThresholds({ gossipThreshold: -10, publishThreshold: -50, graylistThreshold: this.graylistThreshold }),
        }),
      },
    });
    // The service is typed as the generic PubSub; its scoring methods are GossipSub's.
    const pubsub = node.services.pubsub as unknown as GossipSub;
    this.#node = node;
    this.#pubsub = pubsub;
    for (const kind of ['batch', 'attestations'] as const) {
      const topic = this.#topics[kind];
      pubsub.topicValidators.set(topic, async (from: PeerId, msg: Message) => this.#judge(kind, msg.data, from.toString()));
      pubsub.subscribe(topic);
    }
    await node.handle(fetchProtocol(this.#opts.chain.chainId), ({ stream }) => void this.#serve(stream));
    await this.#dialBootstrap();
    this.#redial = setInterval(() => void this.#dialBootstrap(), this.#opts.redialMs ?? 5000);
    this.#redial.unref();
  }

  async stop(): Promise<void> {
    await this.settled();
    if (this.#redial !== undefined) clearInterval(this.#redial);
    this.#redial = undefined;
    const node = this.#node;
    this.#node = undefined;
    this.#pubsub = undefined;
    if (node !== undefined) await node.stop();
  }

  /** Gossips an encoded envelope (envelope.ts sealBatch / sealAttestations). */
  async publish(kind: MessageKind, data: Uint8Array): Promise<number> {
    const opened = await this.validator.validate(kind, data);
    if (opened.result === 'reject') throw new P2pPublishRefusedError(`refusing to publish: ${opened.reason}: ${opened.detail}`);
    // Stored while it is gossiped, as a hop stores what it forwarded: the put (a copy of the envelope
    // and three LevelDB round trips) is not on the way to the peers; both are done when this returns.
    const stored = opened.result === 'accept' && opened.opened.root !== undefined ? this.#opts.store?.put(opened.opened.root, data) : undefined;
    const [res] = await Promise.all([this.pubsub.publish(this.#topics[kind], data), stored]);
    this.counters.published++;
    return res.recipients.length;
  }

  /** Counts a rejected message against its sender; the STRIKES_BEFORE_BLOCK-th blocks the sender. */
  #strike(peer: string): void {
    const now = Date.now();
    const current = this.#strikes.get(peer);
    const count = current === undefined || current.blockedUntil !== 0 ? 1 : current.count + 1;
    const blockedUntil = count >= STRIKES_BEFORE_BLOCK ? now + BLOCK_MS : 0;
    // Most recent last; past MAX_STRUCK_PEERS the peer that struck longest ago is forgotten.
    this.#strikes.delete(peer);
    this.#strikes.set(peer, { count, blockedUntil });
    if (this.#strikes.size > MAX_STRUCK_PEERS) this.#strikes.delete(this.#strikes.keys().next().value!);
    if (blockedUntil !== 0) this.#opts.logger.warn('p2p: peer blocked for invalid messages', { peer, strikes: count, minutes: BLOCK_MS / 60_000 });
  }

  async #judge(kind: MessageKind, data: Uint8Array, from: string): Promise<TopicValidatorResult> {
    const strikes = this.#strikes.get(from);
    if (strikes !== undefined && strikes.blockedUntil > Date.now()) {
      this.counters.blocked++;
      return TopicValidatorResult.Reject;
    }
    let verdict: Verdict;
    try {
      verdict = await this.validator.validate(kind, data);
    } catch (e) {
      // Our own failure (e.g. state unreadable) says nothing about the sender.
      this.#opts.logger.warn('p2p: validation failed', { from, error: (e as Error).message });
      this.counters.ignored++;
      return TopicValidatorResult.Ignore;
    }
    if (verdict.result === 'reject') {
      this.counters.rejected++;
      this.#strike(from);
      this.#opts.logger.warn('p2p: rejected message', { kind, from, reason: verdict.reason, detail: verdict.detail });
      return TopicValidatorResult.Reject;
    }
    if (verdict.result === 'ignore') {
      this.counters.ignored++;
      return TopicValidatorResult.Ignore;
    }
    this.counters.accepted++;
    // Gossipsub forwards once this returns: storing the batch and the handlers (which may decode
    // every receipt) run after, in order, off the forwarding path. Past MAX_AFTER_ACCEPT messages
    // waiting for them, validation waits too, so a flood cannot queue unbounded work.
    const delivery: Delivery = { kind, opened: verdict.opened, data, from };
    const done = this.#afterAccept.then(() => this.#deliver(delivery));
    this.#afterAccept = done;
    this.#waiting++;
    void done.finally(() => this.#waiting--);
    if (this.#waiting > MAX_AFTER_ACCEPT) await done;
    return TopicValidatorResult.Accept;
  }

  /** Resolves once every message accepted so far is stored and handed to the handlers. */
  async settled(): Promise<void> {
    await this.#afterAccept;
  }

  async #deliver(delivery: Delivery): Promise<void> {
    try {
      if (delivery.opened.root !== undefined) await this.#opts.store?.put(delivery.opened.root, delivery.data);
    } catch (e) {
      this.#opts.logger.error('p2p: storing a batch failed', { error: (e as Error).message });
    }
    for (const h of this.#handlers) {
      try {
        await h(delivery);
      } catch (e) {
        this.#opts.logger.error('p2p: delivery handler failed', { error: (e as Error).message });
      }
    }
  }

  /**
   * Fetches the batch with `root` from connected peers (or `peers`), one after another, and returns
   * the first response that passes the validator and carries that root; undefined if none has it.
   */
  async fetchBatch(root: Uint8Array, peers?: readonly string[]): Promise<{ opened: OpenedEnvelope; data: Uint8Array; from: string } | undefined> {
    const node = this.libp2p;
    const candidates = peers ?? node.getPeers().map((p) => p.toString());
    const request = FetchRequest.encode({ root }).finish();
    for (const peer of candidates) {
      const conn = node.getConnections().find((c) => c.remotePeer.toString() === peer);
      if (conn === undefined) continue;
      try {
        const stream = await conn.newStream(fetchProtocol(this.#opts.chain.chainId), { signal: AbortSignal.timeout(this.#opts.fetchTimeoutMs ?? 10_000) });
        await stream.sink([request]);
        const bytes = await readAll(stream.source, this.validator.limits.maxBytes + 1024);
        const response = FetchResponse.decode(bytes);
        if (!response.found || response.envelope === undefined) continue;
        const data = Envelope.encode(response.envelope).finish();
        const verdict = await this.validator.validate('batch', data, { fetched: true });
        if (verdict.result !== 'accept' || verdict.opened.root === undefined || Buffer.compare(verdict.opened.root, root) !== 0) {
          this.#opts.logger.warn('p2p: bad batch from fetch', { peer, reason: verdict.result === 'accept' ? 'other root' : verdict.reason });
          continue;
        }
        await this.#opts.store?.put(root, data);
        this.validator.markSeen(root);
        this.counters.fetched++;
        return { opened: verdict.opened, data, from: peer };
      } catch (e) {
        this.#opts.logger.warn('p2p: batch fetch failed', { peer, error: (e as Error).message });
      }
    }
    return undefined;
  }

  async #serve(stream: Stream): Promise<void> {
    try {
      const req = FetchRequest.decode(await readAll(stream.source, 1024));
      const stored = req.root.length === 32 ? await this.#opts.store?.get(req.root) : undefined;
      const response = stored === undefined ? { found: false, envelope: undefined } : { found: true, envelope: Envelope.decode(stored) };
      await stream.sink([FetchResponse.encode(response).finish()]);
      if (stored !== undefined) this.counters.served++;
    } catch (e) {
      stream.abort(e as Error);
    }
  }

  async #dialBootstrap(): Promise<void> {
    const node = this.#node;
    if (node === undefined) return;
    const connected = new Set(node.getPeers().map((p) => p.toString()));
    await Promise.all(
      (this.#opts.bootstrap ?? []).map(async (addr) => {
        try {
          const ma = multiaddr(addr);
          const id = ma.getPeerId();
          if (id !== null && (connected.has(id) || id === node.peerId.toString())) return;
          await node.dial(ma);
        } catch (e) {
          this.#opts.logger.warn('p2p: bootstrap dial failed', { addr, error: (e as Error).message });
        }
      }),
    );
  }
}

export class P2pFrameTooLargeError extends Error {
  override readonly name = 'P2pFrameTooLargeError';
}

/** Reads a stream to its end, refusing more than `max` bytes (a peer cannot make us buffer more). */
async function readAll(source: AsyncIterable<{ subarray(): Uint8Array } | Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of source) {
    const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
    n += bytes.length;
    if (n > max) throw new P2pFrameTooLargeError(`more than ${max} bytes`);
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

export class P2pPublishRefusedError extends Error {
  override readonly name = 'P2pPublishRefusedError';
}
