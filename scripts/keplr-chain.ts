// Prints Keplr's `experimentalSuggestChain` argument for a chain of chain-registry/, built from its
// chain.json and assetlist.json (the one source of the chain's names, prefixes, denoms and gas
// prices). Usage:
//   node scripts/keplr-chain.ts [cairndev|cairnlocalnet] [--rpc URL] [--rest URL]
// A localnet picks its ports when it is made: pass node0's RPC and REST from `./cairn localnet status`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ChainJson {
  chain_name: string;
  chain_id: string;
  pretty_name: string;
  bech32_prefix: string;
  slip44: number;
  fees: { fee_tokens: { denom: string; low_gas_price: number; average_gas_price: number; high_gas_price: number }[] };
  staking: { staking_tokens: { denom: string }[] };
  apis: { rpc: { address: string }[]; rest: { address: string }[] };
}

interface AssetList {
  assets: { base: string; display: string; symbol: string; denom_units: { denom: string; exponent: number }[] }[];
}

export function readRegistry(chain: string): { chain: ChainJson; assets: AssetList } {
  const dir = new URL(`../chain-registry/${chain}/`, import.meta.url);
  return {
    chain: JSON.parse(readFileSync(new URL('chain.json', dir), 'utf8')) as ChainJson,
    assets: JSON.parse(readFileSync(new URL('assetlist.json', dir), 'utf8')) as AssetList,
  };
}

export function keplrChainInfo(chain: ChainJson, assets: AssetList, endpoints: { rpc?: string; rest?: string } = {}) {
  const rpc = endpoints.rpc ?? chain.apis.rpc[0]?.address;
  const rest = endpoints.rest ?? chain.apis.rest[0]?.address;
  if (rpc === undefined || rest === undefined) throw new Error(`${chain.chain_name} lists no RPC or REST endpoint: pass --rpc and --rest`);
  const currency = (denom: string) => {
    const asset = assets.assets.find((a) => a.base === denom);
    if (asset === undefined) throw new Error(`assetlist.json has no asset ${denom}`);
    const display = asset.denom_units.find((u) => u.denom === asset.display);
    return { coinDenom: asset.symbol, coinMinimalDenom: asset.base, coinDecimals: display?.exponent ?? 0 };
  };
  const p = chain.bech32_prefix;
  return {
    chainId: chain.chain_id,
    chainName: chain.pretty_name,
    rpc,
    rest,
    bip44: { coinType: chain.slip44 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: assets.assets.map((a) => currency(a.base)),
    feeCurrencies: chain.fees.fee_tokens.map((f) => ({ ...currency(f.denom), gasPriceStep: { low: f.low_gas_price, average: f.average_gas_price, high: f.high_gas_price } })),
    stakeCurrency: currency(chain.staking.staking_tokens[0]!.denom),
    features: [] as string[],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const name = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'cairndev';
  try {
    const { chain, assets } = readRegistry(name);
    const rpc = flag('--rpc');
    const rest = flag('--rest');
    console.log(JSON.stringify(keplrChainInfo(chain, assets, { ...(rpc === undefined ? {} : { rpc }), ...(rest === undefined ? {} : { rest }) }), null, 2));
  } catch (err) {
    console.error(`keplr-chain: ${(err as Error).message}`);
    process.exit(1);
  }
}
