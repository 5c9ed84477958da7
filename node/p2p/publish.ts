// One-shot publishing (what `cairn receipts publish`, `cairn receipts publish-attestations` and SDK
// users call): a short-lived host dials the given peers, waits until one of them listens on the
// topic, gossips the operator-signed envelope and stops.
import type { Attestation } from '../../proto/gen/cairn/registry/v1/types.ts';
import type { Batch, Ed25519Signer } from '../../sdk/index.ts';
import type { Logger } from '../log.ts';
import { sealAttestations, sealBatch } from './envelope.ts';
import { P2pHost } from './host.ts';
import { attestationsTopic, receiptsTopic } from './topics.ts';
import type { MessageKind } from './validate.ts';

export interface PublishOptions {
  readonly chainId: string;
  /** The chain height now (receivers refuse envelopes far older than theirs). */
  readonly height: bigint;
  /** The operator's registered receipt key. */
  readonly signer: Ed25519Signer;
  /** Multiaddrs with /p2p/<peer id> of nodes to hand the envelope to. */
  readonly peers: readonly string[];
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

export interface PublishBatchOptions extends PublishOptions {
  readonly batch: Pick<Batch, 'header' | 'receipts'>;
}

export interface PublishAttestationsOptions extends PublishOptions {
  /** The operator (bech32) the attestations belong to. */
  readonly operator: string;
  readonly attestations: readonly Attestation[];
}

export class NoPeerListeningError extends Error {
  override readonly name = 'NoPeerListeningError';
}

/** Returns how many peers the batch was sent to directly. */
export async function publishBatch(opts: PublishBatchOptions): Promise<number> {
  return publishEnvelope(opts, 'batch', sealBatch(opts.batch, { chainId: opts.chainId, operator: opts.batch.header.operator, height: opts.height }, opts.signer));
}

/** Returns how many peers the attestation set was sent to directly. */
export async function publishAttestations(opts: PublishAttestationsOptions): Promise<number> {
  return publishEnvelope(opts, 'attestations', sealAttestations(opts.attestations, { chainId: opts.chainId, operator: opts.operator, height: opts.height }, opts.signer));
}

async function publishEnvelope(opts: PublishOptions, kind: MessageKind, data: Uint8Array): Promise<number> {
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
    const topic = kind === 'batch' ? receiptsTopic(opts.chainId) : attestationsTopic(opts.chainId);
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    while (host.pubsub.getSubscribers(topic).length === 0) {
      if (Date.now() > deadline) throw new NoPeerListeningError(`no peer among ${opts.peers.join(', ')} subscribed to ${topic}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const recipients = await host.publish(kind, data);
    // Let the muxer flush before the connection closes.
    await new Promise((r) => setTimeout(r, 300));
    return recipients;
  } finally {
    await host.stop();
  }
}
