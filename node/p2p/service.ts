// The p2p part of a running node: the batch store in <home>/data/p2p.db and the libp2p host, with
// the chain view read from the app's committed state (the registry's receipt keys).
import { join } from 'node:path';
import type { CairnApp } from '../app.ts';
import type { Logger } from '../log.ts';
import { RegistryKeeper } from '../../modules/registry/keeper.ts';
import { BatchStore } from './batch-store.ts';
import { P2pHost, P2pHostNotStartedError } from './host.ts';
import { loadOrCreateP2pKey, p2pKeyPath } from './identity.ts';
import type { ChainView, ReceiptKeyWindow } from './validate.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';

export function p2pStorePath(home: string): string {
  return join(home, 'data', 'p2p.db');
}

/** Reads what the validator needs from the last committed state, never from a block in progress. */
export function appChainView(app: CairnApp, chainId?: string): ChainView {
  // receiptKeysOf only reads the registry's collections; the bank is never touched by it.
  const registry = new RegistryKeeper(app.bank);
  return {
    // A new chain learns its id at InitChain, which may come after the host starts: the genesis
    // file's id (given by the node) is used until then.
    get chainId(): string {
      return app.chainId || (chainId ?? '');
    },
    height: () => app.store.lastHeight,
    receiptKeysOf: async (operator: string): Promise<readonly ReceiptKeyWindow[]> => {
      let address: Uint8Array;
      try {
        address = app.addresses.decode(operator);
      } catch {
        return [];
      }
      return registry.receiptKeysOf(app.store.committed, address);
    },
  };
}

export interface P2pServiceOptions {
  readonly home: string;
  readonly app: CairnApp;
  readonly logger: Logger;
  readonly listen: readonly string[];
  readonly bootstrap: readonly string[];
  /** The genesis file's chain id (the app knows it only after InitChain). */
  readonly chainId: string;
}

/**
 * The libp2p host and its batch store. A Service (node/service.ts): start() opens the store, then
 * the host; stop() closes them in reverse, after a start in flight has finished.
 */
export class P2pService implements Service {
  readonly #o: P2pServiceOptions;
  readonly #life = new Lifecycle('p2p service');
  #host: P2pHost | undefined;
  #store: BatchStore | undefined;

  constructor(opts: P2pServiceOptions) {
    this.#o = opts;
  }

  /** The libp2p host; there once started. */
  get host(): P2pHost {
    if (this.#host === undefined) throw new P2pHostNotStartedError('the p2p service is not started');
    return this.#host;
  }

  /** The batch store (data/p2p.db); there once started. */
  get store(): BatchStore {
    if (this.#store === undefined) throw new P2pHostNotStartedError('the p2p service is not started');
    return this.#store;
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(
      opts,
      async () => {
        const o = this.#o;
        const privateKey = await loadOrCreateP2pKey(p2pKeyPath(o.home));
        this.#store = new BatchStore(p2pStorePath(o.home));
        await this.#store.start();
        this.#host = new P2pHost({ chain: appChainView(o.app, o.chainId), logger: o.logger, listen: o.listen, bootstrap: o.bootstrap, store: this.#store, privateKey });
        await this.#host.start();
        o.logger.info('p2p started', { peerId: this.#host.peerId, addresses: this.#host.addresses().join(',') });
      },
      () => this.stop(),
    );
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      await this.#host?.stop();
      await this.#store?.stop();
    });
  }
}
