// The coalition strategies of the economics simulation (bench/sim.ts), each against a run of the same
// chain in which the coalition does nothing (same honest traffic), so the figure is what the strategy
// gained or lost compared with doing nothing:
//   wash-validator-N%  operator2 is operator, payer, the sole royalty recipient of the model it serves
//                      and a validator with N% of the bonded stake (its own account, self-bonded), with
//                      a real but idle 8-GPU fleet its validator reports fully up (the only uptime
//                      report, so the median); it washes a dozen receipts through itself every epoch
//                      (finding 5's attack: before the coalition guard it gained ~0.15 × the fee a
//                      cycle at 60%). Its wealth counts balance,
//                      escrow, bond and the validator's outstanding rewards (commission and its
//                      self-delegation's), so the validators' share of its own emission is counted.
//   sybil-splitter     the same coalition (20% of the stake) washes the same amount split across three
//                      operators it registers (operator2, griefer, adapterAuthor).
//   reputation-farmer  operator2 pays itself one token receipt an epoch to rank in the catalog.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { type Batch, buildBatch } from '../sdk/receipts/batch.ts';
import { QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import * as receiptsKeys from '../modules/receipts/keys.ts';
import { fixedKey } from '../test/support/receipts-fixtures.ts';
import { type ReceiptsChain, type Role, receiptMsgs, roleWallets } from '../test/support/receipts-chain.ts';
import { EPOCH_BLOCKS, emissionQuery, startEmissionChain } from '../test/support/emission-chain.ts';
import { DENOM, gpu, msgs as registryMsgs } from '../test/support/registry.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';

const UNIT_PRICE = '10000';
/** The wash trades ~30 CAIRN receipts (~360 CAIRN an epoch): large enough that transaction fees do not hide what minting gives back. */
const WASH_PRICE = '100000';
const RECEIPTS_PER_EPOCH = 12;
/** Bonded stake of the two genesis validators together: 1,000 CAIRN. */
const TOTAL_STAKE = 1_000_000_000n;
const WASH_MODEL = 'wash-model';
const DEC = 10n ** 18n;

export const STAKE_FRACTIONS_BPS = [500, 2000, 6000] as const;

export interface CoalitionResult {
  /** Wealth gained (negative: lost) against the same run with the coalition idle. */
  readonly profit: bigint;
  /** Protocol fees its batches paid. */
  readonly fees: bigint;
}

/** Balance + escrow + operator bond + outstanding validator rewards (rounded down) of `roles`. */
async function wealth(rc: ReceiptsChain, roles: readonly Role[]): Promise<bigint> {
  let total = 0n;
  for (const role of roles) {
    const bytes = rc.chain.app.addresses.decode(rc.address(role));
    const e = await receiptsKeys.escrows.get(rc.chain.store.committed, bytes);
    total += (await rc.balance(rc.address(role))) + (e === undefined ? 0n : BigInt(e.available) + BigInt(e.locked)) + (await rc.bond(role).catch(() => 0n));
    const r = await rc.chain.query('/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards', QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: rc.chain.app.addresses.encode(bytes, 'cairnvaloper') }).finish());
    if (r.code === 0) total += BigInt(QueryValidatorOutstandingRewardsResponse.decode(r.value).rewards?.rewards.find((c) => c.denom === DENOM)?.amount ?? '0') / DEC;
  }
  return total;
}

/** Σ protocol fee (burned + treasury) of the finalized batches of `role`'s operator. */
async function feesPaid(rc: ReceiptsChain, role: Role): Promise<bigint> {
  let fees = 0n;
  const operator = rc.address(role);
  for await (const [, b] of receiptsKeys.batches.entries(rc.chain.store.committed)) {
    if (b.operator === operator && b.split !== undefined) fees += BigInt(b.split.feeBurned) + BigInt(b.split.feeTreasury);
  }
  return fees;
}

/**
 * One chain: an honest operator serving the payer every epoch beside a coalition of `sybils` operator
 * roles whose payer and model author is operator2, a validator with `stakeBps` of the stake; when
 * `wash`, the coalition washes RECEIPTS_PER_EPOCH receipts an epoch split across its operators.
 */
