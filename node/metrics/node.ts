// Everything a running node exposes on /metrics, in one prom-client Registry: the process (prom-client's
// default collectors), the ABCI app (abci.ts, counted as CometBFT calls it), the chain's economics
// (economics.ts, read from committed state when a scrape finds a new height), and the live counters of the libp2p
// host, the watcher and the availability reporter (read at each scrape). A part that is off exposes
// nothing (not zeros). Not consensus code.
import { Counter, Gauge, type Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AbciApplication } from '../abci/types.ts';
import type { CairnApp } from '../app.ts';
import type { Logger } from '../log.ts';
import type { P2pService } from '../p2p/service.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';
import type { WatcherService } from '../watcher/service.ts';
import { AbciMetrics, instrumentApp } from './abci.ts';
import { EconomicsGauges, dirBytes, readEconomics } from './economics.ts';

export interface NodeParts {
  readonly p2p?: P2pService | undefined;
  readonly watcher?: WatcherService | undefined;
}

export interface NodeMetricsOptions {
  readonly app: CairnApp;
  /** The application database directory, whose size is reported. */
  readonly dataDir: string;
  /** This node's validator consensus address (hex), when it has one: cairn_node_validator_info. */
  readonly validatorAddress?: string | undefined;
  readonly logger: Logger;
}

let processRegistry: Registry | undefined;

/** prom-client's default collectors, once per process (their event-loop and GC observers are process-wide). */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
    // GC pauses are counted by kind once one happens; the series exist from the start.
    const gc = processRegistry.getSingleMetric('nodejs_gc_duration_seconds') as Histogram<'kind'> | undefined;
    for (const kind of ['minor', 'major', 'incremental', 'weakcb']) gc?.zero({ kind });
  }
  return processRegistry;
}

/**
 * A Service (node/service.ts): stop() waits for an economics read in flight, so the store may be
 * closed after it. Start it before the ABCI server, so it stops after it.
 */
export class NodeMetrics implements Service {
  readonly registry = new Registry();
  readonly abci: AbciMetrics;
  readonly #o: NodeMetricsOptions;
  readonly #life = new Lifecycle('metrics');
  readonly #economics: EconomicsGauges;
  /** The economics read in flight, which scrapes arriving meanwhile share. */
  #reading: Promise<void> | undefined;
  /** The committed height the last economics read began at. */
  #readAt: bigint | undefined;
  #failedOnce = false;

  constructor(opts: NodeMetricsOptions) {
    this.#o = opts;
    const registers = [this.registry];
    const known = new Set(opts.app.modules.flatMap((m) => m.msgs.map((h) => h.typeUrl)));
    this.abci = new AbciMetrics(this.registry, known);
    this.#economics = new EconomicsGauges(this.registry);
    const { app } = opts;
    new Gauge({ name: 'cairn_app_height', help: 'Last committed block height.', registers, collect() { this.set(Number(app.store.lastHeight)); } });
    if (opts.validatorAddress !== undefined) new Gauge({ name: 'cairn_node_validator_info', help: "This node's validator consensus address (hex), to join with cairn_consensus_missed_signatures_total.", labelNames: ['validator'], registers }).set({ validator: opts.validatorAddress }, 1);
  }

