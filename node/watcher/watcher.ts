// The watcher: follows pending batches on chain, gets their receipts (batch store, then fetch by
// root from peers), judges every receipt with the chain's own judge (modules/receipts/checks.ts,
// over chain state read by queries) and checks the batch's totals, and submits the
// challenge that proves a fault by itself: ChallengeReceipt for a bad receipt, ChallengeDoubleClaim
// for a receipt id claimed in two batches (its own view of fetched batches and the leaves revealed
// on chain, remembered in its LevelDB across restarts, claims.ts), ChallengeSum when the chain's
// declared totals are not the totals of the receipts behind its root, and RequestReceipts for leaves
// drawn at random while a batch's data cannot be found, up to max_open_requests at a time and
// again as they are answered, until the dispute window ends. Gossiped
// attestation envelopes handed to observeAttestations() are checked at the next pass, and one
// MsgReportForgedAttestation is sent for each attestation no trusted verifier signed.
//
// Not consensus code. It only submits what it has checked; the chain judges again.
import { randomInt } from 'node:crypto';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { SignedBody } from '../../proto/gen/cairn/p2p/v1/gossip.ts';
import { BatchStatus, type Params } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { type ReceiptFacts, judgeReceipt } from '../../modules/receipts/checks.ts';
import { type Batch, BatchError, type Receipt, inclusionProof } from '../../sdk/index.ts';
import { buildBatchWithEncodings } from '../../sdk/receipts/batch.ts';
import { toSumNode } from '../../sdk/receipts/merkle.ts';
import { receiptsMsgs } from '../../sdk/receipts/messages.ts';
import { registryMsgs } from '../../sdk/registry/messages.ts';
import type { Logger } from '../log.ts';
import { PeriodicTask } from '../periodic.ts';
import type { StartOptions } from '../service.ts';
import { forgedAttestations } from './attestations.ts';
import { type BatchFacts, GROUP, batchFacts } from './batch-facts.ts';
import type { VerifyPool } from './verify-pool.ts';
import type { ClaimStore, SeenClaim } from './claims.ts';

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
  /** RequestReceipts not answered yet, anyone's (at most max_open_requests). */
  readonly openRequests: number;
}

/** A leaf of a batch revealed on chain (sampled or requested). */
export interface RevealedLeaf {
  readonly index: bigint;
  readonly receiptId: Uint8Array;
}

/** The receipts params the watcher works with. */
export type WatcherParams = Pick<Params, 'epochBlocks' | 'maxBatchAgeEpochs' | 'maxOpenRequests'>;

export interface WatcherChain {
  readonly chainId: string;
  height(): Promise<bigint>;
  pendingBatches(): Promise<readonly WatchedBatch[]>;
  /** A batch's status and the last height it takes challenges at; undefined if there is none. */
  batch(id: bigint): Promise<{ readonly status: BatchStatus; readonly disputeEnd: bigint } | undefined>;
  /** The leaves of a batch revealed on chain so far. */
  reveals(batchId: bigint): Promise<readonly RevealedLeaf[]>;
  /** The leaves of a batch with an open RequestReceipt. */
  requestedLeaves(batchId: bigint): Promise<readonly bigint[]>;
  params(): Promise<WatcherParams>;
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
  /** Resolves with the tx hash (when the submitter knows it) once the chain included the tx. */
  submit(msgs: EncodeObject[]): Promise<string | void>;
}

