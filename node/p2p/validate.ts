// Validation of a gossiped message before it is delivered or forwarded. Three answers, as gossipsub
// wants them: accept; reject (provably bad: the sender is penalised through its peer score);
// ignore (undecidable now, e.g. the operator's registration is not committed yet, or a root we
// already have: dropped without forwarding and without penalty).
//
// Only what the envelope itself claims is checked here. A batch whose receipts are forged but whose
// root matches them is ACCEPTED and forwarded: that is exactly the data watchers need to prove
// fraud on chain. A batch is judged at the wire level (batch-wire.ts): the root is rebuilt from the
// receipts' bytes without decoding them, which the watcher does later, off the forwarding path.
import { MAX_EVIDENCE_BYTES } from '../../sdk/registry/evidence.ts';
import { WireError, readBatchBody, readEnvelope, rootProblem } from './batch-wire.ts';
import { EnvelopeDecodeError, type OpenedEnvelope, envelopeSignatureValid, lazyEnvelope, openEnvelope } from './envelope.ts';

export interface ReceiptKeyWindow {
  readonly key: Uint8Array;
  readonly validFrom: bigint;
  /** undefined for the current key. */
  readonly validUntil: bigint | undefined;
}

/** What the validator needs of the app's committed state. */
export interface ChainView {
  readonly chainId: string;
  /** The last committed height. */
  height(): bigint;
  /** Every receipt key of the operator (bech32) with its window; [] when it is not registered. */
  receiptKeysOf(operator: string): Promise<readonly ReceiptKeyWindow[]>;
}

export interface ValidationLimits {
  /** Largest encoded envelope accepted. */
  readonly maxBytes: number;
  /**
   * Largest attestation envelope accepted: no larger than the chain takes as forgery evidence, so an
   * operator cannot gossip a forged attestation inside an envelope too big to be reported.
   */
  readonly maxAttestationBytes: number;
  readonly maxReceipts: number;
  readonly maxAttestations: number;
  /** An envelope signed more than this many blocks before our height is a replay. */
  readonly maxAgeBlocks: bigint;
  /** An envelope claiming a height this far ahead of ours cannot be judged yet. */
  readonly maxAheadBlocks: bigint;
  /** How many roots are remembered to drop re-sent batches. */
  readonly seenCapacity: number;
}

export const DEFAULT_LIMITS: ValidationLimits = {
  maxBytes: 8 * 1024 * 1024,
  maxAttestationBytes: MAX_EVIDENCE_BYTES,
  maxReceipts: 16_384,
  maxAttestations: 1024,
  maxAgeBlocks: 600n,
  maxAheadBlocks: 20n,
  seenCapacity: 65_536,
};

export type MessageKind = 'batch' | 'attestations';

export type RejectReason = 'oversized' | 'undecodable' | 'wrong-chain' | 'wrong-kind' | 'bad-signature' | 'unregistered-key' | 'revoked-key' | 'replay' | 'root-mismatch' | 'bad-batch' | 'too-many';
export type IgnoreReason = 'operator-unknown' | 'key-not-yet-valid' | 'ahead' | 'duplicate-root';

export type Verdict =
  | { readonly result: 'accept'; readonly opened: OpenedEnvelope }
  | { readonly result: 'reject'; readonly reason: RejectReason; readonly detail: string }
  | { readonly result: 'ignore'; readonly reason: IgnoreReason; readonly detail: string };

