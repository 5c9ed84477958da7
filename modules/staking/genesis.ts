// staking genesis, in the SDK's JSON shape (Decs as decimals, int64 as strings), plus Cairn's
// `completion_height` on unbonding and redelegation entries (the unbonding period is in blocks).
//
// A new chain lists its validators UNBONDED with their self-bond held by not_bonded_tokens_pool (see
// genesis-builder.ts, used by `cairn genesis add-validator`); InitChain bonds the top max_validators
// and returns them to CometBFT. An exported genesis carries BONDED validators, their tokens in
// bonded_tokens_pool, and last_validator_powers, which InitChain returns as they are.
import { BondStatus, type Delegation, type Redelegation, type UnbondingDelegation, type Validator, bondStatusFromJSON, bondStatusToJSON } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { type AddressCodec, moduleAddress } from '../../core/framework/address.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, optional, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { consensusKeyBytes, ed25519Any, encodeValoper, hex } from './addresses.ts';
import { type Dec, decToProto, formatDec, parseDec, parseDecJson } from '../../core/framework/dec.ts';
import { parseRates, validateDescription } from './description.ts';
import type { StakingKeeper } from './keeper.ts';
import { readTime, timeToJson } from '../../core/framework/time.ts';
import * as keys from './keys.ts';
import { BONDED_POOL, NOT_BONDED_POOL } from './keys.ts';
import { DEFAULT_PARAMS, type StakingParams, paramsToJson, readParams, toProtoParams } from './params.ts';
import { applyValidatorSetUpdates } from './validator-set.ts';
import { consAddressOf, isBonded, operatorBytes, sharesOf, tokensOf } from './view.ts';

interface Entry {
  readonly creationHeight: bigint;
  readonly completionHeight: bigint;
  readonly completionTime: Timestamp;
  readonly initialBalance: bigint;
  readonly balance: bigint;
  readonly sharesDst: Dec;
  readonly unbondingId: bigint;
}

export interface StakingGenesis {
  readonly params: StakingParams;
  readonly lastValidatorPowers: readonly { operator: string; power: bigint }[];
  readonly validators: readonly Validator[];
  readonly delegations: readonly Delegation[];
  readonly unbonding: readonly { delegator: string; validator: string; entries: Entry[] }[];
  readonly redelegations: readonly { delegator: string; src: string; dst: string; entries: Entry[] }[];
}

// ---- JSON ----


function readDec(v: unknown, path: string): Dec {
  return at(path, () => parseDecJson(string(v, path)));
}

export function validatorToJson(v: Validator): Record<string, unknown> {
  const rates = v.commission.commissionRates;
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: { '@type': v.consensusPubkey!.typeUrl, key: Buffer.from(consensusKeyBytes(v.consensusPubkey)).toString('base64') },
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens,
    delegator_shares: formatDec(parseDec(v.delegatorShares)),
    description: {
      moniker: v.description.moniker,
      identity: v.description.identity,
      website: v.description.website,
      security_contact: v.description.securityContact,
      details: v.description.details,
    },
    unbonding_height: v.unbondingHeight.toString(),
    unbonding_time: timeToJson(v.unbondingTime),
    commission: {
      commission_rates: { rate: formatDec(parseDec(rates.rate)), max_rate: formatDec(parseDec(rates.maxRate)), max_change_rate: formatDec(parseDec(rates.maxChangeRate)) },
      update_time: timeToJson(v.commission.updateTime),
    },
    min_self_delegation: v.minSelfDelegation,
  };
}

