// cairn.emission.v1.Query: params, the monetary status (current epoch, its budget, minted, remaining
// cap, next halving), one epoch's budget, what an epoch minted with its rewards, an operator's
// rewards by epoch, points, reputation, an epoch's roots, and capacity challenges.
import type { QueryHandler } from '../../core/framework/module.ts';
import { EMISSION_QUERY_SERVICE } from '../../sdk/emission/queries.ts';
import * as q from '../../proto/gen/cairn/emission/v1/query.ts';
import type { CapacityChallenge, OperatorReward } from '../../proto/gen/cairn/emission/v1/types.ts';
import { decodeAddressArg, notFound } from '../../core/framework/query-args.ts';
import { concat, u64Key } from '../../core/framework/collections.ts';
import type { EmissionKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { epochBudget, eraOf, nextHalvingEpoch, yearOf } from './schedule.ts';
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse as MintParamsResponse } from 'cosmjs-types/cosmos/mint/v1beta1/query';
import type { QueryContext } from '../../core/framework/context.ts';
import { ONE, decToBytes, decToProto } from '../../core/framework/dec.ts';

const PATH = EMISSION_QUERY_SERVICE;

const MINT = '/cosmos.mint.v1beta1.Query/';

/**
 * What explorers call the chain's inflation, from the schedule (README "cosmos.mint queries"): the
 * year's scheduled mint at the queried height, capped by the room left under max_supply, and its
 * ratio to the current supply. An upper bound: an epoch mints only what it earned.
 */
async function scheduledRate(k: EmissionKeeper, ctx: QueryContext) {
  const p = await k.params(ctx.store);
  const { epoch, epochBlocks } = await k.epochAt(ctx.store, ctx.height + 1n);
  const supply = await k.deps.bank.supplyOf(ctx.store, p.denom);
  const room = BigInt(p.maxSupply) - supply;
  const yearly = epochBudget(epoch, p) * p.epochsPerYear;
  const annual = !p.enabled || room <= 0n ? 0n : yearly < room ? yearly : room;
  const inflation = supply === 0n ? 0n : (annual * ONE) / supply;
  return { p, annual, inflation, blocksPerYear: p.epochsPerYear * epochBlocks };
}

