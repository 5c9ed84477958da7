// A multi-validator Cairn network on this machine, for development and for the test suite:
//
//   const net = await Localnet.create({ dir, validators: 4 });   // homes, keys, shared genesis
//   await net.up();                                               // apps + CometBFTs in the background
//   await net.status();                                           // heights, app hashes, powers, peers
//   await net.operators();                                        // the playground's operators on chain
//   await net.stopNode('node3'); await net.startNode('node3');
//   await net.down({ reset: true });                              // stop by pid, wipe the directory
//
// `cairn localnet up|status|down` is this API on the command line.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appHeight, rpcCall, status as nodeStatus } from '../node/cometbft/rpc.ts';
import { type AddNodeOptions, type CreateLocalnetOptions, addNode, createLocalnet, removeLocalnet } from './create.ts';
import { LocalnetError, type LocalnetManifest, type LocalnetNode, readManifest, writeManifest } from './manifest.ts';
import { type OperatorReport, playgroundStatus, setAvailabilityReporters, setUpPlayground } from './playground.ts';
import { isOurs, killStartedOnExit, sleep, startApp, startCometbftProcess, stopPid, waitForPort, waitForRpc } from './processes.ts';

export { LocalnetError } from './manifest.ts';
export type { LocalnetKey, LocalnetManifest, LocalnetNode } from './manifest.ts';
export type { CreateLocalnetOptions } from './create.ts';
export type { OperatorReport, Playground, PlaygroundOperator } from './playground.ts';
export { CAIRN, DEFAULT_CHAIN_ID, libp2pAddress } from './create.ts';

export interface NodeReport {
  readonly name: string;
  readonly rpc: string;
  /** The REST API (localnets made since it: `undefined` before). */
  readonly api?: string;
  readonly running: { readonly app: boolean; readonly cometbft: boolean };
  /** Undefined when the node's RPC does not answer. */
  readonly height?: number;
  readonly appHash?: string;
  readonly catchingUp?: boolean;
  readonly votingPower?: bigint;
  readonly peers?: number;
  readonly validatorAddress: string;
}

export interface UpOptions {
  /** How long to wait for every node to be up and producing blocks (default 60 s). */
  readonly timeoutMs?: number;
  /** Kill the processes this process started if it exits without `down` (for tests). */
  readonly killOnExit?: boolean;
  /** Upgrade handlers the apps started now register (`cairn start --upgrade-handler`), e.g. after an upgrade halt. */
  readonly upgradeHandlers?: readonly string[];
}

export class Localnet {
  readonly manifest: LocalnetManifest;

  private constructor(manifest: LocalnetManifest) {
    this.manifest = manifest;
  }

  /** Creates the homes and the shared genesis in `opts.dir` (nothing is started). */
  static async create(opts: CreateLocalnetOptions): Promise<Localnet> {
    return new Localnet(await createLocalnet(opts));
  }

  /** The localnet already created in `dir`. */
  static async open(dir: string): Promise<Localnet> {
    return new Localnet(await readManifest(dir));
  }

  get dir(): string {
    return this.manifest.dir;
  }

  get chainId(): string {
    return this.manifest.chainId;
  }

  get nodes(): readonly LocalnetNode[] {
    return this.manifest.nodes;
  }

  node(name: string): LocalnetNode {
    const n = this.manifest.nodes.find((x) => x.name === name);
    if (n === undefined) throw new LocalnetError(`no node ${name} in the localnet at ${this.dir}`);
    return n;
  }

  rpcUrl(name: string): string {
    return `http://127.0.0.1:${this.node(name).ports.rpc}`;
  }

  /** The node's Prometheus endpoint (localnets made since metrics). */
  metricsUrl(name: string): string {
    const port = this.node(name).ports.metrics;
    if (port === undefined) throw new LocalnetError(`${name} has no metrics port (a localnet made before metrics)`);
    return `http://127.0.0.1:${port}/metrics`;
  }

  isRunning(name: string): { app: boolean; cometbft: boolean } {
    const n = this.node(name);
    return { app: isOurs(n.pids?.app, n.home), cometbft: isOurs(n.pids?.cometbft, n.home) };
  }

