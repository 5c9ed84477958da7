// The watcher inside a running node: reads pending batches through the app's query router, data from
// the p2p batch store and peers, and pays for its challenges with its own secp256k1 key, broadcast
// to the node's own CometBFT RPC.
import { readFile } from 'node:fs/promises';
import { DirectSecp256k1Wallet, Registry } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { QueryParamsRequest, QueryParamsResponse } from '../../proto/gen/cairn/receipts/v1/query.ts';
import { receiptsTypes } from '../../modules/receipts/cosmjs.ts';
import type { CairnApp } from '../app.ts';
import type { Logger } from '../log.ts';
import { appChainView, type P2pService } from '../p2p/service.ts';
import { type QueryFn, p2pBatchSource, queryWatcherChain } from './sources.ts';
import { Watcher, type Submitter } from './watcher.ts';

export class WatcherKeyError extends Error {
  override readonly name = 'WatcherKeyError';
}

/** A secp256k1 private key as 64 hex digits in a file (mode 0600 is the operator's job). */
export async function readWatcherKey(path: string): Promise<Uint8Array> {
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new WatcherKeyError(`${path} must hold a secp256k1 private key as 64 hex digits`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function appQuery(app: CairnApp): QueryFn {
  return async (path, data) => {
    const r = await app.query({ path, data, height: 0n, prove: false } as Parameters<CairnApp['query']>[0]);
    return { code: r.code, value: r.value, log: r.log };
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
}

export interface WatcherService {
  readonly watcher: Watcher;
  readonly address: string;
  stop(): Promise<void>;
}

export async function startWatcher(opts: StartWatcherOptions): Promise<WatcherService> {
  const wallet = await DirectSecp256k1Wallet.fromKey(opts.key, 'cairn');
  const [account] = await wallet.getAccounts();
  const address = account!.address;
  const registry = new Registry([...defaultRegistryTypes, ...receiptsTypes]);
  // Connected at the first challenge: CometBFT's status before the first block is not one CosmJS
  // accepts, and most nodes never need to submit anything.
  let client: Promise<SigningStargateClient> | undefined;
  const connect = (): Promise<SigningStargateClient> =>
    (client ??= SigningStargateClient.connectWithSigner(opts.rpcUrl, wallet, { registry, gasPrice: GasPrice.fromString(opts.gasPrice || '0ucairn') }).catch((e: unknown) => {
      client = undefined;
      throw e;
    }));
  const query = appQuery(opts.app);
  const params = QueryParamsResponse.decode((await query('/cairn.receipts.v1.Query/Params', QueryParamsRequest.encode({}).finish())).value).params;
  const bond = params?.challengeBond ?? { denom: 'ucairn', amount: '0' };
  const submitter: Submitter = {
    address,
    submit: async (msgs) => {
      const r = await (await connect()).signAndBroadcast(address, msgs, 'auto', 'cairn watcher');
      if (r.code !== 0) throw new Error(`tx ${r.transactionHash} failed: code ${r.code}: ${r.rawLog ?? ''}`);
    },
  };
  const watcher = new Watcher({
    chain: queryWatcherChain(query, appChainView(opts.app)),
    source: p2pBatchSource(opts.p2p.store, opts.p2p.host),
    submitter,
    logger: opts.logger,
    requestBond: { denom: bond.denom, amount: bond.amount },
    ...(opts.intervalMs === undefined ? {} : { intervalMs: opts.intervalMs }),
  });
  watcher.start();
  opts.logger.info('watcher started', { address });
  return {
    watcher,
    address,
    stop: async () => {
      await watcher.stop();
      if (client !== undefined) (await client.catch(() => undefined))?.disconnect();
    },
  };
}
