// One-shot publishing of a batch (what `cairn receipts publish` and SDK users call): a short-lived
// host dials the given peers, waits until one of them listens on the receipts topic, gossips the
// signed envelope and stops.
import type { Batch, Ed25519Signer } from '../../sdk/index.ts';
import type { Logger } from '../log.ts';
import { sealBatch } from './envelope.ts';
import { P2pHost } from './host.ts';
import { receiptsTopic } from './topics.ts';

export interface PublishBatchOptions {
  readonly chainId: string;
  /** The chain height now (receivers refuse envelopes far older than theirs). */
  readonly height: bigint;
  readonly batch: Pick<Batch, 'header' | 'receipts'>;
  /** The operator's registered receipt key. */
  readonly signer: Ed25519Signer;
  /** Multiaddrs with /p2p/<peer id> of nodes to hand the batch to. */
  readonly peers: readonly string[];
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

export class NoPeerListeningError extends Error {
  override readonly name = 'NoPeerListeningError';
}

/** Returns how many peers the batch was sent to directly. */
export async function publishBatch(opts: PublishBatchOptions): Promise<number> {
  const host = new P2pHost({
    // Inbound traffic is not this host's business: it judges nothing as valid (ignore, no penalty).
    chain: { chainId: opts.chainId, height: () => opts.height, receiptKeysOf: async () => [] },
    logger: opts.logger,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: opts.peers,
    redialMs: 500,
  });
  await host.start();
  try {
    const topic = receiptsTopic(opts.chainId);
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    while (host.pubsub.getSubscribers(topic).length === 0) {
      if (Date.now() > deadline) throw new NoPeerListeningError(`no peer among ${opts.peers.join(', ')} subscribed to ${topic}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const data = sealBatch(opts.batch, { chainId: opts.chainId, operator: opts.batch.header.operator, height: opts.height }, opts.signer);
    const recipients = await host.publish('batch', data);
    // Let the muxer flush before the connection closes.
    await new Promise((r) => setTimeout(r, 300));
    return recipients;
  } finally {
    await host.stop();
  }
}