const reject = (reason: RejectReason, detail: string): Verdict => ({ result: 'reject', reason, detail });
const ignore = (reason: IgnoreReason, detail: string): Verdict => ({ result: 'ignore', reason, detail });

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export class MessageValidator {
  readonly #chain: ChainView;
  readonly #limits: ValidationLimits;
  // Insertion-ordered: the oldest root is evicted first, so memory stays bounded under a flood.
  readonly #seen = new Map<string, true>();

  constructor(chain: ChainView, limits: Partial<ValidationLimits> = {}) {
    this.#chain = chain;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get limits(): ValidationLimits {
    return this.#limits;
  }

  /** Remembers a root (e.g. one we published or fetched) so re-sent copies are dropped. */
  markSeen(root: Uint8Array): void {
    const k = hex(root);
    this.#seen.delete(k);
    this.#seen.set(k, true);
    while (this.#seen.size > this.#limits.seenCapacity) {
      const oldest = this.#seen.keys().next().value;
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
  }

  hasSeen(root: Uint8Array): boolean {
    return this.#seen.has(hex(root));
  }

  /**
   * Judges the bytes of a message received on the topic for `kind`. A batch fetched by root
   * (`fetched`) is old by nature and may be one we saw: age and duplicate checks are skipped.
   */
  async validate(kind: MessageKind, data: Uint8Array, opts: { readonly fetched?: boolean } = {}): Promise<Verdict> {
    const fetched = opts.fetched === true;
    const maxBytes = kind === 'attestations' ? this.#limits.maxAttestationBytes : this.#limits.maxBytes;
    if (data.length > maxBytes) return reject('oversized', `${data.length} bytes > ${maxBytes} for ${kind}`);
    let body: { readonly chainId: string; readonly operator: string; readonly signerKey: Uint8Array; readonly height: bigint };
    let opened: OpenedEnvelope;
    let receipts: readonly Uint8Array[] | undefined;
    try {
      if (kind === 'batch') {
        const envelope = readEnvelope(data);
        const wire = readBatchBody(envelope.body);
        if (wire.batch === undefined) return reject('wrong-kind', 'a batch topic message must carry exactly that payload');
        body = wire;
        receipts = wire.batch.receipts;
        opened = lazyEnvelope(envelope, wire.batch.root);
      } else {
        opened = openEnvelope(data);
        body = opened.body;
        if (opened.body.batch !== undefined || opened.body.attestations === undefined) return reject('wrong-kind', 'an attestations topic message must carry exactly that payload');
      }
    } catch (e) {
      if (e instanceof EnvelopeDecodeError || e instanceof WireError) return reject('undecodable', e.message);
      throw e;
    }
    if (body.chainId !== this.#chain.chainId) return reject('wrong-chain', `chain id ${JSON.stringify(body.chainId)}`);
    if (!envelopeSignatureValid(body.signerKey, opened.envelope)) return reject('bad-signature', 'the envelope signature does not verify');

    const height = this.#chain.height();
    if (!fetched && body.height + this.#limits.maxAgeBlocks < height) return reject('replay', `signed at height ${body.height}, we are at ${height}`);
    if (body.height > height + this.#limits.maxAheadBlocks) return ignore('ahead', `signed at height ${body.height}, we are at ${height}`);

    const keys = await this.#chain.receiptKeysOf(body.operator);
    if (keys.length === 0) return ignore('operator-unknown', `operator ${body.operator} is not registered at height ${height}`);
    const mine = keys.filter((k) => Buffer.compare(k.key, body.signerKey) === 0);
    if (mine.length === 0) return reject('unregistered-key', `key ${hex(body.signerKey)} is not a receipt key of ${body.operator}`);
    const valid = mine.some((k) => k.validFrom <= height && (k.validUntil === undefined || height < k.validUntil));
    if (!valid) {
      if (mine.some((k) => k.validFrom > height)) return ignore('key-not-yet-valid', `key valid from a later height than ${height}`);
      return reject('revoked-key', `key ${hex(body.signerKey)} was rotated out before height ${height}`);
    }

    if (receipts !== undefined) {
      const root = opened.root!;
      if (receipts.length > this.#limits.maxReceipts) return reject('too-many', `${receipts.length} receipts > ${this.#limits.maxReceipts}`);
      if (!fetched && this.hasSeen(root)) return ignore('duplicate-root', `root ${hex(root)} already seen`);
      const problem = rootProblem(receipts, root, body.operator, body.chainId);
      if (problem !== undefined) return reject(problem.reason, problem.detail);
      this.markSeen(root);
    } else {
      const n = opened.body.attestations!.attestations.length;
      if (n === 0 || n > this.#limits.maxAttestations) return reject('too-many', `${n} attestations`);
    }
    return { result: 'accept', opened };
  }
}
