// The availability reporter: a validator's node measures every active operator's uptime itself and
// reports it each epoch (MsgReportAvailability), signed by the node's hot key that the validator
// named with MsgSetAvailabilityReporter (its own key stays offline). The chain takes the
// stake-weighted median of all validators' reports (modules/emission README, "Availability").
//
// Uptime is what this node saw: every probeIntervalMs each active operator's endpoints are probed
// (HTTP GET); an operator is up in a round when any endpoint answers below 500. An epoch's figure is
// ⌊10000 · rounds up / rounds⌋ over the rounds this node ran in that epoch; it is sent once, when
// the committed height is within marginBlocks of the epoch's end (checked every second, so the
// report lands inside the epoch whatever the probe interval).
//
// Not consensus code. Probing is bounded (timeout per request, endpoints per operator).
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MAX_REPORTS, emissionMsgs } from '../../sdk/emission/messages.ts';
import type { Logger } from '../log.ts';
import { PeriodicTask } from '../periodic.ts';
import type { StartOptions } from '../service.ts';

/** Endpoints probed per operator and round: the registry allows 32; a few are enough to call it up. */
const MAX_ENDPOINTS = 4;

export interface ProbedOperator {
  readonly address: string;
  readonly endpoints: readonly string[];
}

export interface ReporterChain {
  /** The last committed height (0 before the first block). */
  height(): bigint;
  /** The current epoch and the height of its last block. */
  epoch(): Promise<{ readonly epoch: bigint; readonly endHeight: bigint }>;
  activeOperators(): Promise<readonly ProbedOperator[]>;
}

/** true when the endpoint answered; `signal` aborts when the reporter stops. */
export type Probe = (url: string, signal?: AbortSignal) => Promise<boolean>;

export interface ReporterSubmitter {
  readonly address: string;
  /** Resolves with the tx hash, when known, once the chain included the tx. */
  submit(msgs: EncodeObject[]): Promise<string | void>;
}

export interface ReporterOptions {
  readonly chain: ReporterChain;
  readonly probe: Probe;
  readonly submitter: ReporterSubmitter;
  /** The validator account (cairn1…) the reports are for. */
  readonly validator: string;
  readonly logger: Logger;
  readonly probeIntervalMs?: number;
  /** Report once the committed height is at least endHeight − marginBlocks (default 5). */
  readonly marginBlocks?: bigint;
}

export interface ReporterMetrics {
  rounds: number;
  probes: number;
  reportsSubmitted: number;
  submitFailures: number;
}

interface Tally {
  rounds: number;
  up: number;
}

/** An HTTP(S) GET with a timeout; any answer below 500 counts as up (an operator need not serve "/"). */
export function httpProbe(timeoutMs = 5_000): Probe {
  return async (url, signal) => {
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]) });
      await res.body?.cancel();
      return res.status < 500;
    } catch {
      return false;
    }
  };
}

export class AvailabilityReporter {
  readonly metrics: ReporterMetrics = { rounds: 0, probes: 0, reportsSubmitted: 0, submitFailures: 0 };
  readonly #o: ReporterOptions;
  /** The current epoch and its last height (read again only once the chain passes it). */
  #epoch: { readonly epoch: bigint; readonly endHeight: bigint } | undefined;
  /** The current epoch's tallies by operator; reset when the epoch changes. */
  #tallies = new Map<string, Tally>();
  #reportedEpoch: bigint | undefined;
  #probedAt = Number.NEGATIVE_INFINITY;
  readonly #loop: PeriodicTask;

  constructor(opts: ReporterOptions) {
    this.#o = opts;
    this.#loop = new PeriodicTask({
      name: 'availability reporter',
      job: (signal) => this.#round(signal),
      intervalMs: 1_000,
      onError: (e) => opts.logger.error('availability: round failed', { error: e.message }),
      passAtStart: true,
    });
  }

  /** Probes and reports in the background (a Service, node/service.ts). */
  start(opts: StartOptions = {}): Promise<void> {
    return this.#loop.start(opts);
  }

  /** Stops; probes in flight are aborted, and a round in progress is waited for. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** A probe round when one is due, then the report when it is due; errors are logged, never thrown. */
  tick(): Promise<void> {
    return this.#loop.tick();
  }

  async #round(signal: AbortSignal): Promise<void> {
    const height = this.#o.chain.height();
    if (height === 0n) return;
    if (this.#epoch === undefined || height > this.#epoch.endHeight) {
      const next = await this.#o.chain.epoch();
      if (next.epoch !== this.#epoch?.epoch) this.#tallies = new Map();
      this.#epoch = next;
    }
    const { epoch, endHeight } = this.#epoch;
    if (this.#reportedEpoch === epoch) return;
    if (performance.now() - this.#probedAt >= (this.#o.probeIntervalMs ?? 60_000)) {
      this.#probedAt = performance.now();
      await this.probeRound(signal);
    }
    if (signal.aborted) return;
    // Read again: a probe round can take seconds.
    if (this.#o.chain.height() + (this.#o.marginBlocks ?? 5n) >= endHeight) await this.report(epoch);
  }

  /** Probes every active operator once and adds the round to the current epoch's tallies. */
  async probeRound(signal?: AbortSignal): Promise<void> {
    const operators = await this.#o.chain.activeOperators();
    const results = await Promise.all(
      operators.map(async (op) => {
        let up = false;
        for (const url of op.endpoints.slice(0, MAX_ENDPOINTS)) {
          this.metrics.probes++;
          if (await this.#o.probe(url, signal)) {
            up = true;
            break;
          }
        }
        return [op.address, up] as const;
      }),
    );
    // A round cut short by stop() says nothing about the operators.
    if (signal?.aborted === true) return;
    for (const [address, up] of results) {
      const t = this.#tallies.get(address) ?? { rounds: 0, up: 0 };
      t.rounds++;
      if (up) t.up++;
      this.#tallies.set(address, t);
    }
    this.metrics.rounds++;
  }

  /** Sends the epoch's figures (in messages of at most 256 reports); once per epoch. */
  async report(epoch: bigint): Promise<void> {
    this.#reportedEpoch = epoch;
    const reports = [...this.#tallies].map(([operator, t]) => ({ operator, uptimeBps: Math.floor((t.up * 10_000) / t.rounds) }));
    for (let i = 0; i < reports.length; i += MAX_REPORTS) {
      const chunk = reports.slice(i, i + MAX_REPORTS);
      const msg = emissionMsgs.MsgReportAvailability({ validator: this.#o.validator, reporter: this.#o.submitter.address, epoch, reports: chunk });
      try {
        const tx = await this.#o.submitter.submit([msg]);
        this.metrics.reportsSubmitted++;
        this.#o.logger.info('availability: reported', { epoch: epoch.toString(), operators: String(chunk.length), tx: tx ?? undefined });
      } catch (e) {
        this.metrics.submitFailures++;
        this.#o.logger.warn('availability: report failed', { epoch: epoch.toString(), error: (e as Error).message });
      }
    }
  }
}
