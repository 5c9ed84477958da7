// What the operator gateway reads from the chain, over any ABCI query (the node's RPC in `cairn
// operator serve`): whether a payer key is authorised, what this operator serves at what price, the
// current epoch, an attestation to name in receipts, and the receipts module's params. Answers are
// cached for `ttlMs` (the epoch for at most 1 s): a request must not wait on the chain, and a payer
// key revoked on chain is refused within that delay.
import { ModelKind } from '../../../proto/gen/cairn/registry/v1/types.ts';
import type { Params as ReceiptsParams } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { offerName } from '../../../sdk/gateway/protocol.ts';
import type { AbciQuery } from '../../../sdk/queries.ts';
import { queryReceipts } from '../../../sdk/receipts/queries.ts';
import { queryRegistry } from '../../../sdk/registry/queries.ts';

/** One model (or adapter) this operator serves on chain. */
export interface ServedOffer {
  /** What requests name it by: `model`, or `base@adapter`. */
  readonly name: string;
  readonly modelId: string;
  readonly adapterId: string;
  readonly denom: string;
  readonly pricePerUnit: bigint;
}

export interface EpochView {
  readonly epoch: bigint;
  /** Unix seconds of the epoch's first block: receipts of the epoch must start at or after it. */
  readonly startTime: bigint;
}

export type PayerKeyState = 'authorised' | 'revoked' | 'unknown';

export interface OperatorChain {
  payerKey(payer: string, key: Uint8Array): Promise<PayerKeyState>;
  /** By request name. */
  offers(): Promise<ReadonlyMap<string, ServedOffer>>;
  epoch(): Promise<EpochView>;
  /** An attestation of this operator valid for at least the next hour, or empty. */
  attestationId(nowSeconds: bigint): Promise<Uint8Array>;
  params(): Promise<ReceiptsParams>;
}

const notFound = (e: unknown): boolean => /not found|unknown|no such/i.test((e as Error).message);

export function queryOperatorChain(query: AbciQuery, operator: string, ttlMs = 5000, now: () => number = Date.now): OperatorChain {
  const registry = queryRegistry(query);
  const receipts = queryReceipts(query);
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = <T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit !== undefined && now() - hit.at < ttl) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    value.catch(() => cache.delete(key));
    return value;
  };
  return {
    payerKey: (payer, key) =>
      cached(`payer/${payer}/${Buffer.from(key).toString('hex')}`, ttlMs, async (): Promise<PayerKeyState> => {
        try {
          const k = (await registry.payerKey({ payer, key })).key;
          if (k === undefined) return 'unknown';
          return k.revokedHeight === 0n ? 'authorised' : 'revoked';
        } catch (e) {
          if (notFound(e)) return 'unknown';
          throw e;
        }
      }),
    offers: () =>
      cached('offers', ttlMs, async () => {
        const served = (await registry.operatorServes({ operator, pagination: { limit: 500n } })).offers;
        const out = new Map<string, ServedOffer>();
        for (const o of served) {
          if (o.pricePerUnit === undefined || !/^[0-9]{1,39}$/.test(o.pricePerUnit.amount)) continue;
          const model = (await registry.model({ id: o.modelId })).model;
          if (model === undefined) continue;
          const adapter = model.kind === ModelKind.MODEL_KIND_ADAPTER;
          const offer: ServedOffer = {
            name: adapter ? offerName(model.baseModelId, model.id) : model.id,
            modelId: adapter ? model.baseModelId : model.id,
            adapterId: adapter ? model.id : '',
            denom: o.pricePerUnit.denom,
            pricePerUnit: BigInt(o.pricePerUnit.amount),
          };
          out.set(offer.name, offer);
        }
        return out;
      }),
    epoch: () =>
      cached('epoch', Math.min(ttlMs, 1000), async () => {
        const c = (await receipts.epoch()).current;
        return { epoch: c?.epoch ?? 0n, startTime: c?.startTime ?? 0n };
      }),
    attestationId: (nowSeconds) =>
      cached('attestation', ttlMs, async () => {
        const list = (await registry.attestations({ operator })).attestations;
        const valid = list.filter((a) => a.issuedAt <= nowSeconds && a.expiresAt > nowSeconds + 3600n).sort((a, b) => Number(b.expiresAt - a.expiresAt));
        return valid[0]?.id ?? new Uint8Array();
      }),
    params: () => cached('params', 60_000, async () => (await receipts.params()).params!),
  };
}
