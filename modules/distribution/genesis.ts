// distribution genesis in the SDK's JSON shape (DecCoin amounts as decimals). A new chain needs only
// params (and maybe a community pool): InitChain starts the reward records of every staking validator
// and delegation that has none, as MsgCreateValidator and MsgDelegate would have.
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { moduleAddress } from '../../core/framework/address.ts';
import { GenesisError, array, at, object, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { type Dec, ONE, formatDec, parseDec, parseDecJson } from '../../core/framework/dec.ts';
import { operatorBytes } from '../staking/api.ts';
import * as dc from './dec-coins.ts';
import type { DistributionKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { MODULE } from './keys.ts';
import { DEFAULT_PARAMS, type DistributionParams, paramsToJson, readParams, toProtoParams } from './params.ts';

type Bytes = Uint8Array;

export interface DistributionGenesis {
  readonly params: DistributionParams;
  readonly communityPool: dc.DecCoins;
  readonly withdrawInfos: readonly { delegator: string; withdraw: string }[];
  readonly outstanding: readonly { validator: string; rewards: dc.DecCoins }[];
  readonly commissions: readonly { validator: string; commission: dc.DecCoins }[];
  readonly historical: readonly { validator: string; period: bigint; ratio: dc.DecCoins; referenceCount: number }[];
  readonly current: readonly { validator: string; period: bigint; rewards: dc.DecCoins }[];
  readonly starting: readonly { delegator: string; validator: string; previousPeriod: bigint; stake: Dec; height: bigint }[];
  readonly slashes: readonly { validator: string; height: bigint; period: bigint; fraction: Dec }[];
}

function decCoinsToJson(a: dc.DecCoins): unknown[] {
  return a.map((c) => ({ denom: c.denom, amount: formatDec(c.amount) }));
}

function readDecCoins(json: unknown, path: string): dc.DecCoins {
  return dc.fromProto(
    array(json, path).map((c, i) => {
      const coin = object(c, `${path}[${i}]`);
      return { denom: string(coin['denom'], `${path}[${i}].denom`), amount: at(`${path}[${i}].amount`, () => parseDecJson(string(coin['amount'], `${path}[${i}].amount`))).toString() };
    }),
  );
}

export function distributionGenesis(k: DistributionKeeper): GenesisHandlers<DistributionGenesis> {
  return {
    defaultGenesis: () => ({ params: paramsToJson(DEFAULT_PARAMS), fee_pool: { community_pool: [] } }),

    validate(json, addresses) {
      const g = object(json, 'distribution');
      const val = (v: unknown, path: string): string => {
        const a = string(v, path);
        at(path, () => addresses.decode(a, addresses.validatorPrefix));
        return a;
      };
      const acc = (v: unknown, path: string): string => {
        const a = string(v, path);
        at(path, () => addresses.decode(a));
        return a;
      };
      const list = <T>(field: string, read: (o: Record<string, unknown>, path: string) => T): T[] =>
        array(g[field], `distribution.${field}`).map((raw, i) => read(object(raw, `distribution.${field}[${i}]`), `distribution.${field}[${i}]`));
      return {
        params: readParams(g['params'] ?? {}),
        communityPool: readDecCoins(object(g['fee_pool'] ?? {}, 'distribution.fee_pool')['community_pool'], 'distribution.fee_pool.community_pool'),
        withdrawInfos: list('delegator_withdraw_infos', (o, p) => ({ delegator: acc(o['delegator_address'], `${p}.delegator_address`), withdraw: acc(o['withdraw_address'], `${p}.withdraw_address`) })),
        outstanding: list('outstanding_rewards', (o, p) => ({ validator: val(o['validator_address'], `${p}.validator_address`), rewards: readDecCoins(o['outstanding_rewards'], `${p}.outstanding_rewards`) })),
        commissions: list('validator_accumulated_commissions', (o, p) => ({ validator: val(o['validator_address'], `${p}.validator_address`), commission: readDecCoins(o['accumulated'], `${p}.accumulated`) })),
        historical: list('validator_historical_rewards', (o, p) => {
          const r = object(o['rewards'], `${p}.rewards`);
          return {
            validator: val(o['validator_address'], `${p}.validator_address`),
            period: uint(o['period'], `${p}.period`),
            ratio: readDecCoins(r['cumulative_reward_ratio'], `${p}.rewards.cumulative_reward_ratio`),
            referenceCount: Number(uint(r['reference_count'], `${p}.rewards.reference_count`, 2n ** 32n - 1n)),
          };
        }),
        current: list('validator_current_rewards', (o, p) => {
          const r = object(o['rewards'], `${p}.rewards`);
          return { validator: val(o['validator_address'], `${p}.validator_address`), period: uint(r['period'], `${p}.rewards.period`), rewards: readDecCoins(r['rewards'], `${p}.rewards.rewards`) };
        }),
        starting: list('delegator_starting_infos', (o, p) => {
          const s = object(o['starting_info'], `${p}.starting_info`);
          return {
            delegator: acc(o['delegator_address'], `${p}.delegator_address`),
            validator: val(o['validator_address'], `${p}.validator_address`),
            previousPeriod: uint(s['previous_period'], `${p}.starting_info.previous_period`),
            stake: at(`${p}.starting_info.stake`, () => parseDecJson(string(s['stake'], `${p}.starting_info.stake`))),
            height: uint(s['height'], `${p}.starting_info.height`),
          };
        }),
        slashes: list('validator_slash_events', (o, p) => {
          const e = object(o['validator_slash_event'], `${p}.validator_slash_event`);
          const fraction = at(`${p}.validator_slash_event.fraction`, () => parseDecJson(string(e['fraction'], `${p}.validator_slash_event.fraction`)));
          if (fraction > ONE) throw new GenesisError(`${p}.validator_slash_event.fraction: must be at most 1`);
          return { validator: val(o['validator_address'], `${p}.validator_address`), height: uint(o['height'], `${p}.height`), period: uint(e['validator_period'], `${p}.validator_slash_event.validator_period`), fraction };
        }),
      };
    },

    async init(genesis, ctx: Context) {
      const valBytes = (a: string): Bytes => ctx.addresses.decode(a, ctx.addresses.validatorPrefix);
      keys.params.set(ctx.store, toProtoParams(genesis.params));
      keys.feePool.set(ctx.store, { communityPool: dc.toProto(genesis.communityPool) });
      await k.accounts.ensureModuleAccount(ctx.store, MODULE, (a) => ctx.addresses.encode(a));
      for (const w of genesis.withdrawInfos) keys.withdrawAddrs.set(ctx.store, ctx.addresses.decode(w.delegator), ctx.addresses.decode(w.withdraw));
      for (const o of genesis.outstanding) keys.outstanding.set(ctx.store, valBytes(o.validator), { rewards: dc.toProto(o.rewards) });
      for (const c of genesis.commissions) keys.commission.set(ctx.store, valBytes(c.validator), { commission: dc.toProto(c.commission) });
      for (const h of genesis.historical) keys.historicalRewards.set(ctx.store, [valBytes(h.validator), h.period], { cumulativeRewardRatio: dc.toProto(h.ratio), referenceCount: h.referenceCount });
      for (const c of genesis.current) keys.currentRewards.set(ctx.store, valBytes(c.validator), { period: c.period, rewards: dc.toProto(c.rewards) });
      for (const s of genesis.starting) {
        keys.startingInfo.set(ctx.store, [valBytes(s.validator), ctx.addresses.decode(s.delegator)], { previousPeriod: s.previousPeriod, stake: s.stake.toString(), height: s.height });
      }
      for (const e of genesis.slashes) keys.slashEvents.set(ctx.store, [valBytes(e.validator), [e.height, e.period]], { validatorPeriod: e.period, fraction: e.fraction.toString() });

      // Validators and delegations of a new chain start their reward accounting now.
      const validators: Bytes[] = [];
      for await (const v of k.staking.allValidators(ctx.store)) validators.push(operatorBytes(v));
      for (const operator of validators) {
        if ((await keys.currentRewards.get(ctx.store, operator)) === undefined) await k.initializeValidator(ctx.store, operator);
      }
      const delegations: [Bytes, Bytes][] = [];
      for await (const pair of k.staking.allDelegations(ctx.store)) delegations.push(pair);
      for (const [delegator, operator] of delegations) {
        if ((await keys.startingInfo.get(ctx.store, [operator, delegator])) !== undefined) continue;
        await k.incrementPeriod(ctx.store, operator);
        await k.initializeDelegation(ctx, delegator, operator);
      }

      // The account must hold exactly what the records owe.
      let owed = await k.communityPool(ctx.store);
      for await (const [, o] of keys.outstanding.entries(ctx.store)) owed = dc.add(owed, dc.fromProto(o.rewards));
      const held = dc.fromCoins(await k.bank.balances(ctx.store, moduleAddress(MODULE)));
      if (dc.format(owed) !== dc.format(held)) {
        throw new GenesisError(`distribution: the ${MODULE} account holds ${dc.format(held)} but outstanding rewards and the community pool add up to ${dc.format(owed)}`);
      }
    },

    async export(ctx: QueryContext) {
      const val = (b: Bytes): string => ctx.addresses.encode(b, ctx.addresses.validatorPrefix);
      const out = {
        params: paramsToJson(await k.params(ctx.store)),
        fee_pool: { community_pool: decCoinsToJson(await k.communityPool(ctx.store)) },
        delegator_withdraw_infos: [] as unknown[],
        outstanding_rewards: [] as unknown[],
        validator_accumulated_commissions: [] as unknown[],
        validator_historical_rewards: [] as unknown[],
        validator_current_rewards: [] as unknown[],
        delegator_starting_infos: [] as unknown[],
        validator_slash_events: [] as unknown[],
      };
      for await (const [d, w] of keys.withdrawAddrs.entries(ctx.store)) out.delegator_withdraw_infos.push({ delegator_address: ctx.addresses.encode(d), withdraw_address: ctx.addresses.encode(w) });
      for await (const [v, o] of keys.outstanding.entries(ctx.store)) out.outstanding_rewards.push({ validator_address: val(v), outstanding_rewards: decCoinsToJson(dc.fromProto(o.rewards)) });
      for await (const [v, c] of keys.commission.entries(ctx.store)) out.validator_accumulated_commissions.push({ validator_address: val(v), accumulated: decCoinsToJson(dc.fromProto(c.commission)) });
      for await (const [[v, period], h] of keys.historicalRewards.entries(ctx.store)) {
        out.validator_historical_rewards.push({ validator_address: val(v), period: period.toString(), rewards: { cumulative_reward_ratio: decCoinsToJson(dc.fromProto(h.cumulativeRewardRatio)), reference_count: h.referenceCount } });
      }
      for await (const [v, c] of keys.currentRewards.entries(ctx.store)) out.validator_current_rewards.push({ validator_address: val(v), rewards: { rewards: decCoinsToJson(dc.fromProto(c.rewards)), period: c.period.toString() } });
      for await (const [[v, d], s] of keys.startingInfo.entries(ctx.store)) {
        out.delegator_starting_infos.push({ delegator_address: ctx.addresses.encode(d), validator_address: val(v), starting_info: { previous_period: s.previousPeriod.toString(), stake: formatDec(parseDec(s.stake)), height: s.height.toString() } });
      }
      for await (const [[v, [height, period]], e] of keys.slashEvents.entries(ctx.store)) {
        out.validator_slash_events.push({ validator_address: val(v), height: height.toString(), period: period.toString(), validator_slash_event: { validator_period: e.validatorPeriod.toString(), fraction: formatDec(parseDec(e.fraction)) } });
      }
      return out;
    },
  };
}
