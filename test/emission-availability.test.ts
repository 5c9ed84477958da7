// MsgReportAvailability: bonded validators report operators' uptime for the current epoch; the chain
// takes the stake-weighted median, so a minority of liars cannot move it; uptime weighs committed
// GPUs in the operators' rewards. Reports from non-validators or for another epoch are refused.
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { weightedMedian } from '../modules/emission/availability.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { EPOCH_BLOCKS, emissionQuery, epochEmission, startEmissionChain } from './support/emission-chain.ts';
import type { ReceiptsChain } from './support/receipts-chain.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import * as registryKeys from '../modules/registry/keys.ts';
import { CHAIN_ID } from './support/app-chain.ts';
import { type TestWallet, signTx, testWallet } from './support/wallets.ts';

const report = (validator: string, epoch: bigint, reports: { operator: string; uptimeBps: number }[]): EncodeObject => ({
  typeUrl: EMISSION_TYPE_URLS.MsgReportAvailability,
  value: { validator, epoch, reports },
});

async function send(rc: ReceiptsChain, w: TestWallet, m: EncodeObject): Promise<ExecTxResult> {
  const acc = await rc.chain.account(w.address);
  const tx = await signTx(w, [m], { chainId: CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence, fee: [{ denom: 'ucairn', amount: '5000' }], gas: 1_000_000n });
  return (await rc.block([tx]))[0]!;
}

async function withValidators(powers: bigint[]): Promise<{ rc: ReceiptsChain; vals: TestWallet[] }> {
  // testWallet(1) shares its mnemonic with the market's role wallets: skip it.
  const vals = await Promise.all(powers.map((_, i) => testWallet([0, 2, 3][i]!)));
  const rc = await startEmissionChain({ validators: vals.map((v, i) => ({ address: v.address, selfBond: powers[i]! * 1_000_000n })) });
  return { rc, vals };
}

describe('availability reports', () => {
  it('take the stake-weighted median: a minority of lying validators cannot move it', async () => {
    const { rc, vals } = await withValidators([30n, 30n, 40n]);
    const operator = rc.address('operator');
    const epoch = rc.height / EPOCH_BLOCKS;
    // Two honest validators (70% of the power) measured 9000 and 9500; the third claims 0.
    expect((await send(rc, vals[0]!, report(vals[0]!.address, epoch, [{ operator, uptimeBps: 9000 }]))).code).toBe(0);
    expect((await send(rc, vals[1]!, report(vals[1]!.address, epoch, [{ operator, uptimeBps: 9500 }]))).code).toBe(0);
    expect((await send(rc, vals[2]!, report(vals[2]!.address, epoch, [{ operator, uptimeBps: 0 }]))).code).toBe(0);
    await rc.advanceTo((epoch + 1n) * EPOCH_BLOCKS);
    const rep = (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator })).reputation!;
    // Sorted by uptime: 0 (40%), 9000 (30%), 9500 (30%): half the power is reached at 9000.
    expect(rep.uptimeBps).toBe(9000);
    const pts = (await emissionQuery(rc, 'Points', q.QueryPointsRequest, q.QueryPointsResponse, { operator })).points!;
    // Committed GPUs × 90%, rounded down.
    let gpus = 0n;
    for await (const [, g] of registryKeys.gpus.entries(rc.chain.store.committed, { subPrefix: registryKeys.addressPrefix(rc.chain.app.addresses.decode(operator)) })) gpus += BigInt(g.count);
    expect(gpus).toBeGreaterThan(1n);
    expect(pts.uptimePoints).toBe((gpus * 9000n) / 10_000n);
  });

  it('weigh committed GPUs by uptime in the rewards of operators that served paid usage', async () => {
    const { rc, vals } = await withValidators([10n]);
    const operator = rc.address('operator');
    // Submitted mid-epoch, so that it settles inside the next epoch, while reports are still open.
    await rc.advanceTo(15n);
    const s = await rc.honestBatch(6);
    await rc.advanceTo((await rc.batch(s.id)).disputeEnd + 1n);
    const settled = (await rc.batch(s.id)).settledHeight;
    expect(settled).toBeGreaterThan(0n);
    const epoch = (settled - 1n) / EPOCH_BLOCKS;
    expect(rc.height / EPOCH_BLOCKS).toBe(epoch);
    expect((await send(rc, vals[0]!, report(vals[0]!.address, epoch, [{ operator, uptimeBps: 10_000 }, { operator: rc.address('operator2'), uptimeBps: 10_000 }]))).code).toBe(0);
    await rc.advanceTo((epoch + 1n) * EPOCH_BLOCKS);
    const { rewards } = await epochEmission(rc, epoch);
    expect(rewards).toHaveLength(1);
    // The operator alone served: all of the uptime weight is its (operator2 is idle and earns nothing).
    expect(BigInt(rewards[0]!.uptimeReward)).toBeGreaterThan(0n);
    const op2 = await emissionQuery(rc, 'OperatorRewards', q.QueryOperatorRewardsRequest, q.QueryOperatorRewardsResponse, { operator: rc.address('operator2') });
    expect(op2.rewards).toEqual([]);
  });

  it('are refused from a non-validator, for a past or future epoch, for an unknown operator, or malformed, changing nothing', async () => {
    const { rc, vals } = await withValidators([10n]);
    const operator = rc.address('operator');
    const epoch = rc.height / EPOCH_BLOCKS;
    const stranger = rc.w.griefer;
    const cases: [TestWallet, EncodeObject, number, RegExp][] = [
      [vals[0]!, report(vals[0]!.address, epoch - 1n, [{ operator, uptimeBps: 9000 }]), 5, /report for epoch 0, the current epoch is 1/],
      [vals[0]!, report(vals[0]!.address, epoch + 1n, [{ operator, uptimeBps: 9000 }]), 5, /the current epoch is/],
      [vals[0]!, report(vals[0]!.address, epoch, [{ operator: rc.address('payer'), uptimeBps: 9000 }]), 7, /operator not registered/],
      [vals[0]!, report(vals[0]!.address, epoch, [{ operator, uptimeBps: 10_001 }]), 6, /exceeds 10000/],
      [vals[0]!, report(vals[0]!.address, epoch, [{ operator, uptimeBps: 1 }, { operator, uptimeBps: 2 }]), 6, /reported twice/],
      [vals[0]!, report(vals[0]!.address, epoch, []), 6, /0 reports/],
    ];
    for (const [w, m, code, log] of cases) {
      const r = await send(rc, w, m);
      expect({ code: r.code, codespace: r.codespace }).toEqual({ code, codespace: 'emission' });
      expect(r.log).toMatch(log);
    }
    // A funded account that is not a validator.
    const r = await send(rc, stranger, report(stranger.address, rc.height / EPOCH_BLOCKS, [{ operator, uptimeBps: 9000 }]));
    expect({ code: r.code, codespace: r.codespace }).toEqual({ code: 4, codespace: 'emission' });
    await rc.advanceTo((epoch + 2n) * EPOCH_BLOCKS);
    const rep = (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator }).catch(() => undefined))?.reputation;
    expect(rep?.uptimeBps ?? 0).toBe(0);
  });
});

