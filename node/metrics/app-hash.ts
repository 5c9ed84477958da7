// Is this node's state the network's? Every few seconds, the latest block header of another node's
// CometBFT RPC (the watcher's `[watcher] rpc`, when it names one) is compared with the app hash this
// node computed for the same height: header H carries the app hash after block H-1. A mismatch means
// this node executed a block differently: CometBFT halts it at the next block, and the alert says why.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import { PeriodicTask } from '../periodic.ts';
import type { Service, StartOptions } from '../service.ts';

export interface AppHashCheckOptions {
  /** A CometBFT RPC of another node, e.g. http://rpc.example:26657. */
  readonly rpcUrl: string;
  /** The app hash this node computed after `height`, if it still remembers it. */
  readonly appHashAt: (height: bigint) => Uint8Array | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

export class AppHashCheck implements Service {
  readonly #o: AppHashCheckOptions;
  readonly #task: PeriodicTask;
  readonly #checks: Counter<'result'>;
  readonly #mismatch: Gauge;

  constructor(opts: AppHashCheckOptions) {
    this.#o = opts;
    const registers = [opts.registry];
    this.#checks = new Counter({ name: 'cairn_app_hash_checks_total', help: "Comparisons of this node's app hash with another node's block header ([watcher] rpc), by result (match, mismatch).", labelNames: ['result'], registers });
    this.#mismatch = new Gauge({ name: 'cairn_app_hash_mismatch', help: "1 when the last comparison found this node's app hash different from the other node's: its state diverged.", registers });
    for (const result of ['match', 'mismatch']) this.#checks.inc({ result }, 0);
    this.#mismatch.set(0);
    this.#task = new PeriodicTask({ name: 'app hash check', job: (signal) => this.checkOnce(signal), intervalMs: opts.intervalMs ?? 10_000, onError: () => {} });
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#task.start(opts);
  }

  stop(): Promise<void> {
    return this.#task.stop();
  }

  /** One comparison; false when there was nothing to compare (the RPC unreachable, or a height this node has not run). */
  async checkOnce(signal?: AbortSignal): Promise<boolean> {
    const res = await fetch(`${this.#o.rpcUrl.replace(/\/$/, '')}/block`, { signal: signal === undefined ? AbortSignal.timeout(5_000) : AbortSignal.any([signal, AbortSignal.timeout(5_000)]) }).catch(() => undefined);
    if (res?.ok !== true) return false;
    const header = ((await res.json().catch(() => undefined)) as { result?: { block?: { header?: { height?: string; app_hash?: string } } } } | undefined)?.result?.block?.header;
    if (header?.height === undefined || header.app_hash === undefined || !/^\d+$/.test(header.height)) return false;
    const height = BigInt(header.height) - 1n;
    const ours = this.#o.appHashAt(height);
    if (ours === undefined) return false;
    const mine = Buffer.from(ours).toString('hex').toUpperCase();
    const theirs = header.app_hash.toUpperCase();
    if (mine === theirs) {
      this.#checks.inc({ result: 'match' });
      this.#mismatch.set(0);
    } else {
      this.#checks.inc({ result: 'mismatch' });
      this.#mismatch.set(1);
      this.#o.logger.error('app hash mismatch: this node’s state differs from the other node’s', { height: String(height), ours: mine, theirs, rpc: this.#o.rpcUrl });
    }
    return true;
  }
}
