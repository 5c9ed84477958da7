// chain-registry/: each chain's chain.json and assetlist.json hold the cosmos/chain-registry schema's
// essentials (required fields, patterns, enums, types), agree with what the chain really is (chain
// id, prefix, denoms, ports, gas price), and Keplr's suggestChain object is generated from them.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_CHAIN_ID } from '../cli/commands/dev.ts';
import { defaultPorts } from '../cli/commands/init.ts';
import { DEFAULT_CHAIN_ID as LOCALNET_CHAIN_ID } from '../localnet/create.ts';
import { DEFAULT_APP_CONFIG } from '../node/config.ts';
import { defaultAppState } from '../node/genesis.ts';
import { keplrChainInfo, readRegistry } from '../scripts/keplr-chain.ts';

const CHAINS = readdirSync(new URL('../chain-registry/', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const EXPECTED: Record<string, string> = { cairndev: DEV_CHAIN_ID, cairnlocalnet: LOCALNET_CHAIN_ID };

/** The schema's essentials for chain.json (chain.schema.json): what a validator of the registry checks first. */
function chainProblems(c: Record<string, unknown>): string[] {
  const p: string[] = [];
  const need = (k: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(c[k])) p.push(`${k}: ${what}`);
  };
  const str = (v: unknown) => typeof v === 'string' && v !== '';
  need('$schema', (v) => typeof v === 'string' && /^(\.\.\/)+chain\.schema\.json$/.test(v), 'must point at chain.schema.json');
  need('chain_name', (v) => typeof v === 'string' && /^[a-z0-9]+$/.test(v), 'lower-case letters and digits');
  need('chain_type', (v) => v === 'cosmos', 'cosmos');
  need('chain_id', str, 'required for cosmos chains');
  need('bech32_prefix', (v) => typeof v === 'string' && /^[a-z]+$/.test(v), 'required for cosmos chains');
  need('status', (v) => ['live', 'upcoming', 'killed'].includes(v as string), 'live, upcoming or killed');
  need('network_type', (v) => ['mainnet', 'testnet', 'devnet'].includes(v as string), 'mainnet, testnet or devnet');
  need('slip44', (v) => Number.isInteger(v), 'an integer');
  need('key_algos', (v) => Array.isArray(v) && v.every((a) => ['secp256k1', 'ethsecp256k1', 'ed25519', 'sr25519'].includes(a as string)), 'known algorithms');
  const fees = (c['fees'] as { fee_tokens?: unknown[] } | undefined)?.fee_tokens;
  if (!Array.isArray(fees) || fees.length === 0) p.push('fees.fee_tokens: required');
  for (const f of fees ?? []) {
    const t = f as Record<string, unknown>;
    if (!str(t['denom'])) p.push('fees.fee_tokens[].denom: required');
    for (const k of ['fixed_min_gas_price', 'low_gas_price', 'average_gas_price', 'high_gas_price']) if (typeof t[k] !== 'number') p.push(`fees.fee_tokens[].${k}: a number`);
  }
  const staking = (c['staking'] as { staking_tokens?: { denom?: unknown }[] } | undefined)?.staking_tokens;
  if (!Array.isArray(staking) || staking.some((s) => !str(s.denom))) p.push('staking.staking_tokens[].denom: required');
  const apis = c['apis'] as Record<string, { address?: unknown }[]> | undefined;
  for (const kind of ['rpc', 'rest', 'grpc']) if (apis !== undefined && (!Array.isArray(apis[kind]) || apis[kind]!.some((e) => !str(e.address)))) p.push(`apis.${kind}[].address: required`);
  return p;
}

function assetProblems(list: Record<string, unknown>, chainName: string): string[] {
  const p: string[] = [];
  if (list['$schema'] !== '../assetlist.schema.json') p.push('$schema');
  if (list['chain_name'] !== chainName) p.push('chain_name must match chain.json');
  const assets = list['assets'] as Record<string, unknown>[] | undefined;
  if (!Array.isArray(assets) || assets.length === 0) return [...p, 'assets: required'];
  for (const a of assets) {
    for (const k of ['description', 'base', 'name', 'display', 'symbol']) if (typeof a[k] !== 'string' || a[k] === '') p.push(`assets[].${k}: required`);
    if (!['sdk.coin', 'cw20', 'erc20', 'ics20', 'snip20', 'snip25', 'bitcoin-like', 'sdk.factory', 'evm-base', 'svm-base', 'substrate', 'unknown'].includes(a['type_asset'] as string)) p.push('assets[].type_asset');
    const units = a['denom_units'] as { denom: string; exponent: number }[];
    if (!units?.some((u) => u.denom === a['base'] && u.exponent === 0)) p.push('the base denom must be a unit with exponent 0');
    if (!units?.some((u) => u.denom === a['display'])) p.push('the display denom must be a unit');
  }
  return p;
}

describe('chain-registry/', () => {
  it('has the dev chain and the localnet', () => {
    expect(CHAINS.sort()).toEqual(['cairndev', 'cairnlocalnet']);
  });

  for (const name of CHAINS) {
    it(`${name}: chain.json and assetlist.json hold the schema's essentials and describe the chain as it runs`, () => {
      const { chain, assets } = readRegistry(name);
      expect(chainProblems(chain as unknown as Record<string, unknown>)).toEqual([]);
      expect(assetProblems(assets as unknown as Record<string, unknown>, chain.chain_name)).toEqual([]);
      expect(chain.chain_name).toBe(name);
      expect(chain.chain_id).toBe(EXPECTED[name]);
      expect(chain.bech32_prefix).toBe('cairn');
      const staking = defaultAppState()['staking'] as { params: { bond_denom: string } };
      expect(chain.staking.staking_tokens[0]!.denom).toBe(staking.params.bond_denom);
      const [price, denom] = /^([\d.]+)(\w+)$/.exec(DEFAULT_APP_CONFIG.minimumGasPrices)!.slice(1);
      expect(chain.fees.fee_tokens[0]).toMatchObject({ denom, fixed_min_gas_price: Number(price), low_gas_price: Number(price) });
    });
  }

  it('the dev chain lists the ports `npm start` listens on', () => {
    const { chain } = readRegistry('cairndev');
    const ports = defaultPorts(0);
    expect(chain.apis.rpc[0]!.address).toBe(`http://127.0.0.1:${ports.rpc}`);
    expect(chain.apis.rest[0]!.address).toBe(`http://127.0.0.1:${ports.api}`);
    expect((chain.apis as unknown as { grpc: { address: string }[] }).grpc[0]!.address).toBe(`127.0.0.1:${ports.grpc}`);
  });

  it("generates Keplr's experimentalSuggestChain object from the same data", () => {
    const { chain, assets } = readRegistry('cairndev');
    const info = keplrChainInfo(chain, assets);
    expect(info).toMatchObject({
      chainId: 'cairn-dev-1',
      rpc: 'http://127.0.0.1:26657',
      rest: 'http://127.0.0.1:1317',
      bip44: { coinType: 118 },
      bech32Config: { bech32PrefixAccAddr: 'cairn', bech32PrefixValAddr: 'cairnvaloper', bech32PrefixConsAddr: 'cairnvalcons' },
      currencies: [{ coinDenom: 'CAIRN', coinMinimalDenom: 'ucairn', coinDecimals: 6 }],
      feeCurrencies: [{ coinMinimalDenom: 'ucairn', gasPriceStep: { low: 0.025, average: 0.03, high: 0.04 } }],
      stakeCurrency: { coinMinimalDenom: 'ucairn', coinDecimals: 6 },
    });
    const local = readRegistry('cairnlocalnet');
    expect(() => keplrChainInfo(local.chain, local.assets)).toThrow(/pass --rpc and --rest/);
    expect(keplrChainInfo(local.chain, local.assets, { rpc: 'http://127.0.0.1:40001', rest: 'http://127.0.0.1:40002' }).chainId).toBe('cairn-localnet-1');
  });
});