export interface WatcherOptions {
  readonly chain: WatcherChain;
  readonly source: BatchSource;
  readonly submitter: Submitter;
  readonly logger: Logger;
  /** The RequestReceipt bond (params.challenge_bond), or how to read it when it is needed. */
  readonly requestBond: Coin | (() => Promise<Coin>);
  /** Where claimed receipt ids are remembered (opened and closed by the owner of the watcher). */
  readonly claims: ClaimStore;
  /** Checks with the data missing before RequestReceipts are sent. */
  readonly missesBeforeRequest?: number;
  /** A uniform leaf index in [0, n) for a request: unpredictable by default (node:crypto). */
  readonly randomLeaf?: (n: bigint) => bigint;
  /** How often start() polls (ms). */
  readonly intervalMs?: number;
  /**
   * Worker threads that verify a batch's signatures before its receipts are judged, off the main
   * thread; without it the judge verifies each signature in turn on the calling thread.
   */
  readonly verifier?: VerifyPool;
  /** Forged attestations and double claims remembered as reported (oldest forgotten first). */
  readonly reportedCapacity?: number;
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

/** A pending batch's data, found and built, with its facts being read and its signatures verified. */
interface Opened {
  readonly batch: Batch;
  /** Each leaf's receipt as the protobuf bytes its leaf hash covers, stored with the claims. */
  readonly encodings: readonly Uint8Array[];
  readonly facts: Promise<BatchFacts>;
}

interface Finding {
  readonly kind: FindingKind;
  /** Sent in one transaction (several only for requests: one block, not one per leaf). */
  readonly msgs: EncodeObject[];
  /** What the log names the finding by. */
  readonly subject: Record<string, string>;
}

/** Findings remembered as reported by default (a forgotten one costs at most a refused report). */
const REPORTED_CAPACITY = 65_536;
/** Receipts judged between two turns of the event loop. */
const YIELD_EVERY = 64;

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
  /** The revealed leaves of each pending batch already recorded as claims. */
  readonly #revealed = new Map<bigint, Set<bigint>>();
  /** Attestation envelopes (bytes as gossiped, and their decoded body) not checked yet. */
  readonly #attestations: { readonly data: Uint8Array; readonly body: SignedBody }[] = [];
  /** Evidence already reported (or being reported), as the chain keys it. */
  readonly #reported = new Map<string, true>();
  /** Double claims already challenged (or being challenged): batch and leaf of both sides. */
  readonly #doubleClaims = new Map<string, true>();
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
   * Records the leaves every pending batch revealed on chain, checks every pending batch not judged
   * yet (or requests leaves of one whose data is missing), then the queued attestations; returns
   * what it submitted. An aborted `signal` (the watcher stopping) ends the pass after the batch in hand.
   */
  async checkOnce(signal?: AbortSignal): Promise<EncodeObject[]> {
    const sent: EncodeObject[] = [];
    const height = await this.#o.chain.height();
    // Nothing is committed yet (a new chain before InitChain): nothing to read.
    if (height === 0n) return sent;
    const pending = await this.#o.chain.pendingBatches();
    await this.#settle(pending);
    const params = await this.#o.chain.params();
    const due = (b: WatchedBatch): boolean => !this.#done.has(b.id) && b.disputeEnd > height;
    let ahead: { readonly id: bigint; readonly opened: Promise<Opened | undefined> } | undefined;
    // Where the look-ahead stopped: a batch's being due does not change during the pass (only those
    // already checked become done), so it only moves forward and the pass stays linear in the pending set.
    let scan = 0;
    for (const [i, b] of pending.entries()) {
      if (signal?.aborted === true) return sent;
      for (const finding of await this.#recordReveals(b, height)) await this.#submit(finding, sent);
      if (!due(b)) continue;
      const opened = ahead?.id === b.id ? ahead.opened : this.#open(b);
      // The next batch is opened while this one is judged, so that the pool's threads verify its
      // signatures while this thread judges and records claims (one batch ahead at most).
      let next: WatchedBatch | undefined;
      if (this.#o.verifier !== undefined) {
        scan = Math.max(scan, i + 1);
        while (scan < pending.length && !due(pending[scan]!)) scan++;
        next = pending[scan];
      }
      ahead = next === undefined ? undefined : { id: next.id, opened: this.#open(next) };
      // An error of the batch ahead is the error of its own check; the pass may end before that.
      ahead?.opened.catch(() => {});
      for (const finding of await this.#check(b, height, params, await opened)) await this.#submit(finding, sent);
    }
    await this.#prune(pending, height, params);
    if (signal?.aborted === true) return sent;
    for (const finding of await this.#checkAttestations()) await this.#submit(finding, sent);
    return sent;
  }

  /**
   * Claims are kept while a batch could still claim their receipts again: a batch is submitted for
   * an epoch at most max_batch_age_epochs after it, and stays pending for its window after that.
   */
  async #prune(pending: readonly WatchedBatch[], height: bigint, p: WatcherParams): Promise<void> {
    let floor = (height - 1n) / p.epochBlocks - p.maxBatchAgeEpochs - 1n;
    for (const b of pending) if (b.epoch < floor) floor = b.epoch;
    if (floor > 0n) await this.#o.claims.prune(floor);
  }

  /** Tells onSettled about the batches pending at the last pass that are not any more. */
  async #settle(pending: readonly WatchedBatch[]): Promise<void> {
    const now = new Map(pending.map((b) => [b.id, b.root] as const));
    for (const [id, root] of this.#pendingRoots) {
      if (now.has(id)) continue;
      this.#done.delete(id);
      this.#misses.delete(id);
      this.#revealed.delete(id);
      await this.#o.onSettled?.(root);
    }
    this.#pendingRoots = now;
  }

  async #submit(finding: Finding, sent: EncodeObject[]): Promise<void> {
    const { msgs, subject } = finding;
    const type = msgs[0]!.typeUrl;
    try {
      const tx = await this.#o.submitter.submit(msgs);
      sent.push(...msgs);
      this.metrics[finding.kind] += msgs.length;
      this.#o.logger.info('watcher: challenge submitted', { ...subject, type, messages: msgs.length, tx: tx ?? undefined });
    } catch (e) {
      this.metrics.submitFailures++;
      this.#o.logger.warn('watcher: challenge failed', { ...subject, type, messages: msgs.length, error: (e as Error).message });
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
        forgetOldest(this.#reported, this.#o.reportedCapacity ?? REPORTED_CAPACITY);
        this.#o.logger.warn('watcher: attestation signed by no trusted verifier', { operator: body.operator, gpu: forged.gpuId, evidence: forged.evidence });
        findings.push({
          kind: 'reportForgedAttestation',
          msgs: [registryMsgs.MsgReportForgedAttestation({ reporter: this.#o.submitter.address, envelope: data, index: forged.index })],
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

  /**
   * The batch behind `b`'s root, built from the source's receipts (undefined when there are none
   * or they are not that batch), with its facts being read and its signatures verified.
   */
  async #open(b: WatchedBatch): Promise<Opened | undefined> {
    const receipts = await this.#o.source.receiptsOf(b.root);
    if (receipts === undefined) return undefined;
    let batch: Batch;
    let encodings: readonly Uint8Array[];
    try {
      ({ batch, encodings } = buildBatchWithEncodings(receipts));
    } catch (e) {
      if (!(e instanceof BatchError)) throw e;
      // Data that does not build a batch cannot be the batch behind this root (the gossip validator
      // builds it): treat as missing.
      return undefined;
    }
    if (Buffer.compare(batch.header.root, b.root) !== 0) return undefined;
    const facts = batchFacts(this.#o.chain.facts, b.operator, batch.receipts, this.#o.verifier);
    facts.catch(() => {}); // awaited by the check; the pass may end before that
    return { batch, encodings, facts };
  }

  async #check(b: WatchedBatch, height: bigint, params: WatcherParams, opened: Opened | undefined): Promise<Finding[]> {
    if (opened === undefined) return this.#missing(b, height, params);
    const { batch, encodings } = opened;
    this.#done.add(b.id);
    this.#misses.delete(b.id);
    this.metrics.batchesChecked++;
    const sum = this.#sumFault(b, batch);
    if (sum !== undefined) return [sum];
    const { facts, ready } = await opened.facts;
    // Judged in leaf order up to the first bad receipt, each group once the pool verified its
    // signatures, yielding to the event loop every YIELD_EVERY receipts (a few ms): with the facts
    // remembered and signatures verified ahead, nothing else here would let the node's block processing in.
    let bad: { index: number; finding: Finding } | undefined;
    for (let i = 0; i < batch.receipts.length && bad === undefined; i++) {
      if (i % GROUP === 0) await ready(i);
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      const r = batch.receipts[i]!;
      this.metrics.receiptsVerified++;
      const verdict = await judgeReceipt(facts, b, r);
      if (!verdict.ok) {
        this.#o.logger.warn('watcher: bad receipt', { batch: String(b.id), receipt: hex(r.id), problem: verdict.detail });
        bad = { index: i, finding: { kind: 'challengeReceipt', subject: { batch: String(b.id) }, msgs: [receiptsMsgs.MsgChallengeReceipt({ challenger: this.#o.submitter.address, batchId: b.id, receipt: r, proof: inclusionProof(batch, i) })] } };
      }
    }
    // Every leaf is remembered as claimed, even past a finding: the batch may survive its challenge.
    const others = await this.#o.claims.addBatch({ id: b.id, epoch: b.epoch, operator: b.operator, payer: b.payer, receipts: batch.receipts, encodings });
    // The first finding in leaf order, a bad receipt before a double claim of the same leaf.
    let finding: Finding | undefined;
    for (let i = 0; i < others.length; i++) {
      if (bad?.index === i) finding ??= bad.finding;
      if (others[i]!.length === 0) continue;
      const r = batch.receipts[i]!;
      const seen = { batchId: b.id, index: BigInt(i), claim: { batchId: b.id, receipt: r, proof: inclusionProof(batch, i) } };
      const double = await this.#doubleClaim(b, r.id, seen, others[i]!, height);
      finding ??= double;
    }
    if (finding === undefined) this.#o.logger.info('watcher: batch checked', { batch: String(b.id), receipts: batch.receipts.length });
    return finding === undefined ? [] : [finding];
  }

  /**
   * Records the leaves of `b` revealed on chain since the last pass as claims; a receipt also
   * claimed elsewhere is a double claim, which the chain can verify from its own reveal record.
   */
  async #recordReveals(b: WatchedBatch, height: bigint): Promise<Finding[]> {
    const seen = this.#revealed.get(b.id) ?? new Set<bigint>();
    this.#revealed.set(b.id, seen);
    const findings: Finding[] = [];
    for (const leaf of await this.#o.chain.reveals(b.id)) {
      if (seen.has(leaf.index)) continue;
      seen.add(leaf.index);
      const finding = await this.#claimed(b, leaf.receiptId, { batchId: b.id, index: leaf.index, claim: { batchId: b.id, receipt: undefined, proof: undefined } }, height);
      if (finding !== undefined) findings.push(finding);
    }
    return findings;
  }

  /**
   * Remembers that leaf `seen` of pending batch `b` claims `receiptId`; if the same receipt is claimed
   * elsewhere in a way the chain punishes, the ChallengeDoubleClaim that proves it. The chain rejects
   * the later batch (the higher id), which must still take challenges; the receipts of a rejected
   * earlier batch were never paid and may be claimed again.
   */
  async #claimed(b: WatchedBatch, receiptId: Uint8Array, seen: SeenClaim, height: bigint): Promise<Finding | undefined> {
    const others = await this.#o.claims.add({ epoch: b.epoch, operator: b.operator, payer: b.payer, receiptId }, seen);
    return this.#doubleClaim(b, receiptId, seen, others, height);
  }

  /** The ChallengeDoubleClaim for leaf `seen` claimed also at `others`, if the chain punishes it and it is not sent yet. */
  async #doubleClaim(b: WatchedBatch, receiptId: Uint8Array, seen: SeenClaim, others: readonly SeenClaim[], height: bigint): Promise<Finding | undefined> {
    for (const other of others) {
      const key = [other.batchId, other.index, seen.batchId, seen.index].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).join('/') + `/${hex(receiptId)}`;
      if (this.#doubleClaims.has(key)) continue;
      if (other.batchId !== b.id) {
        const o = await this.#o.chain.batch(other.batchId);
        if (o === undefined) continue;
        if (other.batchId < b.id && o.status === BatchStatus.BATCH_STATUS_REJECTED) continue;
        if (other.batchId > b.id && (o.status !== BatchStatus.BATCH_STATUS_PENDING || o.disputeEnd <= height)) continue;
      }
      this.#doubleClaims.set(key, true);
      forgetOldest(this.#doubleClaims, this.#o.reportedCapacity ?? REPORTED_CAPACITY);
      const [first, second] = other.batchId <= seen.batchId ? [other, seen] : [seen, other];
      this.#o.logger.warn('watcher: receipt claimed twice', { receipt: hex(receiptId), first: `${first.batchId}/${first.index}`, second: `${second.batchId}/${second.index}` });
      return {
        kind: 'challengeDoubleClaim',
        subject: { batch: String(second.batchId) },
        msgs: [receiptsMsgs.MsgChallengeDoubleClaim({ challenger: this.#o.submitter.address, receiptId, first: first.claim, second: second.claim })],
      };
    }
    return undefined;
  }

  /**
   * The batch's data cannot be found: after missesBeforeRequest passes, RequestReceipts for leaves
   * drawn at random among those nobody has asked for yet (not sampled, requested or revealed), as many
   * as max_open_requests leaves room for, every pass until the dispute window ends. An operator that
   * withholds its data must then reveal leaf after leaf, each checked for double claims, or be
   * punished for the first one it leaves unanswered; a random draw gives it no way to know which
   * leaves are safe to forge.
   */
  async #missing(b: WatchedBatch, height: bigint, params: WatcherParams): Promise<Finding[]> {
    this.metrics.dataMissing++;
    const misses = (this.#misses.get(b.id) ?? 0) + 1;
    this.#misses.set(b.id, misses);
    if (misses < (this.#o.missesBeforeRequest ?? 3)) return [];
    // A request lands in the next block at the earliest, which must still be inside the window.
    if (height >= b.disputeEnd) return [];
    const room = params.maxOpenRequests - b.openRequests;
    if (room <= 0) return [];
    const asked = new Set<bigint>([...b.unrevealedSample, ...(await this.#o.chain.requestedLeaves(b.id)), ...(this.#revealed.get(b.id) ?? [])]);
    const leaves = drawLeaves(b.count, asked, room, this.#o.randomLeaf ?? cryptoLeaf);
    if (leaves.length === 0) return [];
    this.#o.logger.warn('watcher: batch data not found; requesting receipts', { batch: String(b.id), root: hex(b.root), leaves: leaves.join(',') });
    const bond = await this.#bond();
    const requester = this.#o.submitter.address;
    return [{ kind: 'requestReceipt', subject: { batch: String(b.id), leaves: leaves.join(',') }, msgs: leaves.map((index) => receiptsMsgs.MsgRequestReceipt({ requester, batchId: b.id, index, bond })) }];
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
    return { kind: 'challengeSum', subject: { batch: String(b.id) }, msgs: [receiptsMsgs.MsgChallengeSum({ challenger: this.#o.submitter.address, batchId: b.id, proof })] };
  }
}

function cryptoLeaf(n: bigint): bigint {
  return BigInt(randomInt(Number(n)));
}

/**
 * Up to `n` distinct leaves of [0, count) not in `taken`, drawn with `random`; all of the free ones
 * when there are no more than `n`.
 */
export function drawLeaves(count: bigint, taken: ReadonlySet<bigint>, n: number, random: (n: bigint) => bigint): bigint[] {
  const free = count - BigInt([...taken].filter((i) => i >= 0n && i < count).length);
  if (free <= 0n || n <= 0) return [];
  if (free <= BigInt(n)) {
    const all: bigint[] = [];
    for (let i = 0n; i < count && all.length < n; i++) if (!taken.has(i)) all.push(i);
    return all;
  }
  const out = new Set<bigint>();
  while (out.size < n) {
    const i = random(count);
    if (i < 0n || i >= count) throw new RangeError(`random leaf ${i} is outside [0, ${count})`);
    if (!taken.has(i)) out.add(i);
  }
  return [...out];
}
