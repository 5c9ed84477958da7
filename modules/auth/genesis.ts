// auth genesis, in the SDK's JSON shape:
// { "params": {...}, "bech32_prefix": "cairn", "accounts": [{ "@type": "/cosmos.auth.v1beta1.BaseAccount", "address", "pub_key": null, "account_number": "0", "sequence": "0" }] }
import type { Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { pubkeyToAddress } from '../../core/crypto/address.ts';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { AddressCodec, moduleAddress } from '../../core/framework/address.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, optional, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { type AccountKeeper, DEFAULT_PARAMS } from './keeper.ts';
import { AUTH_TYPE_URLS } from '../../sdk/auth/messages.ts';
import { VESTING_TYPE_URLS } from '../../sdk/vesting/messages.ts';
import { type Amount, parseCoins, toProtoCoins } from '../../core/framework/coins.ts';
import { type Vesting, vestingProblem } from './vesting.ts';
import * as keys from './keys.ts';
import { validateParams } from './params.ts';

export interface GenesisAccount {
  readonly address: string;
  readonly pubKey: Any | undefined;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** A module account (an exported chain's): its name and permissions. */
  readonly module?: { readonly name: string; readonly permissions: readonly string[] };
  /** A vesting account's schedule and delegation tracking. */
  readonly vesting?: Vesting;
}

export interface AuthGenesis {
  readonly params: Params;
  readonly bech32Prefix: string;
  readonly accounts: readonly GenesisAccount[];
}

export const DEFAULT_BECH32_PREFIX = 'cairn';

function readParams(json: unknown): Params {
  const p = object(json, 'auth.params');
  const read = (k: string, fallback: bigint): bigint => optional(p[k], fallback, (v) => uint(v, `auth.params.${k}`));
  const params: Params = {
    maxMemoCharacters: read('max_memo_characters', DEFAULT_PARAMS.maxMemoCharacters),
    txSigLimit: read('tx_sig_limit', DEFAULT_PARAMS.txSigLimit),
    txSizeCostPerByte: read('tx_size_cost_per_byte', DEFAULT_PARAMS.txSizeCostPerByte),
    sigVerifyCostEd25519: read('sig_verify_cost_ed25519', DEFAULT_PARAMS.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: read('sig_verify_cost_secp256k1', DEFAULT_PARAMS.sigVerifyCostSecp256k1),
  };
  at('auth.params', () => validateParams(params));
  return params;
}

export function paramsToJson(p: Params): Record<string, string> {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
  };
}

export function authGenesis(accounts: AccountKeeper): GenesisHandlers<AuthGenesis> {
  return {
    defaultGenesis: () => ({ params: paramsToJson(DEFAULT_PARAMS), bech32_prefix: DEFAULT_BECH32_PREFIX, accounts: [] }),

    validate(json) {
      const g = object(json, 'auth');
      const bech32Prefix = optional(g['bech32_prefix'], DEFAULT_BECH32_PREFIX, (v) => string(v, 'auth.bech32_prefix'));
      const codec = at('auth.bech32_prefix', () => new AddressCodec(bech32Prefix));
      const seenAddresses = new Set<string>();
      const seenNumbers = new Set<bigint>();
      const list = array(g['accounts'], 'auth.accounts').map((raw, i) => {
        const path = `auth.accounts[${i}]`;
        const outer = object(raw, path);
        const type = optional(outer['@type'], AUTH_TYPE_URLS.BaseAccount, (v) => string(v, `${path}.@type`));
        if (type !== AUTH_TYPE_URLS.BaseAccount && type !== AUTH_TYPE_URLS.ModuleAccount && !VESTING_TYPES.has(type)) {
          throw new GenesisError(`${path}.@type: only ${[AUTH_TYPE_URLS.BaseAccount, AUTH_TYPE_URLS.ModuleAccount, ...VESTING_TYPES].join(', ')} are supported in genesis`);
        }
        const vesting = VESTING_TYPES.has(type) ? readVesting(outer, type, path) : undefined;
        // A module account (as `cairn genesis export` writes it) wraps its base account, as in the SDK.
        const module =
          type === AUTH_TYPE_URLS.ModuleAccount
            ? {
                name: string(outer['name'], `${path}.name`),
                permissions: array(outer['permissions'] ?? [], `${path}.permissions`).map((p, j) => string(p, `${path}.permissions[${j}]`)),
              }
            : undefined;
        const a =
          vesting !== undefined
            ? object(object(outer['base_vesting_account'], `${path}.base_vesting_account`)['base_account'], `${path}.base_vesting_account.base_account`)
            : module === undefined
              ? outer
              : object(outer['base_account'], `${path}.base_account`);
        const address = string(a['address'], `${path}.address`);
        if (module !== undefined && address !== codec.encode(moduleAddress(module.name))) {
          throw new GenesisError(`${path}.base_account.address: ${address} is not the address of module ${module.name}`);
        }
        at(`${path}.address`, () => codec.decode(address));
        if (seenAddresses.has(address)) throw new GenesisError(`${path}.address: duplicate account ${address}`);
        seenAddresses.add(address);
        const accountNumber = optional(a['account_number'], BigInt(i), (v) => uint(v, `${path}.account_number`));
        if (seenNumbers.has(accountNumber)) throw new GenesisError(`${path}.account_number: duplicate account number ${accountNumber}`);
        seenNumbers.add(accountNumber);
        const sequence = optional(a['sequence'], 0n, (v) => uint(v, `${path}.sequence`));
        const pubKey = optional(a['pub_key'], undefined, (v) => readPubKey(v, `${path}.pub_key`));
        if (pubKey !== undefined && !sameBytes(pubkeyToAddress(PubKey.decode(pubKey.value).key), codec.decode(address))) {
          throw new GenesisError(`${path}.pub_key: the key does not belong to ${address}`);
        }
        return { address, pubKey, accountNumber, sequence, ...(module === undefined ? {} : { module }), ...(vesting === undefined ? {} : { vesting }) };
      });
      return { params: readParams(g['params'] ?? {}), bech32Prefix, accounts: list };
    },

    async init(genesis, ctx: Context) {
      keys.params.set(ctx.store, genesis.params);
      keys.bech32Prefix.set(ctx.store, genesis.bech32Prefix);
      let next = 0n;
      for (const a of genesis.accounts) {
        const base = { address: a.address, ...(a.pubKey === undefined ? {} : { pubKey: a.pubKey }), accountNumber: a.accountNumber, sequence: a.sequence };
        accounts.set(
          ctx.store,
          a.module !== undefined
            ? { kind: 'module', base, module: { baseAccount: base, name: a.module.name, permissions: [...a.module.permissions] } }
            : a.vesting !== undefined
              ? { kind: 'vesting', base, vesting: a.vesting }
              : { kind: 'base', base },
        );
        if (a.accountNumber >= next) next = a.accountNumber + 1n;
      }
      keys.nextAccountNumber.set(ctx.store, next);
      // After the genesis accounts, so its number never collides with one of theirs.
      await accounts.ensureModuleAccount(ctx.store, keys.FEE_COLLECTOR, (a) => ctx.addresses.encode(a));
    },

    async export(ctx: QueryContext) {
      const list: unknown[] = [];
      for await (const [address] of keys.accounts.entries(ctx.store)) {
        const account = (await accounts.get(ctx.store, address))!;
        const base = {
          address: account.base.address,
          pub_key: account.base.pubKey === undefined ? null : pubKeyToJson(account.base.pubKey),
          account_number: account.base.accountNumber.toString(),
          sequence: account.base.sequence.toString(),
        };
        // Module accounts keep their numbers across an export, as the SDK's export does.
        if (account.kind === 'base') list.push({ '@type': AUTH_TYPE_URLS.BaseAccount, ...base });
        else if (account.kind === 'module') list.push({ '@type': AUTH_TYPE_URLS.ModuleAccount, base_account: base, name: account.module.name, permissions: [...account.module.permissions] });
        else list.push(vestingToJson(base, account.vesting));
      }
      return { params: paramsToJson(await accounts.params(ctx.store)), bech32_prefix: ctx.addresses.prefix, accounts: list };
    },
  };
}

const VESTING_TYPES: ReadonlySet<string> = new Set([
  VESTING_TYPE_URLS.ContinuousVestingAccount,
  VESTING_TYPE_URLS.DelayedVestingAccount,
  VESTING_TYPE_URLS.PeriodicVestingAccount,
]);

const VESTING_KIND: Record<string, Vesting['type']> = {
  [VESTING_TYPE_URLS.ContinuousVestingAccount]: 'continuous',
  [VESTING_TYPE_URLS.DelayedVestingAccount]: 'delayed',
  [VESTING_TYPE_URLS.PeriodicVestingAccount]: 'periodic',
};

function readCoins(json: unknown, path: string): Amount[] {
  const list = array(json, path).map((c, i) => {
    const coin = object(c, `${path}[${i}]`);
    return { denom: string(coin['denom'], `${path}[${i}].denom`), amount: string(coin['amount'], `${path}[${i}].amount`) };
  });
  return at(path, () => parseCoins(list, true));
}

/** A vesting account's schedule in the SDK's JSON (seconds as strings, coins as lists), checked as the SDK checks it. */
function readVesting(outer: Record<string, unknown>, typeUrl: string, path: string): Vesting {
  const type = VESTING_KIND[typeUrl]!;
  const bvaPath = `${path}.base_vesting_account`;
  const bva = object(outer['base_vesting_account'], bvaPath);
  const seconds = (v: unknown, p: string): bigint => uint(v, p, 2n ** 63n - 1n);
  const vesting: Vesting = {
    type,
    originalVesting: readCoins(bva['original_vesting'], `${bvaPath}.original_vesting`),
    delegatedFree: readCoins(bva['delegated_free'] ?? [], `${bvaPath}.delegated_free`),
    delegatedVesting: readCoins(bva['delegated_vesting'] ?? [], `${bvaPath}.delegated_vesting`),
    endTime: seconds(bva['end_time'], `${bvaPath}.end_time`),
    startTime: type === 'delayed' ? 0n : seconds(outer['start_time'], `${path}.start_time`),
    periods:
      type === 'periodic'
        ? array(outer['vesting_periods'], `${path}.vesting_periods`).map((raw, i) => {
            const p = object(raw, `${path}.vesting_periods[${i}]`);
            return { length: seconds(p['length'], `${path}.vesting_periods[${i}].length`), amount: readCoins(p['amount'], `${path}.vesting_periods[${i}].amount`) };
          })
        : [],
  };
  const problem = vestingProblem(vesting);
  if (problem !== undefined) throw new GenesisError(`${path}: ${problem}`);
  return vesting;
}

function vestingToJson(base: Record<string, unknown>, v: Vesting): Record<string, unknown> {
  const coins = (c: readonly Amount[]) => toProtoCoins(c);
  const baseVestingAccount = {
    base_account: base,
    original_vesting: coins(v.originalVesting),
    delegated_free: coins(v.delegatedFree),
    delegated_vesting: coins(v.delegatedVesting),
    end_time: v.endTime.toString(),
  };
  if (v.type === 'delayed') return { '@type': VESTING_TYPE_URLS.DelayedVestingAccount, base_vesting_account: baseVestingAccount };
  if (v.type === 'continuous') return { '@type': VESTING_TYPE_URLS.ContinuousVestingAccount, base_vesting_account: baseVestingAccount, start_time: v.startTime.toString() };
  return {
    '@type': VESTING_TYPE_URLS.PeriodicVestingAccount,
    base_vesting_account: baseVestingAccount,
    start_time: v.startTime.toString(),
    vesting_periods: v.periods.map((p) => ({ length: p.length.toString(), amount: coins(p.amount) })),
  };
}

function readPubKey(json: unknown, path: string): Any {
  const p = object(json, path);
  if (p['@type'] !== AUTH_TYPE_URLS.Secp256k1PubKey) throw new GenesisError(`${path}.@type: only ${AUTH_TYPE_URLS.Secp256k1PubKey} is supported`);
  const key = Buffer.from(string(p['key'], `${path}.key`), 'base64');
  if (key.length !== 33) throw new GenesisError(`${path}.key: expected a 33-byte compressed secp256k1 key`);
  return { typeUrl: AUTH_TYPE_URLS.Secp256k1PubKey, value: PubKey.encode({ key }).finish() };
}

function pubKeyToJson(any: Any): Record<string, string> {
  return { '@type': any.typeUrl, key: Buffer.from(PubKey.decode(any.value).key).toString('base64') };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
