// emission genesis: params (validated: bps in range, weights summing to 10000, a schedule under the
// cap), what was minted, and the records. Init creates the emission module account (minter) and
// checks that the genesis supply is under the cap and that the chain's epoch and denom agree.
import { type AddressCodec, AddressCodec as Codec } from '../../core/framework/address.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, fail } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { GenesisState } from '../../proto/gen/cairn/emission/v1/genesis.ts';
import { ChallengeStatus } from '../../proto/gen/cairn/emission/v1/types.ts';
import { readProtoJson, writeProtoJson } from '../../core/framework/proto-json.ts';
import type { EmissionAccounts } from './deps.ts';
import type { EmissionKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { defaultParams, validateParams } from './params.ts';

export function validateEmissionGenesis(json: unknown, addresses: AddressCodec): GenesisState {
  const g = readProtoJson(GenesisState, json, 'emission');
  const defaults = defaultParams(addresses);
  g.params = g.params ?? defaults;
  // The authority's bech32 depends on the chain's prefix: the default genesis leaves it out.
  if (g.params.authority === '') g.params.authority = defaults.authority;
  try {
    validateParams(g.params, addresses);
  } catch (e) {
    fail('emission.params', (e as Error).message);
  }
  if (g.mintedTotal === '') g.mintedTotal = '0';
  if (!/^(0|[1-9][0-9]*)$/.test(g.mintedTotal)) fail('emission.minted_total', 'must be a non-negative integer');
  let sum = 0n;
  const seen = new Set<bigint>();
  for (const [i, e] of g.epochs.entries()) {
    if (seen.has(e.epoch)) fail(`emission.epochs[${i}]`, `epoch ${e.epoch} listed twice`);
    seen.add(e.epoch);
    sum += BigInt(e.minted || '0');
  }
  if (sum !== BigInt(g.mintedTotal)) fail('emission.minted_total', `must equal the sum of the epochs' minted (${sum})`);
  for (const [i, r] of g.reputations.entries()) {
    if (r.paidAmount === '') r.paidAmount = '0';
    if (!/^(0|[1-9][0-9]*)$/.test(r.paidAmount)) fail(`emission.reputations[${i}].paid_amount`, 'must be a non-negative integer');
  }
  const openGpus = new Set<string>();
  for (const [i, c] of g.challenges.entries()) {
    if (c.bond !== '' && !/^(0|[1-9][0-9]*)$/.test(c.bond)) fail(`emission.challenges[${i}].bond`, 'must be a non-negative integer');
    if (c.status !== ChallengeStatus.CHALLENGE_STATUS_OPEN) continue;
    const gpu = `${c.operator}/${c.gpuId}`;
    if (openGpus.has(gpu)) fail(`emission.challenges[${i}]`, `${gpu} has two open challenges`);
    openGpus.add(gpu);
  }
  const delegating = new Set<string>();
  for (const [i, r] of g.reporters.entries()) {
    for (const [field, address] of [['validator', r.validator], ['reporter', r.reporter]] as const) {
      try {
        addresses.decode(address);
      } catch (e) {
        fail(`emission.reporters[${i}].${field}`, (e as Error).message);
      }
    }
    if (delegating.has(r.validator)) fail(`emission.reporters[${i}]`, `${r.validator} names two reporters`);
    delegating.add(r.validator);
  }
  return g;
}

export function emissionGenesis(keeper: EmissionKeeper, accounts: EmissionAccounts): GenesisHandlers<GenesisState> {
  return {
    defaultGenesis: () => {
      const json = writeProtoJson(GenesisState, { params: defaultParams(new Codec('cairn')), mintedTotal: '0', epochs: [], rewards: [], points: [], reputations: [], reputationRoots: [], reports: [], challenges: [], nextChallengeId: 1n, passed: [], reporters: [] }) as Record<string, unknown>;
      const { authority: _, ...params } = json['params'] as Record<string, unknown>;
      return { ...json, params };
    },

    validate: (json, addresses) => validateEmissionGenesis(json, addresses),

    async init(g, ctx: Context) {
      const p = g.params!;
      await accounts.ensureModuleAccount(ctx.store, keys.EMISSION_ACCOUNT, (a) => ctx.addresses.encode(a), ['minter']);
      await accounts.ensureModuleAccount(ctx.store, keys.CHALLENGE_ACCOUNT, (a) => ctx.addresses.encode(a), ['burner']);
      const supply = await keeper.deps.bank.supplyOf(ctx.store, p.denom);
      if (supply > BigInt(p.maxSupply)) throw new GenesisError(`emission: genesis supply ${supply}${p.denom} exceeds max_supply ${p.maxSupply}`);
      const priceDenom = (await keeper.deps.registry.params(ctx.store)).priceDenom;
      // The wash-trading guard compares fees (in the price denom) with emission: one denom.
      if (priceDenom !== p.denom) throw new GenesisError(`emission.params.denom: ${p.denom} differs from the registry's price denom ${priceDenom}`);
      keys.params.set(ctx.store, p);
      keys.mintedTotal.set(ctx.store, BigInt(g.mintedTotal));
      for (const e of g.epochs) keys.epochs.set(ctx.store, e.epoch, e);
      for (const r of g.rewards) {
        const a = ctx.addresses.decode(r.operator);
        keys.rewards.set(ctx.store, [r.epoch, a], r);
        keys.rewardEpochs.set(ctx.store, [a, r.epoch], true);
      }
      for (const pt of g.points) keys.points.set(ctx.store, ctx.addresses.decode(pt.operator), pt);
      for (const r of g.reputations) keys.reputations.set(ctx.store, ctx.addresses.decode(r.operator), r);
      for (const r of g.reputationRoots) keys.reputationRoots.set(ctx.store, r.epoch, r);
      for (const c of g.challenges) {
        keys.challenges.set(ctx.store, c.id, c);
        if (c.status === ChallengeStatus.CHALLENGE_STATUS_OPEN) {
          keys.challengeDeadlines.set(ctx.store, [c.deadline, c.id], true);
          keys.openByGpu.set(ctx.store, [ctx.addresses.decode(c.operator), c.gpuId], c.id);
        }
      }
      keys.nextChallengeId.set(ctx.store, g.nextChallengeId === 0n ? 1n : g.nextChallengeId);
      for (const x of g.passed) keys.passed.set(ctx.store, [x.epoch, ctx.addresses.decode(x.operator)], x.count);
      for (const r of g.reports) keys.reports.set(ctx.store, [r.epoch, [ctx.addresses.decode(r.operator), ctx.addresses.decode(r.validator)]], r);
      for (const r of g.reporters) keys.reporters.set(ctx.store, ctx.addresses.decode(r.validator), ctx.addresses.decode(r.reporter));
    },

    async export(ctx: QueryContext) {
      const s = ctx.store;
      const g: GenesisState = { params: await keys.params.get(s), mintedTotal: (await keeper.mintedTotal(s)).toString(), epochs: [], rewards: [], points: [], reputations: [], reputationRoots: [], reports: [], challenges: [], nextChallengeId: (await keys.nextChallengeId.get(s)) ?? 1n, passed: [], reporters: [] };
      for await (const [, e] of keys.epochs.entries(s)) g.epochs.push(e);
      for await (const [, r] of keys.rewards.entries(s)) g.rewards.push(r);
      for await (const [, pt] of keys.points.entries(s)) g.points.push(pt);
      for await (const [, r] of keys.reputations.entries(s)) g.reputations.push(r);
      for await (const [, r] of keys.reputationRoots.entries(s)) g.reputationRoots.push(r);
      for await (const [, r] of keys.reports.entries(s)) g.reports.push(r);
      for await (const [, c] of keys.challenges.entries(s)) g.challenges.push(c);
      for await (const [[epoch, address], count] of keys.passed.entries(s)) g.passed.push({ epoch, operator: ctx.addresses.encode(address), count });
      for await (const [validator, reporter] of keys.reporters.entries(s)) g.reporters.push({ validator: ctx.addresses.encode(validator), reporter: ctx.addresses.encode(reporter) });
      return writeProtoJson(GenesisState, g);
    },
  };
}