  /** Adds the series of the parts that started after the metrics (p2p, watcher); call once. */
  addParts(parts: NodeParts): void {
    registerParts(this.registry, parts);
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, async () => {}, () => this.stop());
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      await this.#reading;
    });
  }

  /** The app CometBFT should talk to: the same app, timed and counted. */
  instrument(app: AbciApplication): AbciApplication {
    return instrumentApp(app, this.abci);
  }

  /**
   * Reads the economics when a scrape finds a height they were not read at. Read after every Commit
   * instead, they cost the node's thread ~20 ms a block with 10,000 operators (one pass over them
   * each time), whether anyone scraped or not; a scrape comes every 15–60 s.
   */
  async #economicsOfLastHeight(): Promise<void> {
    if (!this.#life.stopping && this.#readAt !== this.#o.app.store.lastHeight) {
      this.#reading ??= this.#readEconomics().finally(() => (this.#reading = undefined));
    }
    await this.#reading;
  }

  async #readEconomics(): Promise<void> {
    const { store } = this.#o.app;
    const height = store.lastHeight;
    this.#readAt = height;
    try {
      const [economics, bytes] = await Promise.all([readEconomics(store.committed), dirBytes(this.#o.dataDir).catch(() => undefined)]);
      this.#economics.set(economics, height, bytes);
    } catch (err) {
      // A store closing under the read, or state from an older build: the gauges keep their last values.
      if (!this.#failedOnce && !this.#life.stopping) this.#o.logger.warn('metrics: reading the economics failed', { height: String(height), error: (err as Error).message });
      this.#failedOnce = true;
    }
  }

  /** The exposition text: the process's series, then the node's (the economics read at the last committed height). */
  async text(): Promise<string> {
    await this.#economicsOfLastHeight();
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}`;
  }

  readonly contentType = this.registry.contentType;
}

/** A counter whose value lives elsewhere (a part's own counters), read at each scrape. */
function liveCounter(reg: Registry, name: string, help: string, read: () => number | bigint | undefined): void {
  new Counter({
    name,
    help,
    registers: [reg],
    collect() {
      const v = read();
      this.reset();
      if (v !== undefined) this.inc(Number(v));
    },
  });
}

function liveCounterBy(reg: Registry, name: string, help: string, label: string, read: () => Record<string, number>): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [reg],
    collect() {
      const values = read();
      this.reset();
      for (const [k, v] of Object.entries(values)) this.inc({ [label]: k }, v);
    },
  });
}

function liveGauge(reg: Registry, name: string, help: string, read: () => number | bigint | undefined): void {
  new Gauge({
    name,
    help,
    registers: [reg],
    collect() {
      const v = read();
      this.reset();
      if (v !== undefined) this.set(Number(v));
    },
  });
}

/** The series of the parts that run (p2p; the watcher, and its availability reporter), read at each scrape. */
function registerParts(reg: Registry, { p2p, watcher }: NodeParts): void {
  if (p2p !== undefined) registerP2p(reg, p2p);
  if (watcher !== undefined) registerWatcher(reg, watcher);
}

function registerP2p(reg: Registry, p2p: P2pService): void {
  const c = p2p.host.counters;
  liveCounterBy(
    reg,
    'cairn_p2p_messages_total',
    'Gossip messages judged by the validator, by result (accepted: delivered and forwarded; rejected: the sender penalised; ignored: dropped; blocked: rejected unread, from a peer that sent 3 invalid messages).',
    'result',
    () => ({ accepted: c.accepted, rejected: c.rejected, ignored: c.ignored, blocked: c.blocked }),
  );
  liveCounter(reg, 'cairn_p2p_published_total', 'Messages this node published.', () => c.published);
  liveCounter(reg, 'cairn_p2p_fetch_served_total', 'Batches served to peers by root.', () => c.served);
  liveCounter(reg, 'cairn_p2p_fetched_total', 'Batches fetched from peers by root.', () => c.fetched);
  liveGauge(reg, 'cairn_p2p_peers', 'Connected libp2p peers.', () => peersOf(p2p));
  liveGauge(reg, 'cairn_p2p_graylisted_peers', 'Connected peers whose gossipsub score is below the graylist threshold (their messages are dropped unread).', () => graylistedOf(p2p));
  liveGauge(reg, 'cairn_p2p_batch_store_batches', 'Batches held in the batch store (data/p2p.db).', () => p2p.store.size);
}

function registerWatcher(reg: Registry, watcher: WatcherService): void {
  const m = watcher.watcher.metrics;
  liveCounter(reg, 'cairn_watcher_batches_checked_total', 'Pending batches whose data was found and judged.', () => m.batchesChecked);
  liveCounter(reg, 'cairn_watcher_receipts_verified_total', 'Receipts verified against the chain’s keys and the batch.', () => m.receiptsVerified);
  liveCounter(reg, 'cairn_watcher_data_missing_total', 'Checks of a pending batch whose data could not be found.', () => m.dataMissing);
  liveCounter(reg, 'cairn_watcher_attestations_checked_total', 'Gossiped attestations checked against the trusted verifiers.', () => m.attestationsChecked);
  liveCounter(reg, 'cairn_watcher_attestations_dropped_total', 'Gossiped attestation envelopes dropped unchecked (queue full).', () => m.attestationsDropped);
  liveCounterBy(reg, 'cairn_watcher_challenges_submitted_total', 'Challenges and requests the watcher submitted and the chain accepted, by kind.', 'kind', () => ({
    receipt: m.challengeReceipt,
    double_claim: m.challengeDoubleClaim,
    sum: m.challengeSum,
    request_receipt: m.requestReceipt,
    forged_attestation: m.reportForgedAttestation,
  }));
  liveCounter(reg, 'cairn_watcher_submit_failures_total', 'Challenges refused by the chain or not broadcast (e.g. an unfunded key).', () => m.submitFailures);
  liveGauge(reg, 'cairn_watcher_balance', 'The watcher key’s balance in the challenge bond’s denom (0: its challenges fail).', () => watcher.balance());

  const a = watcher.availability?.metrics;
  if (a === undefined) return;
  liveCounter(reg, 'cairn_availability_probe_rounds_total', 'Rounds in which every active operator was probed.', () => a.rounds);
  liveCounter(reg, 'cairn_availability_probes_total', 'HTTP probes of operator endpoints.', () => a.probes);
  liveCounter(reg, 'cairn_availability_reports_total', 'Availability report messages the chain accepted.', () => a.reportsSubmitted);
  liveCounter(reg, 'cairn_availability_report_failures_total', 'Availability reports refused or not broadcast.', () => a.submitFailures);
}

function peersOf(p2p: P2pService): number {
  try {
    return p2p.host.libp2p.getPeers().length;
  } catch {
    return 0;
  }
}

function graylistedOf(p2p: P2pService): number {
  try {
    const { host } = p2p;
    return host.libp2p.getPeers().filter((p) => host.scoreOf(p.toString()) < host.graylistThreshold).length;
  } catch {
    return 0;
  }
}
