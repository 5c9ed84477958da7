// What the payer gateway reads from the chain: the catalog of operators serving a model (price,
// trust, region, reputation, endpoints), an operator's receipt key, the current epoch and the
// payer's escrow. Over any ABCI query (a CosmJS QueryClient in `cairn payer serve`, the in-process
// app in tests). Answers are cached for `ttlMs`: a request must not wait on the chain.
import { ModelKind, TrustLevel } from '../../../proto/gen/cairn/registry/v1/types.ts';
import type { AbciQuery } from '../../../sdk/queries.ts';
import { queryReceipts } from '../../../sdk/receipts/queries.ts';
import { queryRegistry } from '../../../sdk/registry/queries.ts';
import { offerName } from '../../../sdk/gateway/protocol.ts';

/** One operator's offer for a model, as the catalog lists it. */
export interface Offer {
  readonly operator: string;
  /** The registered model (or adapter) id the price is for. */
  readonly offerModel: string;
  readonly denom: string;
  readonly pricePerUnit: bigint;
  readonly region: string;
  readonly reputation: bigint;
  readonly trustLevel: TrustLevel;
  readonly endpoints: readonly string[];
}

export interface PayerChain {
  /** Active operators serving `offerModel` (a model or adapter id), cheapest first. */
  offers(offerModel: string): Promise<readonly Offer[]>;
  /** The operator's current receipt key (32 bytes), or undefined for an unknown operator. */
  receiptKey(operator: string): Promise<Uint8Array | undefined>;
  /** Every offer name (`model` or `base@adapter`) some operator serves. */
  servedNames(): Promise<readonly string[]>;
  epoch(): Promise<bigint>;
  /** Available (unlocked) escrow of the payer, in its denom. */
  escrowAvailable(payer: string): Promise<bigint>;
  /** Drops every cached answer (after a bad receipt, the operator's key may have rotated). */
  forget(): void;
}

export function queryPayerChain(query: AbciQuery, ttlMs = 5000, now: () => number = Date.now): PayerChain {
  const registry = queryRegistry(query);
  const receipts = queryReceipts(query);
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit !== undefined && now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    // A failed query is not cached: the next request asks again.
    value.catch(() => cache.delete(key));
    return value;
  };
  const offers = (offerModel: string): Promise<readonly Offer[]> =>
    cached(`offers/${offerModel}`, async () => {
      const r = await registry.modelServers({ modelId: offerModel, pagination: { limit: 200n } });
      return r.servers.flatMap((s): Offer[] => {
        const o = s.offer;
        if (o === undefined || o.pricePerUnit === undefined || !/^[0-9]{1,39}$/.test(o.pricePerUnit.amount)) return [];
        return [{ operator: o.operator, offerModel, denom: o.pricePerUnit.denom, pricePerUnit: BigInt(o.pricePerUnit.amount), region: s.region, reputation: s.reputation, trustLevel: s.trustLevel, endpoints: s.endpoints }];
      });
    });
  return {
    offers,
    receiptKey: (operator) =>
      cached(`key/${operator}`, async () => {
        try {
          return (await registry.operator({ address: operator })).operator?.receiptKey;
        } catch (e) {
          if (/not found/i.test((e as Error).message)) return undefined;
          throw e;
        }
      }),
    servedNames: () =>
      cached('names', async () => {
        const models = (await registry.models({ kind: ModelKind.MODEL_KIND_UNSPECIFIED, pagination: { limit: 500n } })).models;
        const names: string[] = [];
        for (const m of models) {
          if ((await offers(m.id)).length === 0) continue;
          names.push(m.kind === ModelKind.MODEL_KIND_ADAPTER ? offerName(m.baseModelId, m.id) : m.id);
        }
        return names.sort();
      }),
    epoch: () => cached('epoch', async () => (await receipts.epoch()).current?.epoch ?? 0n),
    escrowAvailable: async (payer) => {
      try {
        const e = (await receipts.escrow({ payer })).escrow;
        return e === undefined ? 0n : BigInt(e.available);
      } catch (e) {
        if (/not found|no escrow/i.test((e as Error).message)) return 0n;
        throw e;
      }
    },
    forget: () => cache.clear(),
  };
}