async function coalitionRun(stakeBps: number, sybils: readonly Role[], wash: boolean, epochs: number): Promise<CoalitionResult> {
  const w = await roleWallets();
  const ours = (TOTAL_STAKE * BigInt(stakeBps)) / 10_000n;
  const validators = [
    { address: w.operator2.address, selfBond: ours },
    { address: w.challenger.address, selfBond: TOTAL_STAKE - ours },
  ].filter((v) => v.selfBond > 0n);
  const rc = await startEmissionChain({ escrow: 5_000_000_000n, validators });
  const coalition: Role[] = [...new Set<Role>(['operator2', ...sybils])];
  const payerKey = fixedKey('coalition-payer-key');
  const payer = rc.address('operator2');
  const setup: EncodeObject[] = [
    registryMsgs.authorizePayerKey(payer, payerKey.publicKey),
    receiptMsgs.deposit(payer, 2_000_000_000n),
    registryMsgs.registerModel(payer, WASH_MODEL, { royaltyBps: 500, recipients: [{ address: payer, weightBps: 10_000 }] }),
  ];
  await rc.ok('operator2', setup);
  const keys = new Map<Role, ReturnType<typeof fixedKey>>();
  for (const [i, role] of sybils.entries()) {
    // Each of its operators has a real, idle 8-GPU fleet, so it can draw on the uptime pool.
    const fleet = registryMsgs.commitGpus(rc.address(role), [gpu(`fleet-${role}`, { count: 8 })]);
    if (role === 'operator2') {
      await rc.ok(role, fleet);
      continue;
    }
    const key = fixedKey(`sybil-receipt-key-${role}`);
    keys.set(role, key);
    await rc.ok(role, [registryMsgs.registerOperator(rc.address(role), 90 + i, { receiptKey: key.publicKey, bond: { denom: DENOM, amount: '100000000' } }), fleet]);
  }
  const before = await wealth(rc, coalition);
  const first = rc.height / EPOCH_BLOCKS + 1n;
  // Its validator reports its fleets fully up every epoch (the only reports, so the median),
  // including the one after the last, in which the last batches finalize.
  const report = async (e: bigint): Promise<void> => {
    const reports = sybils.map((role) => ({ operator: rc.address(role), uptimeBps: 10_000 }));
    await rc.ok('operator2', { typeUrl: EMISSION_TYPE_URLS.MsgReportAvailability, value: { validator: payer, epoch: e, reports, reporter: '' } });
  };
  for (let e = first; e < first + BigInt(epochs); e++) {
    await rc.advanceTo(e * EPOCH_BLOCKS + 1n);
    if (wash) await report(e);
    // The honest operator's batch and the coalition's go in one block, their samples are revealed
    // together two blocks later (the epoch's traffic fits its 10 blocks).
    const entries: { batch: Batch; role: Role; payerKey?: typeof payerKey }[] = [{ batch: buildBatch(rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE })), role: 'operator' }];
    const each = Math.floor(RECEIPTS_PER_EPOCH / sybils.length);
    for (const role of wash ? sybils : []) {
      const operatorKey = role === 'operator2' ? rc.operator2Key : keys.get(role)!;
      entries.push({ batch: buildBatch(rc.receipts(each, { unitPrice: WASH_PRICE, modelId: WASH_MODEL, operator: rc.address(role), operatorKey, payer, payerKey })), role, payerKey });
    }
    const submitted = await rc.submitTogether(entries);
    await rc.revealTogether(submitted.map((sub, i) => ({ s: sub!, role: entries[i]!.role })));
  }
  await rc.advanceTo((first + BigInt(epochs)) * EPOCH_BLOCKS + 1n);
  if (wash) await report(first + BigInt(epochs));
  await rc.advanceTo((first + BigInt(epochs) + 1n) * EPOCH_BLOCKS);
  let fees = 0n;
  for (const role of sybils) fees += await feesPaid(rc, role);
  return { profit: (await wealth(rc, coalition)) - before, fees };
}

/** The coalition's gain from washing against the same chain with the coalition idle. */
export async function runWashCoalition(stakeBps: number, sybils: readonly Role[] = ['operator2'], epochs = 3): Promise<CoalitionResult> {
  const washing = await coalitionRun(stakeBps, sybils, true, epochs);
  const idle = await coalitionRun(stakeBps, sybils, false, epochs);
  return { profit: washing.profit - idle.profit, fees: washing.fees };
}

/** operator2 pays itself one token receipt an epoch: what it costs, and the reputation it bought. */
export async function runReputationFarmer(epochs = 3): Promise<{ profit: bigint; score: number; honestScore: number }> {
  const rc = await startEmissionChain({ escrow: 5_000_000_000n });
  const payerKey = fixedKey('reputation-farmer-payer-key');
  const farmer = rc.address('operator2');
  await rc.ok('operator2', [registryMsgs.authorizePayerKey(farmer, payerKey.publicKey), receiptMsgs.deposit(farmer, 100_000_000n)]);
  const before = await wealth(rc, ['operator2']);
  const first = rc.height / EPOCH_BLOCKS + 1n;
  for (let e = first; e < first + BigInt(epochs); e++) {
    await rc.advanceTo(e * EPOCH_BLOCKS + 1n);
    if (e === first) await rc.honestBatch(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE });
    await rc.honestBatch(1, { role: 'operator2', payer: farmer, payerKey });
  }
  await rc.advanceTo((first + BigInt(epochs) + 1n) * EPOCH_BLOCKS);
  const score = async (operator: string): Promise<number> => (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator })).reputation?.score ?? 0;
  return { profit: (await wealth(rc, ['operator2'])) - before, score: await score(farmer), honestScore: await score(rc.address('operator')) };
}
