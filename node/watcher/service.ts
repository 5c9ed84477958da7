// The watcher inside a running node: reads pending batches through the app's query router, data from
// the p2p batch store and peers, and pays for its challenges with its own secp256k1 key, broadcast
// to a CometBFT RPC (the node's own by default). A key whose account holds nothing is reported in
// the log, with its address, until it is funded: its challenges cannot land before that. With
// `availability`, the same key also signs the validator's availability reports (node/availability).
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { QueryClientImpl as BankQueryClient } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { protobufRpc } from '../../sdk/queries.ts';
import { queryReceipts } from '../../sdk/receipts/queries.ts';
import type { CairnApp } from '../app.ts';
import { cairnRegistry } from '../../sdk/cosmjs-registry.ts';
import type { Logger } from '../log.ts';
import { appChainView, type P2pService } from '../p2p/service.ts';
import { AvailabilityReporter, httpProbe } from '../availability/reporter.ts';
import { queryReporterChain } from '../availability/chain.ts';
import { watcherAddress } from './key.ts';
import { type QueryFn, WatcherQueryError, feedAttestations, mustQuery, p2pBatchSource, queryWatcherChain } from './sources.ts';
import { type Coin, Watcher, type Submitter } from './watcher.ts';

export { WatcherKeyError, readWatcherKey } from './key.ts';

export function appQuery(app: CairnApp): QueryFn {
  return async (path, data) => {
    const r = await app.query({ path, data, height: 0n, prove: false } as Parameters<CairnApp['query']>[0]);
    return { code: r.code, value: r.value, log: r.log };
  };
}

/** For a query the app refused (not yet answerable): `value` instead; anything else is thrown on. */
function refusedAs<T>(value: T): (e: unknown) => T {
  return (e) => {
    if (e instanceof WatcherQueryError) return value;
    throw e;
  };
}

export interface StartWatcherOptions {
  readonly app: CairnApp;
  readonly p2p: P2pService;
  readonly rpcUrl: string;
  readonly key: Uint8Array;
  /** e.g. "0.025ucairn": what the watcher's txs pay per gas. */
  readonly gasPrice: string;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** How often the key's balance is read again (ms, default 30 s). */
  readonly fundsCheckMs?: number;
  /** Report operators' uptime for this validator, signed by this key (its named reporter). */
  readonly availability?: { readonly validator: string; readonly probeIntervalMs: number };
}

export interface WatcherService {
  readonly watcher: Watcher;
  readonly address: string;
  /** Signs and broadcasts with the watcher key, one transaction at a time. */
  readonly submitter: Submitter;
  readonly availability: AvailabilityReporter | undefined;
  /** The key's balance in the bond denom at the last check; undefined before the chain has state. */
  balance(): bigint | undefined;
  stop(): Promise<void>;
}