  /** Starts every node that is not running and waits until all of them have produced a block. */
  async up(opts: UpOptions = {}): Promise<void> {
    if (opts.killOnExit === true) killStartedOnExit();
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const names = this.nodes.map((n) => n.name);
    try {
      // Apps first, in parallel: CometBFT retries a missing app only every 3 s.
      await Promise.all(names.map((name) => this.#startApp(name, timeoutMs, opts.upgradeHandlers)));
      await Promise.all(names.map((name) => this.#startCometbft(name, timeoutMs)));
    } finally {
      // Every process started is recorded, even when another failed to come up, so `down` stops it.
      await writeManifest(this.manifest);
    }
    await this.waitForHeight(1, timeoutMs);
    await this.#setUpPlayground();
  }

  /** The playground's operators as the chain sees them, and the payer's escrow (none without --operators). */
  async operators(): Promise<{ operators: OperatorReport[]; escrow: { available: string; locked: string } | undefined }> {
    const p = this.manifest.playground;
    if (p === undefined) return { operators: [], escrow: undefined };
    const running = this.nodes.find((n) => this.isRunning(n.name).cometbft);
    if (running === undefined) return { operators: p.operators.map((o) => ({ key: o.key, address: o.address, status: 'unknown (no node running)', bond: '-', gpus: 0, endpoint: o.endpoint })), escrow: undefined };
    return playgroundStatus(p, this.rpcUrl(running.name));
  }

  /**
   * The first `up` registers the playground (localnet/playground.ts) and names each validator's
   * watcher key its availability reporter; later ones find it done.
   */
  async #setUpPlayground(): Promise<void> {
    const p = this.manifest.playground;
    if (p === undefined || p.setUpAtHeight !== undefined) return;
    const rpc = this.rpcUrl(this.nodes[0]!.name);
    const validators = this.nodes.flatMap((n) => (n.operator === undefined || n.watcher === undefined ? [] : [{ home: n.home, address: n.operator.address, reporter: n.watcher }]));
    try {
      await Promise.all([setUpPlayground(p, { rpc, chainId: this.chainId }), setAvailabilityReporters(validators, { rpc })]);
    } catch (err) {
      throw new LocalnetError(`the localnet runs, but setting up its operators failed: ${(err as Error).message}; start over with \`cairn localnet down --reset\``, { cause: err });
    }
    await writeManifest(this.manifest);
  }

  /** Starts one node (app, then CometBFT) and waits for its RPC. */
  async startNode(name: string, opts: UpOptions = {}): Promise<void> {
    if (opts.killOnExit === true) killStartedOnExit();
    const timeoutMs = opts.timeoutMs ?? 60_000;
    try {
      await this.#startApp(name, timeoutMs, opts.upgradeHandlers);
      await this.#startCometbft(name, timeoutMs);
    } finally {
      await writeManifest(this.manifest);
    }
  }

  /** Stops one node: CometBFT first (so it never talks to a stopped app), then the app. */
  async stopNode(name: string): Promise<void> {
    const n = this.node(name);
    await stopPid(n.pids?.cometbft, n.home);
    await stopPid(n.pids?.app, n.home);
    n.pids = {};
    await writeManifest(this.manifest);
  }

  /** Adds a full node (or, with `cloneKeyOf`, a second signer of an existing validator's key). */
  async addNode(opts: AddNodeOptions = {}): Promise<LocalnetNode> {
    return addNode(this.manifest, opts);
  }

  /** Stops every node by its recorded pid; with `reset`, removes the whole directory. */
  async down(opts: { reset?: boolean } = {}): Promise<void> {
    await Promise.all(this.nodes.map((n) => stopPid(n.pids?.cometbft, n.home)));
    await Promise.all(this.nodes.map((n) => stopPid(n.pids?.app, n.home)));
    for (const n of this.nodes) n.pids = {};
    if (opts.reset === true) await removeLocalnet(this.dir);
    else await writeManifest(this.manifest);
  }

  async status(): Promise<NodeReport[]> {
    return Promise.all(
      this.nodes.map(async (n): Promise<NodeReport> => {
        const rpc = `http://127.0.0.1:${n.ports.rpc}`;
        const base = { name: n.name, rpc, ...(n.ports.api === undefined ? {} : { api: `http://127.0.0.1:${n.ports.api}` }), running: this.isRunning(n.name), validatorAddress: n.consensus.address };
        try {
          const s = await nodeStatus(rpc, { timeoutMs: 2_000 });
          const net = (await rpcCall(rpc, 'net_info', {}, { timeoutMs: 2_000 })) as { n_peers: string };
          return { ...base, height: s.latestBlockHeight, appHash: s.latestAppHash, catchingUp: s.catchingUp, votingPower: s.votingPower, peers: Number(net.n_peers) };
        } catch {
          return base;
        }
      }),
    );
  }

  /** Waits until the app of every running node (or of the named ones) has committed at least `height`. */
  async waitForHeight(height: number, timeoutMs: number, names?: readonly string[]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const wanted = names ?? this.nodes.filter((n) => this.isRunning(n.name).cometbft).map((n) => n.name);
    for (const name of wanted) {
      for (;;) {
        const h = await appHeight(this.rpcUrl(name), { timeoutMs: 2_000 }).catch(() => 0);
        if (h >= height) break;
        if (!this.isRunning(name).cometbft) throw new LocalnetError(`${name} stopped; see ${this.node(name).home}/cometbft.log and app.log`);
        if (Date.now() > deadline) throw new LocalnetError(`${name} did not reach height ${height} within ${timeoutMs} ms (at ${h})`);
        await sleep(100);
      }
    }
  }

  async #startApp(name: string, timeoutMs: number, upgradeHandlers: readonly string[] = []): Promise<void> {
    const n = this.node(name);
    if (!isOurs(n.pids?.app, n.home)) n.pids = { ...n.pids, app: startApp(n, upgradeHandlers) };
    const pid = n.pids?.app;
    try {
      await waitForPort(n.ports.abci, timeoutMs, `the app of ${name} (see ${n.home}/app.log)`, () => isOurs(pid, n.home));
    } catch (err) {
      // The log may be gone by the time anyone reads the error (a test's folder is removed): its end goes with it.
      const tail = await readFile(join(n.home, 'app.log'), 'utf8').then((t) => t.trimEnd().split('\n').slice(-15).join('\n'), () => '(no app.log)');
      throw new LocalnetError(`${(err as Error).message}; the end of its log:\n${tail}`, { cause: err });
    }
  }

  async #startCometbft(name: string, timeoutMs: number): Promise<void> {
    const n = this.node(name);
    if (!isOurs(n.pids?.cometbft, n.home)) n.pids = { ...n.pids, cometbft: await startCometbftProcess(n) };
    const pid = n.pids?.cometbft;
    await waitForRpc(n, timeoutMs, () => isOurs(pid, n.home));
  }
}
