// bank genesis in the SDK's JSON shape: params, balances, supply (optional; checked against the
// balances when given), denom_metadata.
import type { Metadata, Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { type Amount, formatCoins, parseCoins, sumCoins, validateDenom } from '../../core/framework/coins.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, array, at, object, optional, string, uint } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import type { AuthApi } from '../auth/api.ts';
import type { BankKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { validateParams } from './params.ts';

export interface BankGenesis {
  readonly params: Params;
  readonly balances: readonly { address: string; coins: Amount[] }[];
  readonly denomMetadata: readonly Metadata[];
}

export const CAIRN_METADATA: Metadata = {
  description: 'The native staking and fee token of Cairn',
  denomUnits: [
    { denom: 'ucairn', exponent: 0, aliases: ['microcairn'] },
    { denom: 'mcairn', exponent: 3, aliases: ['millicairn'] },
    { denom: 'cairn', exponent: 6, aliases: [] },
  ],
  base: 'ucairn',
  display: 'cairn',
  name: 'Cairn',
  symbol: 'CAIRN',
  uri: '',
  uriHash: '',
};

function readCoins(json: unknown, path: string): Amount[] {
  return at(path, () =>
    parseCoins(
      array(json, path).map((c, i) => {
        const coin = object(c, `${path}[${i}]`);
        return { denom: string(coin['denom'], `${path}[${i}].denom`), amount: string(coin['amount'], `${path}[${i}].amount`) };
      }),
      true,
    ),
  );
}

function readMetadata(json: unknown, path: string): Metadata {
  const m = object(json, path);
  const base = string(m['base'], `${path}.base`);
  at(`${path}.base`, () => validateDenom(base));
  const denomUnits = array(m['denom_units'], `${path}.denom_units`).map((u, i) => {
    const unit = object(u, `${path}.denom_units[${i}]`);
    return {
      denom: string(unit['denom'], `${path}.denom_units[${i}].denom`),
      exponent: Number(uint(unit['exponent'] ?? 0, `${path}.denom_units[${i}].exponent`, 18n)),
      aliases: array(unit['aliases'], `${path}.denom_units[${i}].aliases`).map((a, j) => string(a, `${path}.denom_units[${i}].aliases[${j}]`)),
    };
  });
  if (denomUnits[0]?.denom !== base || denomUnits[0].exponent !== 0) {
    throw new GenesisError(`${path}.denom_units: the first unit must be the base denom ${base} with exponent 0`);
  }
  const display = optional(m['display'], base, (v) => string(v, `${path}.display`));
  if (!denomUnits.some((u) => u.denom === display)) throw new GenesisError(`${path}.display: ${display} is not one of the denom units`);
  const text = (k: string): string => optional(m[k], '', (v) => string(v, `${path}.${k}`));
  return { description: text('description'), denomUnits, base, display, name: text('name'), symbol: text('symbol'), uri: text('uri'), uriHash: text('uri_hash') };
}

export function metadataToJson(m: Metadata): unknown {
  return {
    description: m.description,
    denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
    base: m.base,
    display: m.display,
    name: m.name,
    symbol: m.symbol,
    uri: m.uri,
    uri_hash: m.uriHash,
  };
}

export function bankGenesis(bank: BankKeeper, accounts: AuthApi): GenesisHandlers<BankGenesis> {
  return {
    defaultGenesis: () => ({
      params: { send_enabled: [], default_send_enabled: true },
      balances: [],
      supply: [],
      denom_metadata: [metadataToJson(CAIRN_METADATA)],
    }),

    validate(json, addresses) {
      const g = object(json, 'bank');
      const p = object(g['params'] ?? {}, 'bank.params');
      const params: Params = {
        sendEnabled: array(p['send_enabled'], 'bank.params.send_enabled').map((e, i) => {
          const entry = object(e, `bank.params.send_enabled[${i}]`);
          return { denom: string(entry['denom'], `bank.params.send_enabled[${i}].denom`), enabled: entry['enabled'] === true };
        }),
        defaultSendEnabled: optional(p['default_send_enabled'], true, (v) => {
          if (typeof v !== 'boolean') throw new GenesisError('bank.params.default_send_enabled: expected a boolean');
          return v;
        }),
      };
      at('bank.params', () => validateParams(params));
      const seen = new Set<string>();
      const balances = array(g['balances'], 'bank.balances').map((b, i) => {
        const path = `bank.balances[${i}]`;
        const entry = object(b, path);
        const address = string(entry['address'], `${path}.address`);
        at(`${path}.address`, () => addresses.decode(address));
        if (seen.has(address)) throw new GenesisError(`${path}.address: duplicate balance entry for ${address}`);
        seen.add(address);
        return { address, coins: readCoins(entry['coins'], `${path}.coins`) };
      });
      const supply = readCoins(g['supply'], 'bank.supply');
      const computed = sumCoins(balances.map((b) => b.coins));
      if (supply.length > 0 && formatCoins(supply) !== formatCoins(computed)) {
        throw new GenesisError(`bank.supply: ${formatCoins(supply)} does not equal the sum of balances ${formatCoins(computed)}`);
      }
      const bases = new Set<string>();
      const denomMetadata = array(g['denom_metadata'], 'bank.denom_metadata').map((m, i) => {
        const md = readMetadata(m, `bank.denom_metadata[${i}]`);
        if (bases.has(md.base)) throw new GenesisError(`bank.denom_metadata[${i}].base: duplicate metadata for ${md.base}`);
        bases.add(md.base);
        return md;
      });
      return { params, balances, denomMetadata };
    },

    async init(genesis, ctx: Context) {
      keys.params.set(ctx.store, genesis.params);
      for (const m of genesis.denomMetadata) keys.denomMetadata.set(ctx.store, m.base, m);
      // The supply is written once per denom, not once per balance (a 1M-account genesis rewrote it a
      // million times); the state is the same.
      const totals = new globalThis.Map<string, bigint>();
      for (const b of genesis.balances) {
        const address = ctx.addresses.decode(b.address);
        await accounts.ensure(ctx.store, address, b.address);
        for (const coin of b.coins) {
          bank.initBalance(ctx.store, address, coin);
          totals.set(coin.denom, (totals.get(coin.denom) ?? 0n) + coin.amount);
        }
      }
      await bank.addGenesisSupply(ctx.store, totals);
    },

    async export(ctx: QueryContext) {
      const balances = new globalThis.Map<string, { denom: string; amount: string }[]>();
      for await (const [[address, denom], amount] of keys.balances.entries(ctx.store)) {
        const bech32 = ctx.addresses.encode(address);
        const list = balances.get(bech32) ?? [];
        list.push({ denom, amount: amount.toString() });
        balances.set(bech32, list);
      }
      const supply: { denom: string; amount: string }[] = [];
      for await (const [denom, amount] of keys.supply.entries(ctx.store)) supply.push({ denom, amount: amount.toString() });
      const metadata: unknown[] = [];
      for await (const [, m] of keys.denomMetadata.entries(ctx.store)) metadata.push(metadataToJson(m));
      const params = await bank.params(ctx.store);
      return {
        params: { send_enabled: [], default_send_enabled: params.defaultSendEnabled },
        balances: [...balances.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([address, coins]) => ({ address, coins })),
        supply,
        denom_metadata: metadata,
      };
    },
  };
}