describe('availability reporters', () => {
  const setReporter = (validator: string, reporter: string): EncodeObject => ({ typeUrl: EMISSION_TYPE_URLS.MsgSetAvailabilityReporter, value: { validator, reporter } });
  const reportAs = (reporter: string, validator: string, epoch: bigint, uptimeBps: number, operator: string): EncodeObject => ({
    typeUrl: EMISSION_TYPE_URLS.MsgReportAvailability,
    value: { validator, reporter, epoch, reports: [{ operator, uptimeBps }] },
  });

  it('count the reports of the account a validator named for that validator, refuse anyone else’s, and stop once it is removed', async () => {
    const { rc, vals } = await withValidators([10n]);
    const [val, hot, stranger] = [vals[0]!, rc.w.challenger, rc.w.griefer];
    const operator = rc.address('operator');
    const epoch = rc.height / EPOCH_BLOCKS;
    // Before it is named, the hot key cannot report for the validator.
    let r = await send(rc, hot, reportAs(hot.address, val.address, epoch, 8000, operator));
    expect({ code: r.code, codespace: r.codespace }).toEqual({ code: 14, codespace: 'emission' });
    expect(r.log).toContain('has not named');
    expect((await send(rc, val, setReporter(val.address, hot.address))).code).toBe(0);
    expect((await send(rc, hot, reportAs(hot.address, val.address, epoch, 8000, operator))).code).toBe(0);
    r = await send(rc, stranger, reportAs(stranger.address, val.address, epoch, 1, operator));
    expect(r.code).toBe(14);
    // Only a validator can name a reporter.
    r = await send(rc, stranger, setReporter(stranger.address, hot.address));
    expect({ code: r.code, codespace: r.codespace }).toEqual({ code: 4, codespace: 'emission' });
    // The delegation is part of the emission genesis.
    const emission = rc.chain.app.modules.find((m) => m.name === 'emission')!;
    const exported = (await emission.genesis.export({ store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses })) as { reporters: unknown[] };
    expect(exported.reporters).toEqual([{ validator: val.address, reporter: hot.address }]);
    await rc.advanceTo((epoch + 1n) * EPOCH_BLOCKS);
    const rep = (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator })).reputation!;
    expect(rep.uptimeBps).toBe(8000);
    // Removed: the hot key's next report is refused.
    expect((await send(rc, val, setReporter(val.address, ''))).code).toBe(0);
    r = await send(rc, hot, reportAs(hot.address, val.address, rc.height / EPOCH_BLOCKS, 8000, operator));
    expect(r.code).toBe(14);
  });
});

describe('the stake-weighted median', () => {
  it('is the smallest value with at least half the weight at or below it, and ignores zero weights', () => {
    expect(weightedMedian([])).toBe(0);
    expect(weightedMedian([{ value: 10, weight: 1n }])).toBe(10);
    expect(weightedMedian([{ value: 0, weight: 49n }, { value: 9000, weight: 51n }])).toBe(9000);
    expect(weightedMedian([{ value: 0, weight: 50n }, { value: 9000, weight: 50n }])).toBe(0);
    expect(weightedMedian([{ value: 100, weight: 0n }, { value: 7, weight: 3n }])).toBe(7);
  });
});
