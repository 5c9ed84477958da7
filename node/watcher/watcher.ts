// The watcher: follows pending batches on chain, gets their receipts (batch store, then fetch by
// root from peers), judges every receipt with the chain's own judge (modules/receipts/checks.ts,
// over chain state read by queries) and checks the batch's totals, and submits the
// challenge that proves a fault by itself: ChallengeReceipt for a bad receipt, ChallengeDoubleClaim
// for a receipt id claimed in two batches, ChallengeSum when the chain's declared totals are not the
// totals of the receipts behind its root, RequestReceipt when the data cannot be found. Gossiped
// attestation envelopes handed to observeAttestations() are checked at the next pass, and one
// MsgReportForgedAttestation is sent for each attestation no trusted verifier signed.
//
// Not consensus code. It only submits what it has checked; the chain judges again.
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { SignedBody } from '../../proto/gen/cairn/p2p/v1/gossip.ts';
import type { Claim } from '../../proto/gen/cairn/receipts/v1/tx.ts';
import { type ReceiptFacts, judgeReceipt } from '../../modules/receipts/checks.ts';
import { type Batch, BatchError, type Receipt, buildBatch, inclusionProof } from '../../sdk/index.ts';
import { toSumNode } from '../../sdk/receipts/merkle.ts';
import { receiptsMsgs } from '../../sdk/receipts/messages.ts';
import { registryMsgs } from '../../sdk/registry/messages.ts';
import type { Logger } from '../log.ts';
import { PeriodicTask } from '../periodic.ts';
import type { StartOptions } from '../service.ts';
import { forgedAttestations } from './attestations.ts';

/** A pending batch as the chain records it (the fields the watcher compares). */
export interface WatchedBatch {
  readonly id: bigint;
  readonly operator: string;
  readonly payer: string;
  readonly modelId: string;
  readonly adapterId: string;
  readonly epoch: bigint;
  /** Receipt times must be in [timeStart, timeEnd) (unix seconds). */
  readonly timeStart: bigint;
  readonly timeEnd: bigint;
  readonly root: Uint8Array;
  readonly count: bigint;
  readonly amount: bigint;
  readonly disputeEnd: bigint;
  /** Sampled leaves not revealed yet: the chain already demands those, so they are not requested. */
  readonly unrevealedSample: readonly bigint[];
}

export interface WatcherChain {
  readonly chainId: string;
  height(): Promise<bigint>;
  pendingBatches(): Promise<readonly WatchedBatch[]>;
  /** What receipts are judged against: the chain's own judge (judgeReceipt) runs on them. */
  readonly facts: ReceiptFacts;
  /** The registry's trusted verifier keys (params.trusted_verifiers). */
  trustedVerifiers(): Promise<readonly Uint8Array[]>;
}

/** Where batch data comes from: the local batch store, then peers. */
export interface BatchSource {
  receiptsOf(root: Uint8Array): Promise<readonly Receipt[] | undefined>;
}

/** Signs and broadcasts messages with the watcher's key (which pays for challenges). */
export interface Submitter {
  readonly address: string;
  submit(msgs: EncodeObject[]): Promise<void>;
}

export interface WatcherOptions {
  readonly chain: WatcherChain;
  readonly source: BatchSource;
  readonly submitter: Submitter;
  readonly logger: Logger;
  /** The RequestReceipt bond (params.challenge_bond), or how to read it when it is needed. */
  readonly requestBond: Coin | (() => Promise<Coin>);
  /** Checks with the data missing before a RequestReceipt is sent. */
  readonly missesBeforeRequest?: number;
  /** How often start() polls (ms). */
  readonly intervalMs?: number;
  /** Receipt ids remembered for double claims (oldest forgotten first). */
  readonly claimCapacity?: number;
  /** Attestation envelopes waiting for the next pass; beyond this the oldest are dropped. */
  readonly attestationQueue?: number;
  /**
   * Called once for each batch that was pending and is no longer (finalized or rejected), with its
   * root: the node restarts the batch store's retention period from there.
   */
  readonly onSettled?: (root: Uint8Array) => Promise<void>;
}

