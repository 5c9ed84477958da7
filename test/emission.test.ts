// Emission at the epoch end on the real app: quiet epochs mint nothing, paid usage is rewarded at
// most half the protocol fees it paid, validators get their share through distribution, the cap
// holds, and bad params are refused at genesis.
import { describe, expect, it } from 'vitest';
import { AddressCodec, moduleAddress } from '../core/framework/address.ts';
import { validateEmissionGenesis } from '../modules/emission/genesis.ts';
import { defaultParams } from '../modules/emission/params.ts';
import { EMISSION_ACCOUNT } from '../modules/emission/keys.ts';
import { EPOCH_BLOCKS, emissionQuery, emissionStatus, epochEmission, startEmissionChain } from './support/emission-chain.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import { FEE, type ReceiptsChain } from './support/receipts-chain.ts';
import { defaultAppState } from '../node/genesis.ts';
import { AppChain } from './support/app-chain.ts';

const DISTRIBUTION = 'distribution';

/** Submits an honest ESCROW batch of `n` receipts and walks the chain to the end of the epoch it finalizes in. */
async function paidEpoch(rc: ReceiptsChain, n: number): Promise<{ epoch: bigint; feesPaid: bigint; amount: bigint }> {
  const s = await rc.honestBatch(n);
  const b0 = await rc.batch(s.id);
  await rc.advanceTo(b0.disputeEnd + 1n);
  const b = await rc.batch(s.id);
  expect(b.settledHeight).toBeGreaterThan(0n);
  const epoch = (b.settledHeight - 1n) / EPOCH_BLOCKS;
  await rc.advanceTo((epoch + 1n) * EPOCH_BLOCKS);
  return { epoch, feesPaid: BigInt(b.split!.feeBurned) + BigInt(b.split!.feeTreasury), amount: BigInt(b.amount!.amount) };
}

