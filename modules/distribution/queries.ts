// cosmos.distribution.v1beta1.Query: rewards, commission, outstanding rewards, slashes, the
// community pool, withdraw addresses (what CosmJS's distribution extension and wallets call).
// Pending rewards are computed read-only, with the same arithmetic a withdrawal uses.
import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest,
  QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest,
  QueryValidatorSlashesResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import type { DelegationDelegatorReward, ValidatorSlashEvent } from 'cosmjs-types/cosmos/distribution/v1beta1/distribution';
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { decodeAddressArg, decodeValoperArg, invalidArgument, notFound } from '../../core/framework/query-args.ts';
import { pageList } from '../../core/framework/page-list.ts';
import * as dc from './dec-coins.ts';
import type { DistributionKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { toProtoParams } from './params.ts';

export function distributionQueries(k: DistributionKeeper): Record<string, QueryHandler> {
  const D = '/cosmos.distribution.v1beta1.Query';
  const existing = async (ctx: QueryContext, address: string): Promise<Uint8Array> => {
    const operator = decodeValoperArg(address, ctx);
    if ((await k.staking.validator(ctx.store, operator)) === undefined) throw notFound(`validator ${address} does not exist`);
    return operator;
  };
  return {
    [`${D}/Params`]: async (_data, ctx) => QueryParamsResponse.encode({ params: toProtoParams(await k.params(ctx.store)) }).finish(),
    [`${D}/ValidatorDistributionInfo`]: async (data, ctx) => {
      const req = QueryValidatorDistributionInfoRequest.decode(data);
      const operator = await existing(ctx, req.validatorAddress);
      const selfBondRewards = await k.pendingRewards(ctx.store, ctx.height, operator, operator);
      return QueryValidatorDistributionInfoResponse.encode({
        operatorAddress: ctx.addresses.encode(operator),
        selfBondRewards: dc.toProto(selfBondRewards),
        commission: dc.toProto(await k.commission(ctx.store, operator)),
      }).finish();
    },
    [`${D}/ValidatorOutstandingRewards`]: async (data, ctx) => {
      const req = QueryValidatorOutstandingRewardsRequest.decode(data);
      const operator = await existing(ctx, req.validatorAddress);
      return QueryValidatorOutstandingRewardsResponse.encode({ rewards: { rewards: dc.toProto(await k.outstanding(ctx.store, operator)) } }).finish();
    },
    [`${D}/ValidatorCommission`]: async (data, ctx) => {
      const req = QueryValidatorCommissionRequest.decode(data);
      const operator = await existing(ctx, req.validatorAddress);
      return QueryValidatorCommissionResponse.encode({ commission: { commission: dc.toProto(await k.commission(ctx.store, operator)) } }).finish();
    },
    [`${D}/ValidatorSlashes`]: async (data, ctx) => {
      const req = QueryValidatorSlashesRequest.decode(data);
      const operator = decodeValoperArg(req.validatorAddress, ctx);
      if (req.endingHeight !== 0n && req.endingHeight < req.startingHeight) throw invalidArgument('starting height greater than ending height');
      const list: ValidatorSlashEvent[] = [];
      for await (const [[, [height]], event] of keys.slashEvents.entries(ctx.store, { subPrefix: Uint8Array.of(operator.length, ...operator) })) {
        if (height < req.startingHeight || (req.endingHeight !== 0n && height > req.endingHeight)) continue;
        list.push(event);
      }
      const { items, pagination } = pageList(list, req.pagination);
      return QueryValidatorSlashesResponse.encode({ slashes: items, pagination }).finish();
    },
    [`${D}/DelegationRewards`]: async (data, ctx) => {
      const req = QueryDelegationRewardsRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddress, ctx);
      const operator = await existing(ctx, req.validatorAddress);
      if ((await k.staking.delegation(ctx.store, delegator, operator)) === undefined) {
        throw notFound(`delegation for (${req.delegatorAddress}, ${req.validatorAddress}) does not exist`);
      }
      const rewards = await k.pendingRewards(ctx.store, ctx.height, delegator, operator);
      return QueryDelegationRewardsResponse.encode({ rewards: dc.toProto(rewards) }).finish();
    },
    [`${D}/DelegationTotalRewards`]: async (data, ctx) => {
      const req = QueryDelegationTotalRewardsRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddress, ctx);
      const rewards: DelegationDelegatorReward[] = [];
      let total: dc.DecCoins = dc.EMPTY;
      for await (const [operator] of k.staking.delegationsOf(ctx.store, delegator)) {
        const r = await k.pendingRewards(ctx.store, ctx.height, delegator, operator);
        rewards.push({ validatorAddress: ctx.addresses.encode(operator, ctx.addresses.validatorPrefix), reward: dc.toProto(r) });
        total = dc.add(total, r);
      }
      return QueryDelegationTotalRewardsResponse.encode({ rewards, total: dc.toProto(total) }).finish();
    },
    [`${D}/DelegatorValidators`]: async (data, ctx) => {
      const req = QueryDelegatorValidatorsRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddress, ctx);
      const validators: string[] = [];
      for await (const [operator] of k.staking.delegationsOf(ctx.store, delegator)) validators.push(ctx.addresses.encode(operator, ctx.addresses.validatorPrefix));
      return QueryDelegatorValidatorsResponse.encode({ validators }).finish();
    },
    [`${D}/DelegatorWithdrawAddress`]: async (data, ctx) => {
      const req = QueryDelegatorWithdrawAddressRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddress, ctx);
      return QueryDelegatorWithdrawAddressResponse.encode({ withdrawAddress: ctx.addresses.encode(await k.withdrawAddress(ctx.store, delegator)) }).finish();
    },
    [`${D}/CommunityPool`]: async (_data, ctx) => QueryCommunityPoolResponse.encode({ pool: dc.toProto(await k.communityPool(ctx.store)) }).finish(),
  };
}