function readValidator(raw: unknown, path: string, addresses: AddressCodec): Validator {
  const v = object(raw, path);
  const operatorAddress = string(v['operator_address'], `${path}.operator_address`);
  at(`${path}.operator_address`, () => addresses.decode(operatorAddress, addresses.validatorPrefix));
  const pk = object(v['consensus_pubkey'], `${path}.consensus_pubkey`);
  const keyBytes = Buffer.from(string(pk['key'], `${path}.consensus_pubkey.key`), 'base64');
  const consensusPubkey = { ...ed25519Any(keyBytes), typeUrl: string(pk['@type'], `${path}.consensus_pubkey.@type`) };
  at(`${path}.consensus_pubkey`, () => consensusKeyBytes(consensusPubkey));
  const status = bondStatusFromJSON(optional(v['status'], 'BOND_STATUS_UNBONDED', (s) => string(s, `${path}.status`)));
  if (status !== BondStatus.BOND_STATUS_BONDED && status !== BondStatus.BOND_STATUS_UNBONDING && status !== BondStatus.BOND_STATUS_UNBONDED) {
    throw new GenesisError(`${path}.status: expected BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or BOND_STATUS_UNBONDED`);
  }
  const d = object(v['description'] ?? {}, `${path}.description`);
  const text = (k: string): string => optional(d[k], '', (x) => string(x, `${path}.description.${k}`));
  const description = { moniker: text('moniker'), identity: text('identity'), website: text('website'), securityContact: text('security_contact'), details: text('details') };
  at(`${path}.description`, () => validateDescription(description, true));
  const c = object(v['commission'], `${path}.commission`);
  const r = object(c['commission_rates'], `${path}.commission.commission_rates`);
  const rates = {
    rate: decToProto(readDec(r['rate'], `${path}.commission.commission_rates.rate`)),
    maxRate: decToProto(readDec(r['max_rate'], `${path}.commission.commission_rates.max_rate`)),
    maxChangeRate: decToProto(readDec(r['max_change_rate'], `${path}.commission.commission_rates.max_change_rate`)),
  };
  at(`${path}.commission.commission_rates`, () => parseRates(rates));
  const zero = '1970-01-01T00:00:00.000Z';
  return {
    operatorAddress,
    consensusPubkey,
    jailed: optional(v['jailed'], false, (x) => {
      if (typeof x !== 'boolean') throw new GenesisError(`${path}.jailed: expected a boolean`);
      return x;
    }),
    status,
    tokens: uint(v['tokens'], `${path}.tokens`, 2n ** 256n - 1n).toString(),
    delegatorShares: decToProto(readDec(v['delegator_shares'], `${path}.delegator_shares`)),
    description,
    unbondingHeight: optional(v['unbonding_height'], 0n, (x) => uint(x, `${path}.unbonding_height`)),
    unbondingTime: readTime(v['unbonding_time'] ?? zero, `${path}.unbonding_time`),
    commission: { commissionRates: rates, updateTime: readTime(c['update_time'] ?? zero, `${path}.commission.update_time`) },
    minSelfDelegation: optional(v['min_self_delegation'], 1n, (x) => uint(x, `${path}.min_self_delegation`, 2n ** 256n - 1n)).toString(),
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  };
}

function entryToJson(e: Entry, redelegation: boolean): Record<string, unknown> {
  return {
    creation_height: e.creationHeight.toString(),
    completion_height: e.completionHeight.toString(),
    completion_time: timeToJson(e.completionTime),
    initial_balance: e.initialBalance.toString(),
    ...(redelegation ? { shares_dst: formatDec(e.sharesDst) } : { balance: e.balance.toString() }),
    unbonding_id: e.unbondingId.toString(),
  };
}

function readEntry(raw: unknown, path: string, redelegation: boolean): Entry {
  const e = object(raw, path);
  const initialBalance = uint(e['initial_balance'], `${path}.initial_balance`, 2n ** 256n - 1n);
  return {
    creationHeight: uint(e['creation_height'], `${path}.creation_height`),
    completionHeight: uint(e['completion_height'], `${path}.completion_height`),
    completionTime: readTime(e['completion_time'] ?? '1970-01-01T00:00:00Z', `${path}.completion_time`),
    initialBalance,
    balance: redelegation ? 0n : uint(e['balance'], `${path}.balance`, 2n ** 256n - 1n),
    sharesDst: redelegation ? readDec(e['shares_dst'], `${path}.shares_dst`) : 0n,
    unbondingId: uint(e['unbonding_id'], `${path}.unbonding_id`),
  };
}

