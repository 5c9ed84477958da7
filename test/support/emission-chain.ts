// An emission test chain: the receipts test market (operator, payer, models, escrow; 10-block
// epochs) with emission params of the test's choosing, and readers for emission's queries.
import type { GenesisState } from '../../proto/gen/cairn/emission/v1/genesis.ts';
import { EMISSION_QUERY_SERVICE } from '../../sdk/emission/queries.ts';
import * as q from '../../proto/gen/cairn/emission/v1/query.ts';
import type { EpochEmission, OperatorReward } from '../../proto/gen/cairn/emission/v1/types.ts';
import { addGenesisAccount } from '../../node/genesis.ts';
import { addGenesisValidator } from '../../modules/staking/genesis-builder.ts';
import { consensusKey } from './staking.ts';
import { AppChain } from './app-chain.ts';
import type { TestWallet } from './wallets.ts';
import { ReceiptsChain, type Role, receiptsAppState, roleWallets } from './receipts-chain.ts';

export const EPOCH_BLOCKS = 10n;

/** Emission params for tests: 4 epochs a year, so a halving every 8 epochs (80 blocks). */
export const TEST_EMISSION_PARAMS = {
  enabled: true,
  // Tests that want capacity challenges turn them on.
  capacity_challenges_per_epoch: 0,
  epochs_per_year: '4',
};

export interface EmissionChainOptions {
  readonly emission?: Record<string, unknown>;
  readonly receipts?: Record<string, unknown>;
  readonly royalty?: Record<string, unknown>;
  /** Registry params over the test ones (e.g. no trusted verifiers). */
  readonly registry?: Record<string, unknown>;
  readonly escrow?: bigint;
  readonly genesis?: Partial<Record<keyof GenesisState, unknown>>;
  /** Genesis validators (account addresses) with their self-bonds. */
  readonly validators?: readonly { address: string; selfBond: bigint }[];
}

export async function startEmissionChain(opts: EmissionChainOptions = {}): Promise<ReceiptsChain> {
  const w = await roleWallets();
  let state = receiptsAppState(w, opts.receipts, opts.royalty);
  for (const [i, v] of (opts.validators ?? []).entries()) {
    state = addGenesisAccount(state, v.address, [{ denom: 'ucairn', amount: v.selfBond + 10n ** 12n }]);
    state = addGenesisValidator(state, { operator: v.address, consensusPubKey: consensusKey(i), selfBond: v.selfBond, moniker: `validator-${i}` });
  }
  const registry = state['registry'] as { params: Record<string, unknown> };
  registry.params = { ...registry.params, ...opts.registry };
  const section = (state['emission'] ?? {}) as { params?: Record<string, unknown> };
  state['emission'] = { ...section, ...opts.genesis, params: { ...section.params, ...TEST_EMISSION_PARAMS, ...opts.emission } };
  const chain = await AppChain.start({ appState: state });
  // ReceiptsChain's constructor is private to keep its start() the usual way in; the market setup is the same.
  const Ctor = ReceiptsChain as unknown as new (c: AppChain, w: Record<Role, TestWallet>) => ReceiptsChain;
  const rc = new Ctor(chain, w);
  await rc.block();
  await rc.setupMarket(opts.escrow ?? 1_000_000_000n);
  await rc.advanceTo(11n);
  return rc;
}

const PATH = EMISSION_QUERY_SERVICE;

export async function emissionStatus(rc: ReceiptsChain): Promise<q.QueryStatusResponse> {
  return rc.query('Status', q.QueryStatusRequest, q.QueryStatusResponse, {}, PATH);
}

export async function epochEmission(rc: ReceiptsChain, epoch: bigint): Promise<{ emission: EpochEmission; rewards: OperatorReward[] }> {
  const r = await rc.query('Epoch', q.QueryEpochRequest, q.QueryEpochResponse, { epoch }, PATH);
  return { emission: r.emission!, rewards: r.rewards };
}

export async function emissionQuery<Req, Res>(rc: ReceiptsChain, method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req): Promise<Res> {
  return rc.query(method, req, res, value, PATH);
}
