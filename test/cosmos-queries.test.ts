// Queries Cosmos tools call that Cairn answers from its own state: staking HistoricalInfo (kept for
// historical_entries heights, then pruned), pagination totals counted when no limit is given (as the
// SDK does), and cosmos.mint inflation from the emission schedule.
import { QueryHistoricalInfoRequest, QueryHistoricalInfoResponse, QueryValidatorsRequest, QueryValidatorsResponse } from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse as MintParams } from 'cosmjs-types/cosmos/mint/v1beta1/query';
import { QueryStatusResponse } from '../proto/gen/cairn/emission/v1/query.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { stakingAppState } from './support/staking.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

let v0: TestWallet;
let v1: TestWallet;
beforeAll(async () => {
  [v0, v1] = await Promise.all([testWallet(0), testWallet(1)]);
});

async function q<T>(chain: AppChain, path: string, data: Uint8Array, decode: (b: Uint8Array) => T, height = 0n): Promise<T> {
  const r = await chain.query(path, data, height);
  if (r.code !== 0) throw new Error(`${r.codespace}/${r.code}: ${r.log}`);
  return decode(r.value);
}

const HIST = '/cosmos.staking.v1beta1.Query/HistoricalInfo';

describe('staking HistoricalInfo', () => {
  it('keeps the header and bonded set of the last historical_entries heights', async () => {
    const chain = await AppChain.start({
      appState: stakingAppState({
        validators: [{ address: v0.address, selfBond: 100_000_000n }, { address: v1.address, selfBond: 200_000_000n }],
        sections: { staking: { params: { historical_entries: 3 } } },
      }),
    });
    for (let i = 0; i < 6; i++) await chain.block();
    const hist = (h: bigint) => chain.query(HIST, QueryHistoricalInfoRequest.encode({ height: h }).finish());
    const { hist: info } = await q(chain, HIST, QueryHistoricalInfoRequest.encode({ height: 6n }).finish(), QueryHistoricalInfoResponse.decode);
    expect(info?.header.height).toBe(6n);
    expect(info?.header.chainId).toBe(CHAIN_ID);
    expect(info?.valset).toHaveLength(2);
    expect((await hist(4n)).code).toBe(0);
    // Height 3 was pruned when height 6 began (6 − 3); heights never reached are not found either.
    for (const h of [1n, 3n, 7n]) {
      const r = await hist(h);
      expect(r.code, `height ${h}`).not.toBe(0);
      expect(r.log).toContain('NotFound');
    }
  });

  it('is on by default with the SDK default of 10000 entries', async () => {
    const chain = await AppChain.start({ appState: stakingAppState({ validators: [{ address: v0.address, selfBond: 100_000_000n }] }) });
    await chain.block();
    await chain.block();
    const { hist } = await q(chain, HIST, QueryHistoricalInfoRequest.encode({ height: 1n }).finish(), QueryHistoricalInfoResponse.decode);
    expect(hist?.valset).toHaveLength(1);
  });
});

describe('pagination total', () => {
  it('is counted when no limit is given, and when count_total asks; not when paging by key', async () => {
    const chain = await AppChain.start({
      appState: stakingAppState({ validators: [{ address: v0.address, selfBond: 100_000_000n }, { address: v1.address, selfBond: 100_000_000n }] }),
    });
    await chain.block();
    const vals = (pagination?: Partial<QueryValidatorsRequest['pagination']>) =>
      q(chain, '/cosmos.staking.v1beta1.Query/Validators', QueryValidatorsRequest.encode(QueryValidatorsRequest.fromPartial({ status: '', ...(pagination ? { pagination } : {}) })).finish(), QueryValidatorsResponse.decode);
    expect((await vals()).pagination?.total).toBe(2n);
    expect((await vals({ limit: 1n })).pagination?.total).toBe(0n);
    const first = await vals({ limit: 1n, countTotal: true });
    expect(first.pagination?.total).toBe(2n);
    expect((await vals({ key: first.pagination!.nextKey })).pagination?.total).toBe(0n);
    const balances = await q(chain, '/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address: v0.address })).finish(), QueryAllBalancesResponse.decode);
    expect(balances.pagination?.total).toBe(BigInt(balances.balances.length));
  });
});

describe('cosmos.mint from the emission schedule', () => {
  it('answers the scheduled yearly mint, its ratio to supply, and the params that say so', async () => {
    const chain = await AppChain.start({ appState: stakingAppState({ validators: [{ address: v0.address, selfBond: 100_000_000n }] }) });
    await chain.block();
    const status = await q(chain, '/cairn.emission.v1.Query/Status', new Uint8Array(), QueryStatusResponse.decode);
    const text = (b: Uint8Array) => BigInt(new TextDecoder().decode(b));
    const annual = text((await q(chain, '/cosmos.mint.v1beta1.Query/AnnualProvisions', new Uint8Array(), QueryAnnualProvisionsResponse.decode)).annualProvisions);
    const inflation = text((await q(chain, '/cosmos.mint.v1beta1.Query/Inflation', new Uint8Array(), QueryInflationResponse.decode)).inflation);
    // Default schedule: 5,250,000 CAIRN in year 0 (8760 epochs), far below the room under the cap.
    const yearly = (BigInt(status.epochBudget) * 8760n);
    expect(annual).toBe(yearly * 10n ** 18n);
    expect(inflation).toBe((yearly * 10n ** 18n) / BigInt(status.supply));
    const { params } = await q(chain, '/cosmos.mint.v1beta1.Query/Params', new Uint8Array(), MintParams.decode);
    expect(params).toMatchObject({ mintDenom: 'ucairn', inflationMin: '0', inflationMax: inflation.toString(), blocksPerYear: 8760n * 3600n });
  });

  it('answers zero when minting is off', async () => {
    const chain = await AppChain.start({ appState: stakingAppState({ validators: [{ address: v0.address, selfBond: 100_000_000n }], sections: { emission: { params: { enabled: false } } } }) });
    await chain.block();
    const { inflation } = await q(chain, '/cosmos.mint.v1beta1.Query/Inflation', new Uint8Array(), QueryInflationResponse.decode);
    expect(new TextDecoder().decode(inflation)).toBe('0');
  });
});
