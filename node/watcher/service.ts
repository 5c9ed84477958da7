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
import { type QueryFn, QueryRefusedError, mustQuery } from '../app-query.ts';
import { feedAttestations, p2pBatchSource, queryWatcherChain } from './sources.ts';
import { type Coin, Watcher, type Submitter } from './watcher.ts';
import { FundsCheck } from './funds.ts';
import { ClaimStore } from './claims.ts';
import { VerifyPool } from './verify-pool.ts';
import { verifierBinary } from './verifier-process.ts';
import { join } from 'node:path';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';

export { WatcherKeyError, readWatcherKey } from './key.ts';

export function appQuery(app: CairnApp): QueryFn {
  return async (path, data) => {
    const r = await app.query({ path, data, height: 0n, prove: false } as Parameters<CairnApp['query']>[0]);
    return { code: r.code, value: r.value, log: r.log, codespace: r.codespace };
  };
}

/** For a query the app refused (not yet answerable): `value` instead; anything else is thrown on. */
function refusedAs<T>(value: T): (e: unknown) => T {
  return (e) => {
    if (e instanceof QueryRefusedError) return value;
    throw e;
  };
}

/** The watcher's own LevelDB (claimed receipt ids), outside consensus state. */
export function watcherStorePath(home: string): string {
  return join(home, 'data', 'watcher');
}

export interface WatcherServiceOptions {
  /** The node's home: the watcher keeps its claims in watcherStorePath(home). */
  readonly home: string;
  readonly app: CairnApp;
  readonly p2p: P2pService;
  readonly rpcUrl: string;
  readonly key: Uint8Array;
  /** The chain's account prefix (its genesis auth.bech32_prefix), which the key's address is written with. */
  readonly prefix: string;
  /** e.g. "0.025ucairn": what the watcher's txs pay per gas. */
  readonly gasPrice: string;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** How often the key's balance is read again (ms, default 30 s). */
  readonly fundsCheckMs?: number;
  /** Report operators' uptime for this validator, signed by this key (its named reporter). */
  readonly availability?: { readonly validator: string; readonly probeIntervalMs: number };
}

interface Parts {
  readonly watcher: Watcher;
  readonly address: string;
  readonly submitter: Submitter;
  readonly funds: FundsCheck;
  readonly availability: AvailabilityReporter | undefined;
  readonly claims: ClaimStore;
  readonly verifier: VerifyPool;
}

/**
 * The watcher of a running node with what it shares a key with: the funds check and, with
 * `availability`, the availability reporter. A Service (node/service.ts): start() builds and starts
 * them; stop() stops them (each waits for its work in flight), then drops the RPC connection.
 */
export class WatcherService implements Service {
  readonly #o: WatcherServiceOptions;
  readonly #life = new Lifecycle('watcher');
  #parts: Parts | undefined;
  // Connected at the first challenge: CometBFT's status before the first block is not one CosmJS
  // accepts, and most nodes never need to submit anything.
  #client: Promise<SigningStargateClient> | undefined;

  constructor(opts: WatcherServiceOptions) {
    this.#o = opts;
  }

  get #running(): Parts {
    if (this.#parts === undefined) throw new Error('the watcher service is not started');
    return this.#parts;
  }

  /** Known once started. */
  get watcher(): Watcher {
    return this.#running.watcher;
  }

  /** The watcher key's account; known once started. */
  get address(): string {
    return this.#running.address;
  }

  /** Signs and broadcasts with the watcher key, one transaction at a time. */
  get submitter(): Submitter {
    return this.#running.submitter;
  }

  get availability(): AvailabilityReporter | undefined {
    return this.#running.availability;
  }

  /** The key's balance in the bond denom at the last check; undefined before the chain has state. */
  balance(): bigint | undefined {
    return this.#parts?.funds.last;
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, () => this.#up(), () => this.stop());
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      const parts = this.#parts;
      if (parts !== undefined) {
        await Promise.all([parts.funds.stop(), parts.availability?.stop(), parts.watcher.stop()]);
        await parts.claims.close();
        await parts.verifier.close();
      }
      if (this.#client !== undefined) (await this.#client.catch(() => undefined))?.disconnect();
    });
  }

  async #up(): Promise<void> {
    const opts = this.#o;
    const wallet = await DirectSecp256k1Wallet.fromKey(opts.key, opts.prefix);
    const address = await watcherAddress(opts.key, opts.prefix);
    const connect = (): Promise<SigningStargateClient> =>
      (this.#client ??= SigningStargateClient.connectWithSigner(opts.rpcUrl, wallet, { registry: cairnRegistry(), gasPrice: GasPrice.fromString(opts.gasPrice || '0ucairn'), broadcastPollIntervalMs: 500 }).catch((e: unknown) => {
        this.#client = undefined;
        throw e;
      }));
    const query = appQuery(opts.app);
    // Read when needed, not at start: with --abci-only the app may start before InitChain.
    const receipts = queryReceipts(mustQuery(query));
    const bond = async (): Promise<Coin> => {
      const params = (await receipts.params().catch(refusedAs({ params: undefined }))).params;
      return { denom: params?.challengeBond?.denom ?? 'ucairn', amount: params?.challengeBond?.amount ?? '0' };
    };
    const send = async (msgs: Parameters<Submitter['submit']>[0]): Promise<string> => {
      const r = await (await connect()).signAndBroadcast(address, msgs, 'auto', 'cairn watcher');
      if (r.code !== 0) throw new Error(`tx ${r.transactionHash} failed: code ${r.code}: ${r.rawLog ?? ''}`);
      return r.transactionHash;
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
    const claims = new ClaimStore(watcherStorePath(opts.home));
    await claims.open();
    // Signatures are verified in the verifier process and on worker threads, so the node's block
    // processing never waits on them.
    const verifier = new VerifyPool({ process: verifierBinary() });
    const watcher = new Watcher({
      claims,
      verifier,
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
    const bank = new BankQueryClient(protobufRpc(mustQuery(query)));
    const funds = new FundsCheck({
      address,
      height: () => opts.app.store.lastHeight,
      denom: async () => (await bond()).denom,
      balance: async (denom) => {
        const r = await bank.Balance({ address, denom }).catch(refusedAs(undefined));
        return r === undefined ? undefined : BigInt(r.balance?.amount ?? '0');
      },
      logger: opts.logger,
      ...(opts.fundsCheckMs === undefined ? {} : { everyMs: opts.fundsCheckMs }),
    });
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
    this.#parts = { watcher, address, submitter, funds, availability, claims, verifier };
    const signal = this.#life.signal;
    await watcher.start({ signal });
    await funds.start({ signal });
    await availability?.start({ signal });
    opts.logger.info('watcher started', { address, rpc: opts.rpcUrl });
    if (opts.availability !== undefined) {
      opts.logger.info('availability reports on', { validator: opts.availability.validator, reporter: address, hint: `the validator must name this reporter once: cairn tx emission set-reporter <validator-key> ${address}` });
    }
  }
}