describe('emission at the epoch end', () => {
  it('mints nothing in a quiet epoch: the unearned budget stays unminted', async () => {
    const rc = await startEmissionChain();
    const supply = await rc.supply();
    await rc.advanceTo(20n);
    const { emission } = await epochEmission(rc, 1n);
    expect(emission.minted).toBe('0');
    expect(emission.unminted).toBe(emission.budget);
    expect(BigInt(emission.budget)).toBe(5_250_000_000_000n / 4n);
    // Fees of the setup txs are only moved, never minted or burned here.
    expect(await rc.supply()).toBe(supply);
    expect((await emissionStatus(rc)).mintedTotal).toBe('0');
  });

  it('pays an operator with finalized paid usage automatically; everything minted for it, validators\' share included, is at most half the protocol fees its batches paid', async () => {
    const rc = await startEmissionChain();
    const before = await rc.balance(rc.address('operator'));
    const supplyBefore = await rc.supply();
    const distBefore = await rc.moduleBalance(DISTRIBUTION);
    const { epoch, feesPaid } = await paidEpoch(rc, 12);
    const { emission, rewards } = await epochEmission(rc, epoch);
    expect(rewards).toHaveLength(1);
    const r = rewards[0]!;
    expect(r.operator).toBe(rc.address('operator'));
    const total = BigInt(r.total);
    expect(total).toBeGreaterThan(0n);
    expect(total + BigInt(r.validatorsReward)).toBeLessThanOrEqual((feesPaid * 5000n) / 10_000n);
    expect(BigInt(r.feeGuardCut)).toBeGreaterThan(0n);
    expect(BigInt(r.feesPaid)).toBeLessThanOrEqual(feesPaid);
    // The operator received its split (escrow) and the reward, with no transaction of its own.
    const split = BigInt((await rc.batch(1n)).split!.operatorAmount);
    // (less the fees of its submit and reveal transactions)
    expect(await rc.balance(rc.address('operator'))).toBe(before - 2n * FEE + split + total);
    // Validators: 2000 bps of everything minted, carved out of the guarded amount (2000/8000 of the operator's part).
    expect(BigInt(r.validatorsReward)).toBe((total * 2000n) / 8000n);
    expect(BigInt(emission.validatorsMinted)).toBe(BigInt(r.validatorsReward));
    expect(BigInt(emission.minted)).toBe(total + BigInt(emission.validatorsMinted));
    expect(BigInt(emission.minted) + BigInt(emission.unminted)).toBe(BigInt(emission.budget));
    expect(await rc.moduleBalance(DISTRIBUTION)).toBeGreaterThanOrEqual(distBefore + BigInt(emission.validatorsMinted));
    expect(await rc.moduleBalance(EMISSION_ACCOUNT)).toBe(0n);
    // Supply: + minted − the burned half of the fee.
    const burned = BigInt((await rc.batch(1n)).split!.feeBurned);
    expect(await rc.supply()).toBe(supplyBefore + BigInt(emission.minted) - burned);
    const status = await emissionStatus(rc);
    expect(status.mintedTotal).toBe(emission.minted);
    expect(BigInt(status.remainingCap)).toBe(21_000_000_000_000n - (await rc.supply()));
    const byOperator = await emissionQuery(rc, 'OperatorRewards', q.QueryOperatorRewardsRequest, q.QueryOperatorRewardsResponse, { operator: rc.address('operator') });
    expect(byOperator.rewards.map((x) => x.epoch)).toEqual([epoch]);
  });

  it('never mints past max_supply: the budget shrinks to what is left under the cap', async () => {
    // A cap barely above the genesis supply (about 7 × 10^10 funded + bonds): room for a few ucairn.
    const probe = await startEmissionChain();
    const supply = await probe.supply();
    const max = supply + 100n;
    const rc = await startEmissionChain({ emission: { max_supply: max.toString(), year0_budget: (max / 4n).toString() } });
    const { epoch } = await paidEpoch(rc, 12);
    const { emission } = await epochEmission(rc, epoch);
    // The room is the 100 left at genesis plus what fees burned since: far below the schedule.
    expect(BigInt(emission.budget)).toBeLessThan(BigInt(emission.scheduled));
    expect(BigInt(emission.budget)).toBeLessThanOrEqual(max - BigInt(emission.supplyAfter) + BigInt(emission.minted));
    expect(await rc.supply()).toBeLessThanOrEqual(max);
    expect(BigInt(emission.supplyAfter)).toBeLessThanOrEqual(max);
  });

  it('mints nothing while the params leave it off (the default genesis), but keeps points and reputation', async () => {
    const rc = await startEmissionChain({ emission: { enabled: false } });
    const supplyBefore = await rc.supply();
    const { epoch, amount } = await paidEpoch(rc, 5);
    expect(amount).toBeGreaterThan(0n);
    await expect(epochEmission(rc, epoch)).rejects.toThrow(/has not ended/);
    const burned = BigInt((await rc.batch(1n)).split!.feeBurned);
    expect(await rc.supply()).toBe(supplyBefore - burned);
    const pts = await emissionQuery(rc, 'Points', q.QueryPointsRequest, q.QueryPointsResponse, { operator: rc.address('operator') });
    expect(pts.points!.workPoints).toBe(5n);
  });

  it('answers the schedule: current epoch, budget, next halving at the right epoch and height', async () => {
    const rc = await startEmissionChain();
    const s = await emissionStatus(rc);
    expect(s.currentEpoch).toBe(1n);
    expect(s.era).toBe(0n);
    // 4 epochs a year, halving every 2 years: epoch 8 starts era 1 at height 81.
    expect(s.nextHalvingEpoch).toBe(8n);
    expect(s.nextHalvingHeight).toBe(81n);
    expect(BigInt(s.nextEpochBudgetAfterHalving)).toBe(BigInt(s.epochBudget) / 2n);
    const b = await emissionQuery(rc, 'EpochBudget', q.QueryEpochBudgetRequest, q.QueryEpochBudgetResponse, { epoch: 16n });
    expect(b.era).toBe(2n);
    expect(BigInt(b.budget)).toBe(5_250_000_000_000n / 4n / 4n);
  });
});

