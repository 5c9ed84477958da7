// cosmos.slashing.v1beta1.Query: params and signing records (by consensus address, "<prefix>valcons1…").
import { QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import type { QueryHandler } from '../../core/framework/module.ts';
import { paginate } from '../../core/framework/pagination.ts';
import { invalidArgument, notFound } from '../../core/framework/query-args.ts';
import type { SlashingKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { toProtoParams } from './params.ts';

export function slashingQueries(k: SlashingKeeper): Record<string, QueryHandler> {
  const S = '/cosmos.slashing.v1beta1.Query';
  return {
    [`${S}/Params`]: async (_data, ctx) => QueryParamsResponse.encode({ params: toProtoParams(await k.params(ctx.store)) }).finish(),
    [`${S}/SigningInfo`]: async (data, ctx) => {
      const req = QuerySigningInfoRequest.decode(data);
      if (req.consAddress === '') throw invalidArgument('empty address');
      let consAddr: Uint8Array;
      try {
        consAddr = ctx.addresses.decode(req.consAddress, `${ctx.addresses.prefix}valcons`);
      } catch (err) {
        throw invalidArgument((err as Error).message);
      }
      const info = await k.signingInfo(ctx.store, consAddr);
      if (info === undefined) throw notFound(`SigningInfo not found for validator ${req.consAddress}`);
      return QuerySigningInfoResponse.encode({ valSigningInfo: info }).finish();
    },
    [`${S}/SigningInfos`]: async (data, ctx) => {
      const req = QuerySigningInfosRequest.decode(data);
      const { items, pagination } = await paginate(ctx.store, keys.signingInfos.prefix, req.pagination, (_k, v) => ValidatorSigningInfo.decode(v));
      return QuerySigningInfosResponse.encode({ info: items, pagination }).finish();
    },
  };
}