export interface Coin {
  readonly denom: string;
  readonly amount: string;
}

/** What each finding submits; the metrics count the ones the chain accepted into a block. */
export type FindingKind = 'challengeReceipt' | 'challengeDoubleClaim' | 'challengeSum' | 'requestReceipt' | 'reportForgedAttestation';

export interface WatcherMetrics extends Record<FindingKind, number> {
  /** Pending batches whose data was found and judged. */
  batchesChecked: number;
  receiptsVerified: number;
  /** Passes in which a pending batch's data could not be found. */
  dataMissing: number;
  /** Gossiped attestations checked against the trusted verifiers. */
  attestationsChecked: number;
  /** Attestation envelopes dropped unchecked because the queue was full. */
  attestationsDropped: number;
  /** Challenges and requests the chain refused, or that could not be broadcast. */
  submitFailures: number;
}

interface Finding {
  readonly kind: FindingKind;
  readonly msg: EncodeObject;
  /** What the log names the finding by. */
  readonly subject: Record<string, string>;
}

interface SeenClaim {
  readonly claim: Claim;
  readonly payer: string;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Keeps an insertion-ordered map at `cap` entries by forgetting the oldest. */
function forgetOldest(map: Map<string, unknown>, cap: number): void {
  while (map.size > cap) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

export class Watcher {
  readonly metrics: WatcherMetrics = {
    batchesChecked: 0,
    receiptsVerified: 0,
    dataMissing: 0,
    attestationsChecked: 0,
    attestationsDropped: 0,
    challengeReceipt: 0,
    challengeDoubleClaim: 0,
    challengeSum: 0,
    requestReceipt: 0,
    reportForgedAttestation: 0,
    submitFailures: 0,
  };
  readonly #o: WatcherOptions;
  /** Batches already judged (challenged or found honest). */
  readonly #done = new Set<bigint>();
  readonly #misses = new Map<bigint, number>();
  readonly #claims = new Map<string, SeenClaim>();
  /** Attestation envelopes (bytes as gossiped, and their decoded body) not checked yet. */
  readonly #attestations: { readonly data: Uint8Array; readonly body: SignedBody }[] = [];
  /** Evidence already reported (or being reported), as the chain keys it. */
  readonly #reported = new Map<string, true>();
  /** Roots of the batches pending at the last pass, by id (bounded by the chain's pending set). */
  #pendingRoots = new Map<bigint, Uint8Array>();
  readonly #loop: PeriodicTask;

  constructor(opts: WatcherOptions) {
    this.#o = opts;
    this.#loop = new PeriodicTask({ name: 'watcher', job: (signal) => this.checkOnce(signal), intervalMs: opts.intervalMs ?? 2000, onError: (e) => opts.logger.error('watcher: pass failed', { error: e.message }) });
  }

  /** Polls every intervalMs (a Service, node/service.ts). */
  start(opts: StartOptions = {}): Promise<void> {
    return this.#loop.start(opts);
  }

  /** Stops polling; waits for a pass in progress, which ends after the batch it is checking. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One pass unless one is running already; errors are logged, never thrown. */
  tick(): Promise<void> {
    return this.#loop.tick();
  }

  /**
   * Queues a gossiped attestation envelope (the exact bytes received, which are the evidence) for
   * the next pass. Cheap: called from the gossip validator, which must not wait for a broadcast.
   */
  observeAttestations(data: Uint8Array, body: SignedBody): void {
    this.#attestations.push({ data, body });
    while (this.#attestations.length > (this.#o.attestationQueue ?? 256)) {
      this.#attestations.shift();
      this.metrics.attestationsDropped++;
    }
  }

  /**
   * Checks every pending batch not judged yet, then the queued attestations; returns what it
   * submitted. An aborted `signal` (the watcher stopping) ends the pass after the batch in hand.
   */
  async checkOnce(signal?: AbortSignal): Promise<EncodeObject[]> {
    const sent: EncodeObject[] = [];
    const height = await this.#o.chain.height();
    // Nothing is committed yet (a new chain before InitChain): nothing to read.
    if (height === 0n) return sent;
    const pending = await this.#o.chain.pendingBatches();
    await this.#settle(pending);
    for (const b of pending) {
      if (signal?.aborted === true) return sent;
      if (this.#done.has(b.id) || b.disputeEnd <= height) continue;
      const finding = await this.#check(b);
      if (finding !== undefined) await this.#submit(finding, sent);
    }
    if (signal?.aborted === true) return sent;
    for (const finding of await this.#checkAttestations()) await this.#submit(finding, sent);
    return sent;
  }

  /** Tells onSettled about the batches pending at the last pass that are not any more. */
  async #settle(pending: readonly WatchedBatch[]): Promise<void> {
    const now = new Map(pending.map((b) => [b.id, b.root] as const));
    for (const [id, root] of this.#pendingRoots) {
      if (now.has(id)) continue;
      this.#done.delete(id);
      this.#misses.delete(id);
      await this.#o.onSettled?.(root);
    }
    this.#pendingRoots = now;
  }

  async #submit(finding: Finding, sent: EncodeObject[]): Promise<void> {
    const { msg, subject } = finding;
    try {
      await this.#o.submitter.submit([msg]);
      sent.push(msg);
      this.metrics[finding.kind]++;
      this.#o.logger.info('watcher: challenge submitted', { ...subject, type: msg.typeUrl });
    } catch (e) {
      this.metrics.submitFailures++;
      this.#o.logger.warn('watcher: challenge failed', { ...subject, type: msg.typeUrl, error: (e as Error).message });
    }
  }

  /** Reports each queued attestation no trusted verifier signed, once per piece of evidence. */
  async #checkAttestations(): Promise<Finding[]> {
    if (this.#attestations.length === 0) return [];
    const queued = this.#attestations.splice(0);
    const verifiers = await this.#o.chain.trustedVerifiers();
    const findings: Finding[] = [];
    for (const { data, body } of queued) {
      this.metrics.attestationsChecked += body.attestations?.attestations.length ?? 0;
      for (const forged of forgedAttestations(body, verifiers)) {
        if (this.#reported.has(forged.evidence)) continue;
        this.#reported.set(forged.evidence, true);
        forgetOldest(this.#reported, this.#o.claimCapacity ?? 1_000_000);
        this.#o.logger.warn('watcher: attestation signed by no trusted verifier', { operator: body.operator, gpu: forged.gpuId, evidence: forged.evidence });
        findings.push({
          kind: 'reportForgedAttestation',
          msg: registryMsgs.MsgReportForgedAttestation({ reporter: this.#o.submitter.address, envelope: data, index: forged.index }),
          subject: { operator: body.operator, gpu: forged.gpuId },
        });
      }
    }
    return findings;
  }

  async #bond(): Promise<Coin> {
    const b = this.#o.requestBond;
    return typeof b === 'function' ? b() : b;
  }

  async #check(b: WatchedBatch): Promise<Finding | undefined> {
    const receipts = await this.#o.source.receiptsOf(b.root);
    if (receipts === undefined) {
      this.metrics.dataMissing++;
      const misses = (this.#misses.get(b.id) ?? 0) + 1;
      this.#misses.set(b.id, misses);
      if (misses < (this.#o.missesBeforeRequest ?? 3)) return undefined;
      this.#done.add(b.id);
      let index = 0n;
      while (index < b.count && b.unrevealedSample.includes(index)) index++;
      // Every leaf is sampled: the operator must reveal them all anyway, or be punished.
      if (index >= b.count) return undefined;
      this.#o.logger.warn('watcher: batch data not found; requesting a receipt', { batch: String(b.id), root: hex(b.root) });
      return { kind: 'requestReceipt', subject: { batch: String(b.id) }, msg: receiptsMsgs.MsgRequestReceipt({ requester: this.#o.submitter.address, batchId: b.id, index, bond: await this.#bond() }) };
    }
    let batch: Batch;
    try {
      batch = buildBatch(receipts);
    } catch (e) {
      if (!(e instanceof BatchError)) throw e;
      // Data that does not build a batch cannot be the batch behind this root (the gossip validator
      // builds it): treat as missing.
      return undefined;
    }
    if (Buffer.compare(batch.header.root, b.root) !== 0) return undefined;
    this.#done.add(b.id);
    this.metrics.batchesChecked++;
    const sum = this.#sumFault(b, batch);
    if (sum !== undefined) return sum;
    for (let i = 0; i < batch.receipts.length; i++) {
      const r = batch.receipts[i]!;
      this.metrics.receiptsVerified++;
      const verdict = await judgeReceipt(this.#o.chain.facts, b, r);
      if (!verdict.ok) {
        this.#o.logger.warn('watcher: bad receipt', { batch: String(b.id), receipt: hex(r.id), problem: verdict.detail });
        return { kind: 'challengeReceipt', subject: { batch: String(b.id) }, msg: receiptsMsgs.MsgChallengeReceipt({ challenger: this.#o.submitter.address, batchId: b.id, receipt: r, proof: inclusionProof(batch, i) }) };
      }
      const key = `${r.payer}/${hex(r.id)}`;
      const claim: Claim = { batchId: b.id, receipt: r, proof: inclusionProof(batch, i) };
      const earlier = this.#claims.get(key);
      if (earlier !== undefined && earlier.claim.batchId !== b.id) {
        this.#o.logger.warn('watcher: receipt claimed twice', { receipt: hex(r.id), first: String(earlier.claim.batchId), second: String(b.id) });
        return { kind: 'challengeDoubleClaim', subject: { batch: String(b.id) }, msg: receiptsMsgs.MsgChallengeDoubleClaim({ challenger: this.#o.submitter.address, receiptId: r.id, first: earlier.claim, second: claim }) };
      }
      this.#remember(key, { claim, payer: r.payer });
    }
    this.#o.logger.info('watcher: batch checked', { batch: String(b.id), receipts: batch.receipts.length });
    return undefined;
  }

  /**
   * The root hash commits to its children's sums, not to the totals MsgSubmitBatch declares: an
   * operator can submit the root of honest receipts with a larger amount (or another count), which
   * the chain cannot see at submission. With the receipts in hand the root opens into its real
   * children (or, for one receipt, into that receipt), whose sums differ from the declared ones:
   * MsgChallengeSum proves it. (Inclusion proofs of such a batch never verify, so no receipt could
   * be revealed or challenged.)
   */
  #sumFault(b: WatchedBatch, batch: Batch): Finding | undefined {
    if (batch.header.amount === b.amount && batch.header.count === b.count) return undefined;
    const top = batch.tree.levels.length - 1;
    const opened = batch.tree.sumNodeProof(top, 0, top === 0 ? batch.receipts[0] : undefined);
    const proof = { ...opened, node: toSumNode({ hash: b.root, amount: b.amount, count: b.count }) };
    this.#o.logger.warn('watcher: declared totals are not the receipts’ totals', {
      batch: String(b.id),
      declared: `${b.amount} in ${b.count} receipts`,
      actual: `${batch.header.amount} in ${batch.header.count} receipts`,
    });
    return { kind: 'challengeSum', subject: { batch: String(b.id) }, msg: receiptsMsgs.MsgChallengeSum({ challenger: this.#o.submitter.address, batchId: b.id, proof }) };
  }

  #remember(key: string, c: SeenClaim): void {
    this.#claims.set(key, c);
    forgetOldest(this.#claims, this.#o.claimCapacity ?? 1_000_000);
  }
}
