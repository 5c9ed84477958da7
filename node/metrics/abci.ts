// What the ABCI app does, measured from outside it: instrumentApp() wraps the app the ABCI server
// calls, times every method, and reads the requests and responses CometBFT exchanges with it
// (results, events, the last commit's votes) after the app answered. It never reads state and never
// changes a request or a response, so consensus is the same with metrics on or off; the cost is two
// clock reads per call and, per tx, decoding its body to name its first message.
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Event, RequestCheckTx, RequestFinalizeBlock, ResponseCheckTx, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { CheckTxType, ResponseProcessProposal_ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { toKeyString } from '../../core/store/bytes.ts';
import type { AbciApplication } from '../abci/types.ts';
import { LruCache } from '../../core/lru-cache.ts';

/** Recent txs whose msg_type label is kept (a mempool's worth), each at most this many bytes. */
const LABELLED_TXS = 5_000;
const MAX_LABELLED_TX_BYTES = 2048;

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** An event attribute value used as a label, in snake_case ("receipt fraud" → receipt_fraud); anything long or odd is "other". */
const word = (v: string | undefined): string => {
  const w = (v ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return /^[a-z][a-z0-9_]{0,39}$/.test(w) ? w : 'other';
};

/**
 * The label values the chain can emit, shown at 0 from the start so that a dashboard or an alert
 * (increase(), rate()) sees the series before the first event. Other values still count when they come.
 */
const FAULT_KINDS = ['receipt_fraud', 'double_claim', 'sum_fraud', 'data_unavailable', 'stale_attestation', 'reserved_job_refusal'];
const OPERATOR_SLASH_REASONS = [...FAULT_KINDS, 'forged_attestation', 'fake_capacity'];
const VALIDATOR_SLASH_REASONS = ['missing_signature', 'double_sign'];
const CHALLENGE_KINDS = ['receipt', 'double_claim', 'sum', 'request', 'capacity'];

export class AbciMetrics {
  readonly duration: Histogram<'method'>;
  readonly errors: Counter<'method'>;
  readonly checkTx: Counter<'type' | 'code' | 'codespace' | 'msg_type'>;
  readonly txResults: Counter<'code' | 'codespace' | 'msg_type'>;
  readonly proposals: Counter<'status'>;
  readonly blockTxs: Histogram;
  readonly blockTxBytes: Histogram;
  readonly blockInterval: Histogram;
  readonly blockTimestamp: Gauge;
  readonly blockGas: Counter;
  readonly missed: Counter<'validator'>;
  readonly faults: Counter<'kind'>;
  readonly operatorSlashes: Counter<'reason'>;
  readonly validatorSlashes: Counter<'reason'>;
  readonly challenges: Counter<'kind'>;
  /** Type URLs the app routes; anything else is labelled "unknown" (a sender must not mint label values). */
  readonly #known: ReadonlySet<string>;
  readonly #msgTypes = new LruCache<string>(LABELLED_TXS);
  #lastBlockSeconds: number | undefined;
  /** The app hash after each recent block, for AppHashCheck. */
  readonly #appHashes = new Map<bigint, Uint8Array>();

  constructor(reg: Registry, knownMsgTypes: ReadonlySet<string>) {
    const registers = [reg];
    this.#known = knownMsgTypes;
    this.duration = new Histogram({ name: 'cairn_abci_request_duration_seconds', help: 'Time the app took to answer an ABCI request, by method (commit includes the store write).', labelNames: ['method'], buckets: DURATION_BUCKETS, registers });
    this.errors = new Counter({ name: 'cairn_abci_request_errors_total', help: 'ABCI requests the app failed to answer (the connection is closed and CometBFT stops), by method.', labelNames: ['method'], registers });
    this.checkTx = new Counter({ name: 'cairn_check_tx_total', help: 'CheckTx answers by type (check: a new tx; recheck: after a block), code (0: admitted to the mempool), codespace and first message type.', labelNames: ['type', 'code', 'codespace', 'msg_type'], registers });
    this.txResults = new Counter({ name: 'cairn_tx_results_total', help: 'Transactions executed in finalized blocks, by result code, codespace and first message type.', labelNames: ['code', 'codespace', 'msg_type'], registers });
    this.proposals = new Counter({ name: 'cairn_process_proposal_total', help: 'Block proposals this node judged, by status (reject: over the block gas limit).', labelNames: ['status'], registers });
    this.blockTxs = new Histogram({ name: 'cairn_block_txs', help: 'Transactions per finalized block.', buckets: [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000], registers });
    this.blockTxBytes = new Histogram({ name: 'cairn_block_tx_bytes', help: "Bytes of a finalized block's transactions.", buckets: [0, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 22020096], registers });
    this.blockInterval = new Histogram({ name: 'cairn_block_interval_seconds', help: "Time between consecutive finalized blocks' header times.", buckets: [0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 30, 60, 120], registers });
    this.blockTimestamp = new Gauge({ name: 'cairn_block_timestamp_seconds', help: "Header time of the last finalized block (unix seconds); time() minus it is the chain's lag.", registers });
    this.blockGas = new Counter({ name: 'cairn_block_gas_used_total', help: 'Gas used by the transactions of finalized blocks.', registers });
    this.missed = new Counter({ name: 'cairn_consensus_missed_signatures_total', help: "Blocks whose last commit lacks a validator's signature, by validator consensus address (hex).", labelNames: ['validator'], registers });
    this.faults = new Counter({ name: 'cairn_operator_faults_total', help: 'Operator faults proved on chain (operator_fault events), by kind.', labelNames: ['kind'], registers });
    this.operatorSlashes = new Counter({ name: 'cairn_operator_slashes_total', help: 'Operator bond slashes (slash_operator events), by reason.', labelNames: ['reason'], registers });
    this.validatorSlashes = new Counter({ name: 'cairn_validator_slashes_total', help: 'Validator slashes (slash events: missing_signature, double_sign), by reason.', labelNames: ['reason'], registers });
    this.challenges = new Counter({ name: 'cairn_challenges_total', help: 'Challenges accepted on chain, by kind (receipt, double_claim, sum: batch challenges; request: a leaf asked for; capacity: a GPU capacity challenge).', labelNames: ['kind'], registers });
    for (const kind of FAULT_KINDS) this.faults.inc({ kind }, 0);
    for (const reason of OPERATOR_SLASH_REASONS) this.operatorSlashes.inc({ reason }, 0);
    for (const reason of VALIDATOR_SLASH_REASONS) this.validatorSlashes.inc({ reason }, 0);
    for (const kind of CHALLENGE_KINDS) this.challenges.inc({ kind }, 0);
    for (const status of ['accept', 'reject']) this.proposals.inc({ status }, 0);
  }

  /** The first message's type URL, "unknown" for one the app does not route, "undecodable" for bytes that are not a tx. */
  msgType(tx: Uint8Array): string {
    // A tx is labelled at its CheckTx, at every recheck and in its block; decoding it each time was
    // ~2.5 % of the app thread under load. Labels are kept by the tx's exact bytes (small txs only).
    if (tx.length > MAX_LABELLED_TX_BYTES) return this.#msgTypeOf(tx);
    const key = toKeyString(tx);
    let type = this.#msgTypes.get(key);
    if (type === undefined) {
      type = this.#msgTypeOf(tx);
      this.#msgTypes.set(key, type);
    }
    return type;
  }

  #msgTypeOf(tx: Uint8Array): string {
    try {
      const url = TxBody.decode(TxRaw.decode(tx).bodyBytes).messages[0]?.typeUrl;
      if (url === undefined) return 'none';
      return this.#known.has(url) ? url : 'unknown';
    } catch {
      return 'undecodable';
    }
  }

  onCheckTx(req: RequestCheckTx, res: ResponseCheckTx): void {
    const type = req.type === CheckTxType.RECHECK ? 'recheck' : 'check';
    this.checkTx.inc({ type, code: String(res.code), codespace: res.codespace, msg_type: this.msgType(req.tx) });
  }

  /** The app hash this node computed after `height` (the last 256 blocks it ran). */
  appHashAt(height: bigint): Uint8Array | undefined {
    return this.#appHashes.get(height);
  }

  onFinalizeBlock(req: RequestFinalizeBlock, res: ResponseFinalizeBlock): void {
    this.#appHashes.set(req.height, res.appHash);
    this.#appHashes.delete(req.height - 256n);
    let bytes = 0;
    let gas = 0n;
    req.txs.forEach((tx, i) => {
      bytes += tx.length;
      const r = res.txResults[i];
      if (r === undefined) return;
      gas += r.gasUsed;
      this.txResults.inc({ code: String(r.code), codespace: r.codespace, msg_type: this.msgType(tx) });
      if (r.code === 0) this.#onEvents(r.events);
    });
    this.#onEvents(res.events);
    this.blockTxs.observe(req.txs.length);
    this.blockTxBytes.observe(bytes);
    this.blockGas.inc(Number(gas));
    if (req.time !== undefined) {
      const seconds = Number(req.time.seconds) + req.time.nanos / 1e9;
      if (this.#lastBlockSeconds !== undefined && seconds >= this.#lastBlockSeconds) this.blockInterval.observe(seconds - this.#lastBlockSeconds);
      this.#lastBlockSeconds = seconds;
      this.blockTimestamp.set(seconds);
    }
    // Every validator of the last commit has a series (at 0 while it signs), so its first miss shows in increase().
    for (const v of req.decidedLastCommit?.votes ?? []) {
      if (v.validator === undefined) continue;
      this.missed.inc({ validator: Buffer.from(v.validator.address).toString('hex').toUpperCase() }, v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT ? 1 : 0);
    }
  }

  #onEvents(events: readonly Event[]): void {
    for (const e of events) {
      const attr = (key: string): string | undefined => e.attributes.find((a) => a.key === key)?.value;
      switch (e.type) {
        case 'operator_fault':
          this.faults.inc({ kind: word(attr('kind')) });
          break;
        case 'slash_operator':
          this.operatorSlashes.inc({ reason: word(attr('reason')) });
          break;
        case 'slash':
          this.validatorSlashes.inc({ reason: word(attr('reason')) });
          break;
        case 'batch_challenged':
          this.challenges.inc({ kind: word(attr('kind')) });
          break;
        case 'receipt_requested':
          this.challenges.inc({ kind: 'request' });
          break;
        case 'capacity_challenge':
          this.challenges.inc({ kind: 'capacity' });
          break;
      }
    }
  }
}

/** The app as the ABCI server sees it, with every call timed and its results counted. */
export function instrumentApp(app: AbciApplication, m: AbciMetrics): AbciApplication {
  const timed =
    <Req, Res>(method: string, call: (req: Req) => Promise<Res>, after?: (req: Req, res: Res) => void) =>
    async (req: Req): Promise<Res> => {
      const end = m.duration.startTimer({ method });
      let res: Res;
      try {
        res = await call(req);
      } catch (err) {
        m.errors.inc({ method });
        throw err;
      } finally {
        end();
      }
      try {
        after?.(req, res);
      } catch {
        // Counting is never a reason to fail a request CometBFT waits for.
      }
      return res;
    };
  return {
    info: timed('info', (r) => app.info(r)),
    query: timed('query', (r) => app.query(r)),
    checkTx: timed('check_tx', (r) => app.checkTx(r), (req, res) => m.onCheckTx(req, res)),
    initChain: timed('init_chain', (r) => app.initChain(r)),
    prepareProposal: timed('prepare_proposal', (r) => app.prepareProposal(r)),
    processProposal: timed('process_proposal', (r) => app.processProposal(r), (_req, res) => m.proposals.inc({ status: res.status === ResponseProcessProposal_ProposalStatus.ACCEPT ? 'accept' : 'reject' })),
    finalizeBlock: timed('finalize_block', (r) => app.finalizeBlock(r), (req, res) => m.onFinalizeBlock(req, res)),
    extendVote: timed('extend_vote', (r) => app.extendVote(r)),
    verifyVoteExtension: timed('verify_vote_extension', (r) => app.verifyVoteExtension(r)),
    commit: timed('commit', (r) => app.commit(r)),
    listSnapshots: timed('list_snapshots', (r) => app.listSnapshots(r)),
    offerSnapshot: timed('offer_snapshot', (r) => app.offerSnapshot(r)),
    loadSnapshotChunk: timed('load_snapshot_chunk', (r) => app.loadSnapshotChunk(r)),
    applySnapshotChunk: timed('apply_snapshot_chunk', (r) => app.applySnapshotChunk(r)),
  };
}
