// The public catalog: operators filtered by region, GPU model, tier, TEE type and served model,
// ordered by address, price or reputation. Queries are not consensus-critical, but results are still
// deterministic (ties always break on the operator address).
//
// Cost: one pass over the operators (or over the servers of `served_model`), reading each one's
// GPUs and current attestations. Fine for thousands of operators; an index per filter would be
// needed well beyond that.
import { concat } from '../../core/framework/collections.ts';
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryOperatorsRequest } from '../../proto/gen/cairn/registry/v1/query.ts';
import { type CatalogEntry, SortBy } from '../../proto/gen/cairn/registry/v1/query.ts';
import { type Coin, type GpuCommitment, GpuTier, type Operator, TeeType } from '../../proto/gen/cairn/registry/v1/types.ts';
import type { PageResponse } from '../../proto/gen/cairn/registry/v1/types.ts';
import type { RegistryKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { type Keyed, amountKey, paginateSorted } from './page.ts';

const U64_MAX = 2n ** 64n - 1n;

/** Missing prices sort after every price. */
export function priceKey(price: Coin | undefined): Uint8Array {
  return price === undefined ? concat(Uint8Array.of(1), new Uint8Array(32)) : concat(Uint8Array.of(0), amountKey(BigInt(price.amount)));
}

function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

function cheapest(gpus: readonly GpuCommitment[]): Coin | undefined {
  let best: Coin | undefined;
  for (const g of gpus) if (g.pricePerHour !== undefined && (best === undefined || BigInt(g.pricePerHour.amount) < BigInt(best.amount))) best = g.pricePerHour;
  return best;
}

export async function queryCatalog(
  registry: RegistryKeeper,
  req: QueryOperatorsRequest,
  ctx: QueryContext,
): Promise<{ items: CatalogEntry[]; pagination: PageResponse }> {
  const params = await registry.params(ctx.store);
  const now = await registry.blockTime(ctx.store);
  const candidates: [Uint8Array, Operator][] = [];
  if (req.servedModel !== '') {
    for await (const [[, address]] of keys.servers.entries(ctx.store, { subPrefix: keys.prefixedString.encode(req.servedModel) })) {
      const op = await keys.operators.get(ctx.store, address);
      if (op !== undefined) candidates.push([address, op]);
    }
  } else {
    for await (const [address, op] of keys.operators.entries(ctx.store)) candidates.push([address, op]);
  }
  const gpuModel = req.gpuModel.toLowerCase();
  const gpuFiltered = gpuModel !== '' || req.tier !== GpuTier.GPU_TIER_UNSPECIFIED;
  const out: Keyed<CatalogEntry>[] = [];
  for (const [address, op] of candidates) {
    if (!req.includeInactive && !registry.isActive(op, params)) continue;
    if (req.region !== '' && op.region !== req.region) continue;
    const gpus = (await registry.gpusOf(ctx.store, address)).filter(
      (g) => (gpuModel === '' || g.model.toLowerCase() === gpuModel) && (req.tier === GpuTier.GPU_TIER_UNSPECIFIED || g.tier === req.tier),
    );
    if (gpuFiltered && gpus.length === 0) continue;
    const current = await registry.currentAttestationsOf(ctx.store, address, now);
    if (req.teeType !== TeeType.TEE_TYPE_UNSPECIFIED) {
      const ids = new Set(gpus.map((g) => g.id));
      if (!current.some((a) => a.teeType === req.teeType && ids.has(a.gpuId))) continue;
    }
    const price = req.servedModel !== '' ? (await keys.serves.get(ctx.store, [address, req.servedModel]))?.pricePerUnit : cheapest(gpus);
    const trustLevel = registry.trustLevel(current);
    const entry: CatalogEntry = { operator: op, gpus, trustLevel, price };
    let key: Uint8Array;
    if (req.sortBy === SortBy.SORT_BY_PRICE) key = concat(priceKey(price), address);
    else if (req.sortBy === SortBy.SORT_BY_REPUTATION) key = concat(u64(U64_MAX - op.reputation), Uint8Array.of(255 - trustLevel), priceKey(price), address);
    else key = address;
    out.push({ key, value: entry });
  }
  return paginateSorted(out, req.pagination);
}