export async function startWatcher(opts: StartWatcherOptions): Promise<WatcherService> {
  const wallet = await DirectSecp256k1Wallet.fromKey(opts.key, 'cairn');
  const address = await watcherAddress(opts.key);
  // Connected at the first challenge: CometBFT's status before the first block is not one CosmJS
  // accepts, and most nodes never need to submit anything.
  let client: Promise<SigningStargateClient> | undefined;
  const connect = (): Promise<SigningStargateClient> =>
    (client ??= SigningStargateClient.connectWithSigner(opts.rpcUrl, wallet, { registry: cairnRegistry(), gasPrice: GasPrice.fromString(opts.gasPrice || '0ucairn'), broadcastPollIntervalMs: 500 }).catch((e: unknown) => {
      client = undefined;
      throw e;
    }));
  const query = appQuery(opts.app);
  // Read when needed, not at start: with --abci-only the app may start before InitChain.
  const receipts = queryReceipts(mustQuery(query));
  const bond = async (): Promise<Coin> => {
    const params = (await receipts.params().catch(refusedAs({ params: undefined }))).params;
    return { denom: params?.challengeBond?.denom ?? 'ucairn', amount: params?.challengeBond?.amount ?? '0' };
  };
  const send = async (msgs: Parameters<Submitter['submit']>[0]): Promise<void> => {
    const r = await (await connect()).signAndBroadcast(address, msgs, 'auto', 'cairn watcher');
    if (r.code !== 0) throw new Error(`tx ${r.transactionHash} failed: code ${r.code}: ${r.rawLog ?? ''}`);
  };
  // One transaction at a time: the watcher and the availability reporter share the key's sequence.
  let queue: Promise<unknown> = Promise.resolve();
  const submitter: Submitter = {
    address,
    submit: (msgs) => {
      const run = queue.then(() => send(msgs));
      queue = run.catch(() => undefined);
      return run;
    },
  };
  const watcher = new Watcher({
    chain: queryWatcherChain(query, appChainView(opts.app)),
    source: p2pBatchSource(opts.p2p.store, opts.p2p.host),
    submitter,
    logger: opts.logger,
    requestBond: bond,
    // Kept a retention period (7 days) after settlement, so late nodes can still fetch and check.
    onSettled: (root) => opts.p2p.store.markFinalized(root),
    ...(opts.intervalMs === undefined ? {} : { intervalMs: opts.intervalMs }),
  });
  feedAttestations(opts.p2p.host, watcher);
  const funds = new FundsCheck(address, opts, bond, query);
  const availability =
    opts.availability === undefined
      ? undefined
      : new AvailabilityReporter({
          chain: queryReporterChain(query, () => opts.app.store.lastHeight),
          probe: httpProbe(),
          submitter,
          validator: opts.availability.validator,
          logger: opts.logger,
          probeIntervalMs: opts.availability.probeIntervalMs,
        });
  watcher.start();
  funds.start();
  availability?.start();
  opts.logger.info('watcher started', { address, rpc: opts.rpcUrl });
  if (opts.availability !== undefined) {
    opts.logger.info('availability reports on', { validator: opts.availability.validator, reporter: address, hint: `the validator must name this reporter once: cairn tx emission set-reporter <validator-key> ${address}` });
  }
  return {
    watcher,
    address,
    submitter,
    availability,
    balance: () => funds.last,
    stop: async () => {
      funds.stop();
      await availability?.stop();
      await watcher.stop();
      if (client !== undefined) (await client.catch(() => undefined))?.disconnect();
    },
  };
}

/** Reads the key's balance once the chain has state, then every `fundsCheckMs`; logs when it is empty. */
class FundsCheck {
  last: bigint | undefined;
  readonly #address: string;
  readonly #o: StartWatcherOptions;
  readonly #bond: () => Promise<Coin>;
  readonly #bank: BankQueryClient;
  #timer: NodeJS.Timeout | undefined;
  #checkedAt = 0;
  #busy = false;

  constructor(address: string, o: StartWatcherOptions, bond: () => Promise<Coin>, query: QueryFn) {
    this.#address = address;
    this.#o = o;
    this.#bond = bond;
    this.#bank = new BankQueryClient(protobufRpc(mustQuery(query)));
  }

  start(): void {
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#busy || this.#o.app.store.lastHeight === 0n) return;
    if (this.last !== undefined && Date.now() - this.#checkedAt < (this.#o.fundsCheckMs ?? 30_000)) return;
    this.#busy = true;
    try {
      const { denom } = await this.#bond();
      const r = await this.#bank.Balance({ address: this.#address, denom }).catch(refusedAs(undefined));
      if (r === undefined) return;
      const now = BigInt(r.balance?.amount ?? '0');
      const before = this.last;
      this.last = now;
      this.#checkedAt = Date.now();
      if (now === 0n && (before === undefined || before > 0n)) {
        this.#o.logger.warn(`watcher: its key holds no ${denom}; its challenges will fail until ${this.#address} is funded`, { address: this.#address, fund: `cairn tx bank send <key> ${this.#address} 10000000${denom}` });
      } else if (now > 0n && before === 0n) {
        this.#o.logger.info('watcher: key funded; challenges can be paid', { address: this.#address, balance: `${now}${denom}` });
      }
    } catch (e) {
      this.#o.logger.warn('watcher: balance check failed', { error: (e as Error).message });
    } finally {
      this.#busy = false;
    }
  }
}