export function emissionQueries(k: EmissionKeeper): Record<string, QueryHandler> {
  return {
    [`${MINT}Params`]: async (_data, ctx) => {
      const { p, inflation, blocksPerYear } = await scheduledRate(k, ctx);
      return MintParamsResponse.encode({
        params: {
          mintDenom: p.denom,
          inflationRateChange: '0',
          inflationMax: decToProto(inflation),
          inflationMin: '0',
          goalBonded: '0',
          blocksPerYear,
        },
      }).finish();
    },
    [`${MINT}Inflation`]: async (_data, ctx) => QueryInflationResponse.encode({ inflation: decToBytes((await scheduledRate(k, ctx)).inflation) }).finish(),
    [`${MINT}AnnualProvisions`]: async (_data, ctx) =>
      QueryAnnualProvisionsResponse.encode({ annualProvisions: decToBytes((await scheduledRate(k, ctx)).annual * ONE) }).finish(),

    [`${PATH}Params`]: async (_data, ctx) => q.QueryParamsResponse.encode({ params: await k.params(ctx.store) }).finish(),

    [`${PATH}Status`]: async (_data, ctx) => {
      const p = await k.params(ctx.store);
      // The epoch of the next block: the one still open at the queried height.
      const { epoch, endHeight, epochBlocks } = await k.epochAt(ctx.store, ctx.height + 1n);
      const supply = await k.deps.bank.supplyOf(ctx.store, p.denom);
      const room = BigInt(p.maxSupply) - supply;
      const halving = nextHalvingEpoch(epoch, p);
      return q.QueryStatusResponse.encode({
        currentEpoch: epoch,
        epochEndHeight: endHeight,
        epochBudget: epochBudget(epoch, p).toString(),
        mintedTotal: (await k.mintedTotal(ctx.store)).toString(),
        supply: supply.toString(),
        maxSupply: p.maxSupply,
        remainingCap: (room > 0n ? room : 0n).toString(),
        era: eraOf(epoch, p),
        nextHalvingEpoch: halving,
        nextHalvingHeight: halving * epochBlocks + 1n,
        nextEpochBudgetAfterHalving: epochBudget(halving, p).toString(),
      }).finish();
    },

    [`${PATH}EpochBudget`]: async (data, ctx) => {
      const req = q.QueryEpochBudgetRequest.decode(data);
      const p = await k.params(ctx.store);
      return q.QueryEpochBudgetResponse.encode({ budget: epochBudget(req.epoch, p).toString(), year: yearOf(req.epoch, p), era: eraOf(req.epoch, p) }).finish();
    },

    [`${PATH}Epoch`]: async (data, ctx) => {
      const req = q.QueryEpochRequest.decode(data);
      const emission = await keys.epochs.get(ctx.store, req.epoch);
      if (emission === undefined) throw notFound(`epoch ${req.epoch} has not ended`);
      const rewards: OperatorReward[] = [];
      for await (const [, r] of keys.rewards.entries(ctx.store, { subPrefix: u64Key.encode(req.epoch) })) rewards.push(r);
      return q.QueryEpochResponse.encode({ emission, rewards }).finish();
    },

    [`${PATH}OperatorRewards`]: async (data, ctx) => {
      const req = q.QueryOperatorRewardsRequest.decode(data);
      const address = decodeAddressArg(req.operator, ctx);
      const rewards: OperatorReward[] = [];
      for await (const [[, epoch]] of keys.rewardEpochs.entries(ctx.store, { subPrefix: keys.addressKey(address) })) {
        const r = await keys.rewards.get(ctx.store, [epoch, address]);
        if (r !== undefined) rewards.push(r);
      }
      return q.QueryOperatorRewardsResponse.encode({ rewards }).finish();
    },

    [`${PATH}Points`]: async (data, ctx) => {
      const req = q.QueryPointsRequest.decode(data);
      const points = await keys.points.get(ctx.store, decodeAddressArg(req.operator, ctx));
      if (points === undefined) throw notFound(`${req.operator} has no points yet: they are written at each epoch end for an operator with finalized receipts or uptime in that epoch`);
      return q.QueryPointsResponse.encode({ points }).finish();
    },

    [`${PATH}Reputation`]: async (data, ctx) => {
      const req = q.QueryReputationRequest.decode(data);
      const reputation = await keys.reputations.get(ctx.store, decodeAddressArg(req.operator, ctx));
      if (reputation === undefined) throw notFound(`${req.operator} has no reputation yet: it is computed at each epoch end for an operator with usage, uptime reports, capacity challenges or faults in that epoch`);
      return q.QueryReputationResponse.encode({ reputation }).finish();
    },

    [`${PATH}Roots`]: async (data, ctx) => {
      const req = q.QueryRootsRequest.decode(data);
      const reputation = await keys.reputationRoots.get(ctx.store, req.epoch);
      if (reputation === undefined) throw notFound(`epoch ${req.epoch} has no reputation root yet`);
      const roots = await k.deps.receipts.epochRootsOf(ctx.store, req.epoch);
      return q.QueryRootsResponse.encode({ reputation, receiptsRoot: roots?.receiptsRoot ?? new Uint8Array(), royaltyRoot: roots?.royaltyRoot ?? new Uint8Array(), reputationStoreKey: concat(keys.reputationRoots.prefix, u64Key.encode(req.epoch)) }).finish();
    },

    [`${PATH}Challenge`]: async (data, ctx) => {
      const req = q.QueryChallengeRequest.decode(data);
      const challenge = await keys.challenges.get(ctx.store, req.id);
      if (challenge === undefined) throw notFound(`capacity challenge ${req.id} not found`);
      return q.QueryChallengeResponse.encode({ challenge }).finish();
    },

    [`${PATH}OpenChallenges`]: async (data, ctx) => {
      const req = q.QueryOpenChallengesRequest.decode(data);
      const address = decodeAddressArg(req.operator, ctx);
      const challenges: CapacityChallenge[] = [];
      // Bounded by the operator's GPU commitments (one open challenge per GPU).
      for await (const [, id] of keys.openByGpu.entries(ctx.store, { subPrefix: keys.addressKey(address) })) {
        const c = await keys.challenges.get(ctx.store, id);
        if (c !== undefined) challenges.push(c);
      }
      return q.QueryOpenChallengesResponse.encode({ challenges }).finish();
    },
  };
}
