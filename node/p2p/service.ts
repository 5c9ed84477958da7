// The p2p part of a running node: the batch store in <home>/data/p2p.db and the libp2p host, with
// the chain view read from the app's committed state (the registry's receipt keys).
import { join } from 'node:path';
import type { CairnApp } from '../app.ts';
import type { Logger } from '../log.ts';
import { RegistryKeeper } from '../../modules/registry/keeper.ts';
import { BatchStore } from './batch-store.ts';
import { P2pHost } from './host.ts';
import { loadOrCreateP2pKey, p2pKeyPath } from './identity.ts';
import type { ChainView, ReceiptKeyWindow } from './validate.ts';

export interface P2pService {
  readonly host: P2pHost;
  readonly store: BatchStore;
  stop(): Promise<void>;
}

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

export interface StartP2pOptions {
  readonly home: string;
  readonly app: CairnApp;
  readonly logger: Logger;
  readonly listen: readonly string[];
  readonly bootstrap: readonly string[];
  /** The genesis file's chain id (the app knows it only after InitChain). */
  readonly chainId: string;
}

export async function startP2p(opts: StartP2pOptions): Promise<P2pService> {
  const privateKey = await loadOrCreateP2pKey(p2pKeyPath(opts.home));
  const store = new BatchStore(p2pStorePath(opts.home));
  await store.start();
  const host = new P2pHost({ chain: appChainView(opts.app, opts.chainId), logger: opts.logger, listen: opts.listen, bootstrap: opts.bootstrap, store, privateKey });
  try {
    await host.start();
  } catch (e) {
    await store.stop();
    throw e;
  }
  opts.logger.info('p2p started', { peerId: host.peerId, addresses: host.addresses().join(',') });
  let stopped: Promise<void> | undefined;
  return {
    host,
    store,
    stop: () =>
      (stopped ??= (async () => {
        await host.stop();
        await store.stop();
      })()),
  };
}