export function stakingGenesis(k: StakingKeeper): GenesisHandlers<StakingGenesis> {
  return {
    defaultGenesis: () => ({
      params: paramsToJson(DEFAULT_PARAMS),
      last_total_power: '0',
      last_validator_powers: [],
      validators: [],
      delegations: [],
      unbonding_delegations: [],
      redelegations: [],
    }),

    validate(json, addresses) {
      const g = object(json, 'staking');
      const params = readParams(g['params'] ?? {});
      const operators = new Set<string>();
      const consKeys = new Set<string>();
      const validators = array(g['validators'], 'staking.validators').map((raw, i) => {
        const path = `staking.validators[${i}]`;
        const v = readValidator(raw, path, addresses);
        if (operators.has(v.operatorAddress)) throw new GenesisError(`${path}.operator_address: duplicate validator ${v.operatorAddress}`);
        operators.add(v.operatorAddress);
        const cons = hex(consAddressOf(v));
        if (consKeys.has(cons)) throw new GenesisError(`${path}.consensus_pubkey: the consensus key is used by another validator`);
        consKeys.add(cons);
        return v;
      });
      const shareSums = new Map<string, Dec>();
      const pairs = new Set<string>();
      const delegations = array(g['delegations'], 'staking.delegations').map((raw, i) => {
        const path = `staking.delegations[${i}]`;
        const d = object(raw, path);
        const delegatorAddress = string(d['delegator_address'], `${path}.delegator_address`);
        at(`${path}.delegator_address`, () => addresses.decode(delegatorAddress));
        const validatorAddress = string(d['validator_address'], `${path}.validator_address`);
        if (!operators.has(validatorAddress)) throw new GenesisError(`${path}.validator_address: no validator ${validatorAddress} in staking.validators`);
        const shares = readDec(d['shares'], `${path}.shares`);
        if (shares === 0n) throw new GenesisError(`${path}.shares: must be positive`);
        const pair = `${delegatorAddress}/${validatorAddress}`;
        if (pairs.has(pair)) throw new GenesisError(`${path}: duplicate delegation ${pair}`);
        pairs.add(pair);
        shareSums.set(validatorAddress, (shareSums.get(validatorAddress) ?? 0n) + shares);
        return { delegatorAddress, validatorAddress, shares: decToProto(shares) };
      });
      for (const v of validators) {
        const sum = shareSums.get(v.operatorAddress) ?? 0n;
        if (sum !== sharesOf(v)) {
          throw new GenesisError(`staking.validators: ${v.operatorAddress} has delegator_shares ${formatDec(sharesOf(v))} but its delegations add up to ${formatDec(sum)}`);
        }
      }
      const readPairList = (field: string, redelegation: boolean) =>
        array(g[field], `staking.${field}`).map((raw, i) => {
          const path = `staking.${field}[${i}]`;
          const u = object(raw, path);
          const delegator = string(u['delegator_address'], `${path}.delegator_address`);
          at(`${path}.delegator_address`, () => addresses.decode(delegator));
          const names = redelegation ? ['validator_src_address', 'validator_dst_address'] : ['validator_address'];
          const vals = names.map((n) => {
            const a = string(u[n], `${path}.${n}`);
            at(`${path}.${n}`, () => addresses.decode(a, addresses.validatorPrefix));
            return a;
          });
          const entries = array(u['entries'], `${path}.entries`).map((e, j) => readEntry(e, `${path}.entries[${j}]`, redelegation));
          return { delegator, vals, entries };
        });
      const unbonding = readPairList('unbonding_delegations', false).map((u) => ({ delegator: u.delegator, validator: u.vals[0]!, entries: u.entries }));
      const redelegations = readPairList('redelegations', true).map((u) => ({ delegator: u.delegator, src: u.vals[0]!, dst: u.vals[1]!, entries: u.entries }));
      const lastValidatorPowers = array(g['last_validator_powers'], 'staking.last_validator_powers').map((raw, i) => {
        const path = `staking.last_validator_powers[${i}]`;
        const p = object(raw, path);
        const operator = string(p['address'], `${path}.address`);
        if (!operators.has(operator)) throw new GenesisError(`${path}.address: no validator ${operator} in staking.validators`);
        return { operator, power: uint(p['power'], `${path}.power`) };
      });
      return { params, lastValidatorPowers, validators, delegations, unbonding, redelegations };
    },

    async init(genesis, ctx: Context) {
      const { params } = genesis;
      keys.params.set(ctx.store, toProtoParams(params, 0n));
      keys.unbondingBlocks.set(ctx.store, params.unbondingBlocks);
      const encode = (a: Uint8Array): string => ctx.addresses.encode(a);
      await k.accounts.ensureModuleAccount(ctx.store, BONDED_POOL, encode, ['burner', 'staking']);
      await k.accounts.ensureModuleAccount(ctx.store, NOT_BONDED_POOL, encode, ['burner', 'staking']);

      let bonded = 0n;
      let notBonded = 0n;
      for (const v of genesis.validators) {
        const operator = operatorBytes(v);
        await k.setValidator(ctx.store, v);
        keys.validatorsByConsAddr.set(ctx.store, consAddressOf(v), operator);
        if (v.status === BondStatus.BOND_STATUS_UNBONDING) keys.validatorQueue.set(ctx.store, [v.unbondingHeight + params.unbondingBlocks, operator], v.unbondingHeight);
        if (isBonded(v)) bonded += tokensOf(v);
        else notBonded += tokensOf(v);
      }
      for (const d of genesis.delegations) {
        const delegator = ctx.addresses.decode(d.delegatorAddress);
        const operator = ctx.addresses.decode(d.validatorAddress, ctx.addresses.validatorPrefix);
        keys.delegations.set(ctx.store, [delegator, operator], d);
        keys.delegationsByValidator.set(ctx.store, [operator, delegator], true);
      }
      let nextId = 1n;
      const track = (e: Entry): void => {
        keys.entryCompletion.set(ctx.store, e.unbondingId, e.completionHeight);
        if (e.unbondingId >= nextId) nextId = e.unbondingId + 1n;
      };
      for (const u of genesis.unbonding) {
        const delegator = ctx.addresses.decode(u.delegator);
        const operator = ctx.addresses.decode(u.validator, ctx.addresses.validatorPrefix);
        const ubd: UnbondingDelegation = {
          delegatorAddress: u.delegator,
          validatorAddress: u.validator,
          entries: u.entries.map((e) => ({
            creationHeight: e.creationHeight,
            completionTime: e.completionTime,
            initialBalance: e.initialBalance.toString(),
            balance: e.balance.toString(),
            unbondingId: e.unbondingId,
            unbondingOnHoldRefCount: 0n,
          })),
        };
        keys.unbondingDelegations.set(ctx.store, [delegator, operator], ubd);
        keys.unbondingByValidator.set(ctx.store, [operator, delegator], true);
        for (const e of u.entries) {
          keys.unbondingQueue.set(ctx.store, [e.completionHeight, e.unbondingId], { delegatorAddress: u.delegator, validatorAddress: u.validator });
          track(e);
          notBonded += e.balance;
        }
      }
      for (const r of genesis.redelegations) {
        const delegator = ctx.addresses.decode(r.delegator);
        const src = ctx.addresses.decode(r.src, ctx.addresses.validatorPrefix);
        const dst = ctx.addresses.decode(r.dst, ctx.addresses.validatorPrefix);
        const red: Redelegation = {
          delegatorAddress: r.delegator,
          validatorSrcAddress: r.src,
          validatorDstAddress: r.dst,
          entries: r.entries.map((e) => ({
            creationHeight: e.creationHeight,
            completionTime: e.completionTime,
            initialBalance: e.initialBalance.toString(),
            sharesDst: decToProto(e.sharesDst),
            unbondingId: e.unbondingId,
            unbondingOnHoldRefCount: 0n,
          })),
        };
        keys.redelegations.set(ctx.store, [delegator, [src, dst]], red);
        keys.redelegationsBySrc.set(ctx.store, [src, [delegator, dst]], true);
        keys.redelegationsByDst.set(ctx.store, [dst, [delegator, src]], true);
        for (const e of r.entries) {
          keys.redelegationQueue.set(ctx.store, [e.completionHeight, e.unbondingId], { delegatorAddress: r.delegator, validatorSrcAddress: r.src, validatorDstAddress: r.dst });
          track(e);
        }
      }
      keys.nextUnbondingId.set(ctx.store, nextId);

      // The pools must hold exactly what the records say, or every later invariant check would fail.
      const held = async (pool: string): Promise<bigint> => k.bank.balance(ctx.store, moduleAddress(pool), params.bondDenom);
      // The usual cause: a validator written into the section by hand, its tokens never taken from a balance.
      const hint = 'a genesis validator\'s tokens must come out of its operator\'s balance into that pool (`cairn genesis add-validator` does this)';
      if ((await held(BONDED_POOL)) !== bonded) {
        throw new GenesisError(`staking: ${BONDED_POOL} holds ${await held(BONDED_POOL)}${params.bondDenom} but bonded validators have ${bonded}: ${hint}`);
      }
      if ((await held(NOT_BONDED_POOL)) !== notBonded) {
        throw new GenesisError(`staking: ${NOT_BONDED_POOL} holds ${await held(NOT_BONDED_POOL)}${params.bondDenom} but unbonded validators and unbonding entries have ${notBonded}: ${hint}`);
      }

      let updates: ValidatorUpdate[];
      if (genesis.lastValidatorPowers.length > 0) {
        updates = [];
        let total = 0n;
        for (const { operator, power } of genesis.lastValidatorPowers) {
          const bytes = ctx.addresses.decode(operator, ctx.addresses.validatorPrefix);
          const v = (await k.validator(ctx.store, bytes))!;
          keys.lastValidatorPowers.set(ctx.store, bytes, power);
          updates.push({ pubKey: { ed25519: consensusKeyBytes(v.consensusPubkey) }, power });
          total += power;
        }
        keys.lastTotalPower.set(ctx.store, total);
      } else {
        updates = await applyValidatorSetUpdates(k, ctx);
      }
      return { validatorUpdates: updates };
    },

    async export(ctx: QueryContext) {
      const params = await k.params(ctx.store);
      const validators: unknown[] = [];
      for await (const v of k.allValidators(ctx.store)) validators.push(validatorToJson(v));
      const delegations: unknown[] = [];
      for await (const [, d] of keys.delegations.entries(ctx.store)) {
        delegations.push({ delegator_address: d.delegatorAddress, validator_address: d.validatorAddress, shares: formatDec(parseDec(d.shares)) });
      }
      const completion = async (id: bigint): Promise<bigint> => (await keys.entryCompletion.get(ctx.store, id)) ?? 0n;
      const unbonding: unknown[] = [];
      for await (const [, u] of keys.unbondingDelegations.entries(ctx.store)) {
        const entries: unknown[] = [];
        for (const e of u.entries) {
          entries.push(
            entryToJson(
              { creationHeight: e.creationHeight, completionHeight: await completion(e.unbondingId), completionTime: e.completionTime, initialBalance: BigInt(e.initialBalance), balance: BigInt(e.balance), sharesDst: 0n, unbondingId: e.unbondingId },
              false,
            ),
          );
        }
        unbonding.push({ delegator_address: u.delegatorAddress, validator_address: u.validatorAddress, entries });
      }
      const redelegations: unknown[] = [];
      for await (const [, r] of keys.redelegations.entries(ctx.store)) {
        const entries: unknown[] = [];
        for (const e of r.entries) {
          entries.push(
            entryToJson(
              { creationHeight: e.creationHeight, completionHeight: await completion(e.unbondingId), completionTime: e.completionTime, initialBalance: BigInt(e.initialBalance), balance: 0n, sharesDst: parseDec(e.sharesDst), unbondingId: e.unbondingId },
              true,
            ),
          );
        }
        redelegations.push({ delegator_address: r.delegatorAddress, validator_src_address: r.validatorSrcAddress, validator_dst_address: r.validatorDstAddress, entries });
      }
      const lastPowers: unknown[] = [];
      for await (const [operator, power] of keys.lastValidatorPowers.entries(ctx.store)) {
        lastPowers.push({ address: encodeValoper(ctx.addresses, operator), power: power.toString() });
      }
      return {
        params: paramsToJson(params),
        last_total_power: ((await keys.lastTotalPower.get(ctx.store)) ?? 0n).toString(),
        last_validator_powers: lastPowers,
        validators,
        delegations,
        unbonding_delegations: unbonding,
        redelegations,
      };
    },
  };
}

