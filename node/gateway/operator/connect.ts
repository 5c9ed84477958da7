// The operator gateway's links to a real chain, from a node's CometBFT RPC: chain reads over ABCI
// queries, transactions signed by the operator's account key (any CosmJS direct signer, e.g. the
// keyring's) one at a time, and batches gossiped over libp2p to the given peers.
import type { EncodeObject, OfflineDirectSigner } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient } from '@cosmjs/stargate';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { cairnRegistry } from '../../../sdk/cosmjs-registry.ts';
import type { Ed25519Signer } from '../../../sdk/ed25519.ts';
import { type AbciQuery, queryClientAbci } from '../../../sdk/queries.ts';
import { queryReceipts } from '../../../sdk/receipts/queries.ts';
import type { Logger } from '../../log.ts';
import { publishBatch } from '../../p2p/publish.ts';
import { queryOperatorChain } from './chain.ts';
import type { SettlementChain, SettlementDeps, TxOutcome } from './settle.ts';

export interface ChainLinks {
  readonly chainId: string;
  readonly chain: SettlementChain;
  readonly submit: SettlementDeps['submit'];
  readonly publish: SettlementDeps['publish'];
  close(): void;
}

export interface ConnectOptions {
  readonly rpcUrl: string;
  readonly operator: string;
  /** Holds the operator's account key (pays fees, signs MsgSubmitBatch and reveals). */
  readonly signer: OfflineDirectSigner;
  readonly gasPrice: string;
  readonly receiptSigner: Ed25519Signer;
  /** libp2p multiaddrs (with /p2p/<id>) of nodes to gossip batches to; none: batches are not published. */
  readonly peers: readonly string[];
  readonly logger: Logger;
  readonly cacheMs?: number;
}

export async function connectChain(opts: ConnectOptions): Promise<ChainLinks> {
  const comet: CometClient = await connectComet(opts.rpcUrl);
  const query: AbciQuery = queryClientAbci(new QueryClient(comet));
  const base = queryOperatorChain(query, opts.operator, opts.cacheMs);
  const receipts = queryReceipts(query);
  const chainId = (await comet.status()).nodeInfo.network;
  const chain: SettlementChain = {
    ...base,
    tip: async () => {
      const s = (await comet.status()).syncInfo;
      return { height: BigInt(s.latestBlockHeight), time: BigInt(Math.floor(s.latestBlockTime.getTime() / 1000)) };
    },
    findBatch: async (payer, epoch, root) => {
      let key: Uint8Array | undefined;
      for (;;) {
        // The query takes one filter: this operator's batches, matched by payer, epoch and root.
        const r = await receipts.batches({ operator: opts.operator, pagination: { limit: 200n, ...(key === undefined ? {} : { key }) } });
        const hit = r.batches.find((b) => b.payer === payer && b.epoch === epoch && Buffer.from(b.root).equals(Buffer.from(root)));
        if (hit !== undefined) return hit.id;
        const next = r.pagination?.nextKey;
        if (next === undefined || next.length === 0) return undefined;
        key = next;
      }
    },
    batch: async (id) => {
      const r = await receipts.batch({ id });
      if (r.batch === undefined) throw new Error(`the chain has no batch ${id}`);
      return { batch: r.batch, requests: r.requests };
    },
  };
  const client = await SigningStargateClient.createWithSigner(comet, opts.signer, { registry: cairnRegistry(), gasPrice: GasPrice.fromString(opts.gasPrice), broadcastPollIntervalMs: 300 });
  // One transaction at a time: they share the account's sequence.
  let queue: Promise<unknown> = Promise.resolve();
  const submit = (msgs: EncodeObject[]): Promise<TxOutcome> => {
    const run = queue.then(async (): Promise<TxOutcome> => {
      const r = await client.signAndBroadcast(opts.operator, msgs, 'auto', 'cairn operator gateway');
      return { code: r.code, log: r.rawLog ?? '', events: r.events };
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const publish: SettlementDeps['publish'] = async (batch, height) => {
    if (opts.peers.length === 0) return;
    await publishBatch({ chainId, height, signer: opts.receiptSigner, peers: opts.peers, logger: opts.logger, batch });
  };
  return { chainId, chain, submit, publish, close: () => comet.disconnect() };
}