describe('emission params', () => {
  const CODEC = new AddressCodec('cairn');
  const withParams = (p: Record<string, unknown>): unknown => ({ params: { ...p } });
  const base = {
    denom: 'ucairn',
    max_supply: '21000000000000',
    year0_budget: '5250000000000',
    halving_interval_years: 2,
    epochs_per_year: '8760',
    validator_share_bps: 2000,
    usage_weight_bps: 6000,
    jobs_weight_bps: 2000,
    uptime_weight_bps: 1000,
    availability_weight_bps: 1000,
    max_operator_share_bps: 2500,
    max_emission_per_fee_bps: 5000,
    enabled: true,
    capacity_challenges_per_epoch: 4,
    capacity_window: '600',
    fake_capacity_bps: 2000,
    fake_capacity_jail_blocks: '86400',
    capacity_challenge_bond: '10000000',
    challenger_reward_bps: 2000,
    min_active_epoch_amount: '2000000',
  };

  it('accepts the defaults: a 21M cap, 5.25M in year 0, halving every 2 years', () => {
    const g = validateEmissionGenesis(withParams(base), CODEC);
    expect(g.params).toEqual(defaultParams(CODEC));
    expect(g.params!.enabled).toBe(true);
  });

  it.each([
    [{ year0_budget: '6000000000000' }, /would mint .* more than max_supply/],
    [{ max_supply: '1000' }, /exceeds max_supply/],
    [{ usage_weight_bps: 7000 }, /weights sum to 11000, not 10000/],
    [{ validator_share_bps: 10_001 }, /validator_share_bps 10001 must be an integer between 0 and 9999/],
    [{ max_operator_share_bps: 0 }, /max_operator_share_bps 0/],
    [{ max_emission_per_fee_bps: 10_000 }, /max_emission_per_fee_bps 10000/],
    [{ epochs_per_year: '0' }, /epochs_per_year 0/],
    [{ max_supply: 'lots' }, /max_supply "lots" is not a non-negative integer/],
    [{ capacity_challenge_bond: '0' }, /capacity_challenge_bond must be positive/],
    [{ challenger_reward_bps: 10_001 }, /challenger_reward_bps 10001/],
    [{ min_active_epoch_amount: '0' }, /min_active_epoch_amount must be positive/],
    [{ min_active_epoch_amount: '-5' }, /min_active_epoch_amount "-5" is not a non-negative integer/],
  ])('refuses %o with a clear error', (change, message) => {
    expect(() => validateEmissionGenesis(withParams({ ...base, ...change }), CODEC)).toThrow(message);
  });

  it('refuses a genesis whose supply is already above the cap', async () => {
    await expect(startEmissionChain({ emission: { max_supply: '1000', year0_budget: '100' } })).rejects.toThrow(/genesis supply .* exceeds max_supply 1000/);
  });
});

describe('the default genesis (cairn init, npm start, localnet)', () => {
  it('mints and picks capacity challenges: a real network pays its operators', async () => {
    const chain = await AppChain.start({ appState: defaultAppState() });
    await chain.block();
    const r = await chain.query('/cairn.emission.v1.Query/Params', q.QueryParamsRequest.encode({}).finish());
    const p = q.QueryParamsResponse.decode(r.value).params!;
    expect(p.enabled).toBe(true);
    expect(p.capacityChallengesPerEpoch).toBeGreaterThan(0);
    expect(p.authority).toBe(chain.app.addresses.encode(moduleAddress('gov')));
  });
});

describe('emission account', () => {
  it('exists as a module account with minter permission after genesis', async () => {
    const rc = await startEmissionChain();
    const acc = await rc.chain.app.accounts.get(rc.chain.store.committed, moduleAddress(EMISSION_ACCOUNT));
    expect(acc?.kind).toBe('module');
    expect(acc?.kind === 'module' ? acc.module.permissions : []).toContain('minter');
  });
});

