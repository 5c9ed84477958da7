// Adapters that connect the watcher to a node: pending batches read through the app's ABCI query
// router, batch data from the p2p batch store and peers.
import { BatchStatus, type Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { queryReceipts } from '../../sdk/receipts/queries.ts';
import { queryRegistry } from '../../sdk/registry/queries.ts';
import { openEnvelope } from '../p2p/envelope.ts';
import type { BatchStore } from '../p2p/batch-store.ts';
import type { P2pHost } from '../p2p/host.ts';
import type { ChainView } from '../p2p/validate.ts';
import { queryReceiptFacts } from './facts.ts';
import { type QueryFn, QueryRefusedError, isNotFound, mustQuery } from '../app-query.ts';
import type { BatchSource, RevealedLeaf, WatchedBatch, Watcher, WatcherChain } from './watcher.ts';

/** Pending batches via the receipts' Batches query (paged), one batch's reveals and requests, params; trusted verifiers via the registry's params; the judge's facts by queries too (facts.ts). */
export function queryWatcherChain(query: QueryFn, view: ChainView): WatcherChain {
  const registry = queryRegistry(mustQuery(query));
  const receipts = queryReceipts(mustQuery(query));
  return {
    get chainId(): string {
      return view.chainId;
    },
    height: async () => view.height(),
    facts: queryReceiptFacts(query, () => view.chainId),
    params: async () => {
      const p = (await receipts.params()).params;
      if (p === undefined) throw new QueryRefusedError('the receipts params query answered no params', 0, '');
      return p;
    },
    batch: async (id) => {
      try {
        const b = (await receipts.batch({ id })).batch;
        return b === undefined ? undefined : { status: b.status, disputeEnd: b.disputeEnd };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    requestedLeaves: async (id) => (await receipts.batch({ id })).requests.map((r) => r.index),
    reveals: async (batchId): Promise<RevealedLeaf[]> => {
      const out: RevealedLeaf[] = [];
      let key: Uint8Array = new Uint8Array();
      for (;;) {
        const page = await receipts.reveals({ batchId, pagination: { key, limit: 1000n } });
        out.push(...page.reveals);
        const next = page.pagination?.nextKey;
        if (next === undefined || next.length === 0) return out;
        key = next;
      }
    },
    trustedVerifiers: async () => {
      return (await registry.params()).params?.trustedVerifiers ?? [];
    },
    pendingBatches: async (): Promise<WatchedBatch[]> => {
      const out: WatchedBatch[] = [];
      let key: Uint8Array = new Uint8Array();
      for (;;) {
        const page = await receipts.batches({ status: BatchStatus.BATCH_STATUS_PENDING, pagination: { key, limit: 100n } });
        for (const b of page.batches) {
          out.push({ id: b.id, operator: b.operator, payer: b.payer, modelId: b.modelId, adapterId: b.adapterId, epoch: b.epoch, timeStart: b.timeStart, timeEnd: b.timeEnd, root: b.root, count: b.count, amount: BigInt(b.amount?.amount ?? '0'), disputeEnd: b.disputeEnd, unrevealedSample: b.sample.filter((x) => !x.revealed).map((x) => x.index), openRequests: b.openRequests });
        }
        const next = page.pagination?.nextKey;
        if (next === undefined || next.length === 0) break;
        key = next;
      }
      return out;
    },
  };
}

/** Hands every attestation envelope the host accepts from gossip to the watcher's next pass. */
export function feedAttestations(host: P2pHost, watcher: Watcher): void {
  host.onDelivery((d) => {
    if (d.kind === 'attestations') watcher.observeAttestations(d.data, d.opened.body);
  });
}

/** The local batch store first, then a fetch by root from connected peers. */
export function p2pBatchSource(store: BatchStore, host: P2pHost | undefined): BatchSource {
  return {
    receiptsOf: async (root: Uint8Array): Promise<readonly Receipt[] | undefined> => {
      const stored = await store.get(root);
      if (stored !== undefined) return openEnvelope(stored).body.batch?.receipts;
      const got = await host?.fetchBatch(root);
      return got?.opened.body.batch?.receipts;
    },
  };
}
