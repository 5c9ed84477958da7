// cosmos.staking.v1beta1.Query, as CosmJS (getDelegation, getBalanceStaked, the staking extension),
// wallets and explorers call it. Missing records answer with the SDK's gRPC NotFound text.
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse,
  QueryParamsResponse,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { BondStatus, type Delegation, type DelegationResponse, type Redelegation, type RedelegationResponse, type UnbondingDelegation, type Validator, bondStatusFromJSON } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { moduleAddress } from '../../core/framework/address.ts';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';
import type { QueryContext } from '../../core/framework/context.ts';
import type { QueryHandler } from '../../core/framework/module.ts';
import { decodeAddressArg, decodeValoperArg, invalidArgument, notFound } from '../../core/framework/query-args.ts';
import { parseDec } from '../../core/framework/dec.ts';
import type { StakingKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { BONDED_POOL, NOT_BONDED_POOL } from './keys.ts';
import { pageList } from '../../core/framework/page-list.ts';
import { toProtoParams } from './params.ts';
import { tokensFromShares } from './view.ts';

async function delegationResponse(k: StakingKeeper, ctx: QueryContext, d: Delegation, operator: Uint8Array): Promise<DelegationResponse> {
  const v = await k.validator(ctx.store, operator);
  const { bondDenom } = await k.params(ctx.store);
  const amount = v === undefined ? 0n : tokensFromShares(v, parseDec(d.shares)) / 10n ** 18n;
  return { delegation: d, balance: { denom: bondDenom, amount: amount.toString() } };
}

async function redelegationResponse(k: StakingKeeper, ctx: QueryContext, r: Redelegation): Promise<RedelegationResponse> {
  const dst = await k.validator(ctx.store, ctx.addresses.decode(r.validatorDstAddress, ctx.addresses.validatorPrefix));
  return {
    redelegation: r,
    entries: r.entries.map((e) => ({
      redelegationEntry: e,
      balance: (dst === undefined ? 0n : tokensFromShares(dst, parseDec(e.sharesDst)) / 10n ** 18n).toString(),
    })),
  };
}

export function stakingQueries(k: StakingKeeper): Record<string, QueryHandler> {
  const S = '/cosmos.staking.v1beta1.Query';
  return {
    [`${S}/Validators`]: async (data, ctx) => {
      const req = QueryValidatorsRequest.decode(data);
      let status: BondStatus | undefined;
      if (req.status !== '') {
        status = bondStatusFromJSON(req.status);
        if (status === BondStatus.UNRECOGNIZED || status === BondStatus.BOND_STATUS_UNSPECIFIED) throw invalidArgument(`invalid validator status ${req.status}`);
      }
      const all: Validator[] = [];
      for await (const v of k.allValidators(ctx.store)) if (status === undefined || v.status === status) all.push(v);
      const { items, pagination } = pageList(all, req.pagination);
      return QueryValidatorsResponse.encode({ validators: items, pagination }).finish();
    },
    [`${S}/Validator`]: async (data, ctx) => {
      const req = QueryValidatorRequest.decode(data);
      const v = await k.validator(ctx.store, decodeValoperArg(req.validatorAddr, ctx));
      if (v === undefined) throw notFound(`validator ${req.validatorAddr} not found`);
      return QueryValidatorResponse.encode({ validator: v }).finish();
    },
    [`${S}/ValidatorDelegations`]: async (data, ctx) => {
      const req = QueryValidatorDelegationsRequest.decode(data);
      const operator = decodeValoperArg(req.validatorAddr, ctx);
      const list: DelegationResponse[] = [];
      for await (const delegator of k.delegatorsOf(ctx.store, operator)) {
        const d = await k.delegation(ctx.store, delegator, operator);
        if (d !== undefined) list.push(await delegationResponse(k, ctx, d, operator));
      }
      const { items, pagination } = pageList(list, req.pagination);
      return QueryValidatorDelegationsResponse.encode({ delegationResponses: items, pagination }).finish();
    },
    [`${S}/ValidatorUnbondingDelegations`]: async (data, ctx) => {
      const req = QueryValidatorUnbondingDelegationsRequest.decode(data);
      const operator = decodeValoperArg(req.validatorAddr, ctx);
      const list: UnbondingDelegation[] = [];
      for await (const [[, delegator]] of keys.unbondingByValidator.entries(ctx.store, { subPrefix: lengthPrefixedBytes.encode(operator) })) {
        const u = await keys.unbondingDelegations.get(ctx.store, [delegator, operator]);
        if (u !== undefined) list.push(u);
      }
      const { items, pagination } = pageList(list, req.pagination);
      return QueryValidatorUnbondingDelegationsResponse.encode({ unbondingResponses: items, pagination }).finish();
    },
    [`${S}/Delegation`]: async (data, ctx) => {
      const req = QueryDelegationRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddr, ctx);
      const operator = decodeValoperArg(req.validatorAddr, ctx);
      const d = await k.delegation(ctx.store, delegator, operator);
      // CosmJS's getDelegation turns exactly this "key not found" into null.
      if (d === undefined) throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      return QueryDelegationResponse.encode({ delegationResponse: await delegationResponse(k, ctx, d, operator) }).finish();
    },
    [`${S}/UnbondingDelegation`]: async (data, ctx) => {
      const req = QueryUnbondingDelegationRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddr, ctx);
      const operator = decodeValoperArg(req.validatorAddr, ctx);
      const u = await keys.unbondingDelegations.get(ctx.store, [delegator, operator]);
      if (u === undefined) throw notFound(`unbonding delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      return QueryUnbondingDelegationResponse.encode({ unbond: u }).finish();
    },
    [`${S}/DelegatorDelegations`]: async (data, ctx) => {
      const req = QueryDelegatorDelegationsRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddr, ctx);
      const list: DelegationResponse[] = [];
      for await (const [operator, d] of k.delegationsOf(ctx.store, delegator)) list.push(await delegationResponse(k, ctx, d, operator));
      const { items, pagination } = pageList(list, req.pagination);
      return QueryDelegatorDelegationsResponse.encode({ delegationResponses: items, pagination }).finish();
    },
    [`${S}/DelegatorUnbondingDelegations`]: async (data, ctx) => {
      const req = QueryDelegatorUnbondingDelegationsRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddr, ctx);
      const list: UnbondingDelegation[] = [];
      for await (const [, u] of keys.unbondingDelegations.entries(ctx.store, { subPrefix: lengthPrefixedBytes.encode(delegator) })) list.push(u);
      const { items, pagination } = pageList(list, req.pagination);
      return QueryDelegatorUnbondingDelegationsResponse.encode({ unbondingResponses: items, pagination }).finish();
    },
    [`${S}/Redelegations`]: async (data, ctx) => {
      const req = QueryRedelegationsRequest.decode(data);
      const list: Redelegation[] = [];
      if (req.delegatorAddr !== '' && req.srcValidatorAddr !== '' && req.dstValidatorAddr !== '') {
        const r = await keys.redelegations.get(ctx.store, [decodeAddressArg(req.delegatorAddr, ctx), [decodeValoperArg(req.srcValidatorAddr, ctx), decodeValoperArg(req.dstValidatorAddr, ctx)]]);
        if (r === undefined) throw notFound(`redelegation not found for delegator address ${req.delegatorAddr} from validator address ${req.srcValidatorAddr}`);
        list.push(r);
      } else if (req.delegatorAddr !== '') {
        const delegator = decodeAddressArg(req.delegatorAddr, ctx);
        const src = req.srcValidatorAddr === '' ? undefined : decodeValoperArg(req.srcValidatorAddr, ctx);
        for await (const [[, [s]], r] of keys.redelegations.entries(ctx.store, { subPrefix: lengthPrefixedBytes.encode(delegator) })) {
          if (src === undefined || Buffer.from(s).equals(Buffer.from(src))) list.push(r);
        }
      } else if (req.srcValidatorAddr !== '') {
        const src = decodeValoperArg(req.srcValidatorAddr, ctx);
        for await (const [[, [delegator, dst]]] of keys.redelegationsBySrc.entries(ctx.store, { subPrefix: lengthPrefixedBytes.encode(src) })) {
          const r = await keys.redelegations.get(ctx.store, [delegator, [src, dst]]);
          if (r !== undefined) list.push(r);
        }
      } else {
        throw invalidArgument('a delegator or a source validator address is required');
      }
      const { items, pagination } = pageList(list, req.pagination);
      const responses = await Promise.all(items.map((r) => redelegationResponse(k, ctx, r)));
      return QueryRedelegationsResponse.encode({ redelegationResponses: responses, pagination }).finish();
    },
    [`${S}/DelegatorValidators`]: async (data, ctx) => {
      const req = QueryDelegatorValidatorsRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddr, ctx);
      const list: Validator[] = [];
      for await (const [operator] of k.delegationsOf(ctx.store, delegator)) {
        const v = await k.validator(ctx.store, operator);
        if (v !== undefined) list.push(v);
      }
      const { items, pagination } = pageList(list, req.pagination);
      return QueryDelegatorValidatorsResponse.encode({ validators: items, pagination }).finish();
    },
    [`${S}/DelegatorValidator`]: async (data, ctx) => {
      const req = QueryDelegatorValidatorRequest.decode(data);
      const delegator = decodeAddressArg(req.delegatorAddr, ctx);
      const operator = decodeValoperArg(req.validatorAddr, ctx);
      if ((await k.delegation(ctx.store, delegator, operator)) === undefined) {
        throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      }
      const v = await k.validator(ctx.store, operator);
      if (v === undefined) throw notFound(`validator ${req.validatorAddr} not found`);
      return QueryDelegatorValidatorResponse.encode({ validator: v }).finish();
    },
    [`${S}/HistoricalInfo`]: async (data, ctx) => {
      const req = QueryHistoricalInfoRequest.decode(data);
      if (req.height < 0n) throw invalidArgument('height cannot be negative');
      const hist = await keys.historicalInfo.get(ctx.store, req.height);
      if (hist === undefined) throw notFound(`historical info for height ${req.height} not found`);
      return QueryHistoricalInfoResponse.encode({ hist }).finish();
    },
    [`${S}/Pool`]: async (_data, ctx) => {
      const { bondDenom } = await k.params(ctx.store);
      const bonded = await k.bank.balance(ctx.store, moduleAddress(BONDED_POOL), bondDenom);
      const notBonded = await k.bank.balance(ctx.store, moduleAddress(NOT_BONDED_POOL), bondDenom);
      return QueryPoolResponse.encode({ pool: { bondedTokens: bonded.toString(), notBondedTokens: notBonded.toString() } }).finish();
    },
    [`${S}/Params`]: async (_data, ctx) => {
      const params = await k.params(ctx.store);
      const blockMs = await k.averageBlockMs(ctx.store);
      return QueryParamsResponse.encode({ params: toProtoParams(params, blockMs) }).finish();
    },
  };
}
