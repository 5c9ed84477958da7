// An agent-based economics simulation on the real app, in process (test/support/app-chain.ts via
// the receipts test market): 10-block epochs, 4 epochs a "year" (a halving every 8 epochs), emission
// on. Each epoch every agent plays its strategy; at the end each strategy's profit (balance + escrow
// change, fees included) and the supply curve are printed. `npm run sim [epochs]`.
//
// Strategies:
//   honest      serves a real payer: paid by the payer through escrow, plus emission;
//   wash        operator2 pays itself (its own account is the payer): gets back its split and the
//               emission, loses the protocol fee, the royalties and its transaction fees;
//   idle-fleet  the griefer registers as an operator with a 64-GPU fleet it does not have and serves
//               nothing: registration and idle capacity earn nothing, and when a capacity challenge
//               picks the fleet it cannot prove it (fake-capacity fault: slashed, jailed);
//   withholder  serves the payer but never reveals its sampled receipts: data-unavailable fault
//               (slashed, jailed, batch rejected, escrow refunded), so it is never paid;
//   capacity-farmer  has a real 64-GPU fleet that sits idle: it pays itself one receipt an epoch (a token
//               protocol fee, to be eligible) and proves every capacity challenge its fleet draws,
//               hoping to take the uptime and availability pools; the capacity guard gives it back
//               at most the fees it paid, so royalties and transaction fees make it lose.
// The forger, double claimer and griefing challenger run on their own chain beside an honest
// operator (bench/sim-faults.ts); the coalitions (validator-operator-author wash traders at 5–60% of
// the stake, the sybil splitter, the reputation farmer) each against the same chain with the
// coalition idle (bench/sim-coalition.ts); the withholders, the sample grinder and the escrow
// griefer on a chain of their own (bench/sim-withholding.ts). One table: strategy, CAIRN gained or
// lost, times caught.
// runSybilSim compares one fleet serving all the payer's traffic under one operator with the same
// traffic split across two operators.
import { buildBatch } from '../sdk/receipts/batch.ts';
import { fixedKey } from '../test/support/receipts-fixtures.ts';
import { type ReceiptsChain, type Role, receiptMsgs } from '../test/support/receipts-chain.ts';
import { EPOCH_BLOCKS, epochEmission, startEmissionChain } from '../test/support/emission-chain.ts';
import { DENOM, gpu, msgs as registryMsgs } from '../test/support/registry.ts';
import * as receiptsKeys from '../modules/receipts/keys.ts';
import { FAULT_STRATEGIES, runFaultSim } from './sim-faults.ts';
import { proveOpenChallenges } from './sim-capacity.ts';
import { countSlashes } from './sim-caught.ts';
import { STAKE_FRACTIONS_BPS, runReputationFarmer, runWashCoalition } from './sim-coalition.ts';
import { WITHHOLDING_STRATEGIES, runWithholdingSim } from './sim-withholding.ts';

export interface EpochPoint {
  readonly epoch: bigint;
  readonly scheduled: bigint;
  readonly budget: bigint;
  readonly minted: bigint;
  readonly supply: bigint;
}

export interface SimResult {
  readonly profits: Record<Strategy, bigint>;
  /** Times each strategy's operator was slashed. */
  readonly caught: Record<Strategy, number>;
  readonly curve: readonly EpochPoint[];
  readonly maxSupply: bigint;
  /** Supply right after genesis (before any fee was burned or slash taken). */
  readonly genesisSupply: bigint;
}

export const STRATEGIES = ['honest', 'wash', 'idle-fleet', 'withholder', 'capacity-farmer'] as const;
export type Strategy = (typeof STRATEGIES)[number];

const ROLE_OF: Record<Strategy, Role> = { honest: 'operator', wash: 'operator2', 'idle-fleet': 'griefer', withholder: 'adapterAuthor', 'capacity-farmer': 'challenger' };
const zero = (): Record<Strategy, bigint> => ({ honest: 0n, wash: 0n, 'idle-fleet': 0n, withholder: 0n, 'capacity-farmer': 0n });
const UNIT_PRICE = '10000';
const RECEIPTS_PER_EPOCH = 12;

async function wealth(rc: ReceiptsChain, role: Role): Promise<bigint> {
  const address = rc.chain.app.addresses.decode(rc.address(role));
  const e = await receiptsKeys.escrows.get(rc.chain.store.committed, address);
  const escrow = e === undefined ? 0n : BigInt(e.available) + BigInt(e.locked);
  return (await rc.balance(rc.address(role))) + escrow;
}

export async function runSim(epochs = 12, emission: Record<string, unknown> = {}): Promise<SimResult> {
  // Two capacity challenges an epoch; the honest operator proves every one it gets.
  const rc = await startEmissionChain({ escrow: 5_000_000_000n, emission: { capacity_challenges_per_epoch: 2, capacity_window: '5', ...emission } });
  const slashes = countSlashes(rc);
  await proveOpenChallenges(rc);
  // Setup fees are moved, never burned: this is the genesis supply.
  const genesisSupply = await rc.supply();
  const washKey = fixedKey('wash-payer-key');
  // The wash trader makes its own account a payer; the idle fleet registers with 64 GPUs.
  await rc.ok('operator2', [registryMsgs.authorizePayerKey(rc.address('operator2'), washKey.publicKey), receiptMsgs.deposit(rc.address('operator2'), 2_000_000_000n)]);
  await rc.ok('griefer', [
    registryMsgs.registerOperator(rc.address('griefer'), 77, { receiptKey: fixedKey('idle-receipt-key').publicKey, bond: { denom: DENOM, amount: '100000000' } }),
    registryMsgs.commitGpus(rc.address('griefer'), [gpu('fleet', { count: 64 })]),
  ]);
  const withholderKey = fixedKey('withholder-receipt-key');
  await rc.ok('adapterAuthor', registryMsgs.registerOperator(rc.address('adapterAuthor'), 78, { receiptKey: withholderKey.publicKey, bond: { denom: DENOM, amount: '100000000' } }));
  const farmerKey = fixedKey('farmer-receipt-key');
  const farmerPayerKey = fixedKey('farmer-payer-key');
  const farmer = rc.address('challenger');
  await rc.ok('challenger', [
    registryMsgs.registerOperator(farmer, 79, { receiptKey: farmerKey.publicKey, bond: { denom: DENOM, amount: '100000000' } }),
    registryMsgs.commitGpus(farmer, [gpu('farm', { count: 64 })]),
    registryMsgs.authorizePayerKey(farmer, farmerPayerKey.publicKey),
    receiptMsgs.deposit(farmer, 100_000_000n),
  ]);
  const start = rc.height;
  // Profits count from after setup (bonds stay the operators' and are counted as wealth).
  const bond = async (role: Role): Promise<bigint> => rc.bond(role).catch(() => 0n);
  const before = zero();
  for (const s of STRATEGIES) before[s] = (await wealth(rc, ROLE_OF[s])) + (await bond(ROLE_OF[s]));
  const first = start / EPOCH_BLOCKS + 1n;
  const curve: EpochPoint[] = [];
  for (let e = first; e < first + BigInt(epochs); e++) {
    await rc.advanceTo(e * EPOCH_BLOCKS + 1n);
    await proveOpenChallenges(rc);
    await proveOpenChallenges(rc, 'challenger');
    // Everyone submits in one block; two blocks later the samples are drawn and revealed in one block.
    // The withholder submits without revealing; once out it can no longer submit at all.
    const [honest, token, wash] = await rc.submitTogether([
      { batch: buildBatch(rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE })), role: 'operator' },
      { batch: buildBatch(rc.receipts(1, { unitPrice: UNIT_PRICE, operator: farmer, payer: farmer, operatorKey: farmerKey, payerKey: farmerPayerKey })), role: 'challenger', payerKey: farmerPayerKey },
      { batch: buildBatch(rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, role: 'operator2', payer: rc.address('operator2'), payerKey: washKey })), role: 'operator2', payerKey: washKey },
      { batch: buildBatch(rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, operator: rc.address('adapterAuthor'), operatorKey: withholderKey })), role: 'adapterAuthor' },
    ]);
    await rc.revealTogether([
      { s: honest!, role: 'operator' },
      { s: token!, role: 'challenger' },
      { s: wash!, role: 'operator2' },
    ]);
    await rc.advanceTo((e + 1n) * EPOCH_BLOCKS);
    const { emission: rec } = await epochEmission(rc, e);
    curve.push({ epoch: e, scheduled: BigInt(rec.scheduled), budget: BigInt(rec.budget), minted: BigInt(rec.minted), supply: await rc.supply() });
  }
  // Let the last batches finalize and their epoch close (the operators with real GPUs keep proving
  // the chain's capacity picks meanwhile, as they would).
  const last = first + BigInt(epochs);
  while (rc.height < (last + 1n) * EPOCH_BLOCKS) {
    await proveOpenChallenges(rc);
    await proveOpenChallenges(rc, 'challenger');
    await rc.block();
  }
  const profits = zero();
  const caught = {} as Record<Strategy, number>;
  for (const s of STRATEGIES) {
    profits[s] = (await wealth(rc, ROLE_OF[s])) + (await bond(ROLE_OF[s])) - before[s];
    caught[s] = slashes.get(rc.address(ROLE_OF[s])) ?? 0;
  }
  const maxSupply = BigInt(((await rc.chain.app.modules.find((m) => m.name === 'emission')!.genesis.export({ store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses })) as { params: { max_supply: string } }).params.max_supply);
  return { profits, caught, curve, maxSupply, genesisSupply };
}

/**
 * The same traffic (2 × RECEIPTS_PER_EPOCH receipts an epoch from one payer) served by one operator,
 * or split evenly across two: returns the fleet's total profit each way.
 */
export async function runSybilSim(epochs = 4): Promise<{ whole: bigint; split: bigint; wholeEmission: bigint; splitEmission: bigint }> {
  const run = async (split: boolean): Promise<{ profit: bigint; emission: bigint }> => {
    const rc = await startEmissionChain({ escrow: 5_000_000_000n });
    const roles: Role[] = ['operator', 'operator2'];
    const wealthOf = async (): Promise<bigint> => (await wealth(rc, 'operator')) + (await wealth(rc, 'operator2'));
    const before = await wealthOf();
    const first = rc.height / EPOCH_BLOCKS + 1n;
    let emission = 0n;
    for (let e = first; e < first + BigInt(epochs); e++) {
      await rc.advanceTo(e * EPOCH_BLOCKS + 2n);
      if (split) for (const role of roles) await rc.honestBatch(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, role: role as 'operator' | 'operator2' });
      else await rc.honestBatch(2 * RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE });
      await rc.advanceTo((e + 1n) * EPOCH_BLOCKS);
      emission += (await epochEmission(rc, e)).rewards.reduce((t, r) => t + BigInt(r.total), 0n);
    }
    await rc.advanceTo((first + BigInt(epochs) + 1n) * EPOCH_BLOCKS);
    emission += (await epochEmission(rc, first + BigInt(epochs))).rewards.reduce((t, r) => t + BigInt(r.total), 0n);
    return { profit: (await wealthOf()) - before, emission };
  };
  const whole = await run(false);
  const split = await run(true);
  return { whole: whole.profit, split: split.profit, wholeEmission: whole.emission, splitEmission: split.emission };
}

function cairn(v: bigint): string {
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  return `${sign}${a / 1_000_000n}.${(a % 1_000_000n).toString().padStart(6, '0')}`;
}

export interface Row {
  readonly strategy: string;
  /** CAIRN gained (negative: lost) against doing nothing, base units. */
  readonly profit: bigint;
  readonly caught: number;
}

async function main(): Promise<void> {
  const epochs = Number(process.argv[2] ?? '12');
  const rows: Row[] = [];
  const r = await runSim(epochs);
  for (const s of STRATEGIES) rows.push({ strategy: s, profit: r.profits[s], caught: r.caught[s] });
  const f = await runFaultSim(Math.min(epochs, 6));
  for (const s of FAULT_STRATEGIES) rows.push({ strategy: s === 'honest' ? 'honest (fault chain)' : s, profit: f.profits[s], caught: f.caught[s] });
  const coalitionEpochs = Math.min(epochs, 3);
  for (const bps of STAKE_FRACTIONS_BPS) rows.push({ strategy: `wash-validator-${bps / 100}%`, profit: (await runWashCoalition(bps, ['operator2'], coalitionEpochs)).profit, caught: 0 });
  rows.push({ strategy: 'sybil-splitter', profit: (await runWashCoalition(2000, ['operator2', 'griefer', 'adapterAuthor'], coalitionEpochs)).profit, caught: 0 });
  const farm = await runReputationFarmer(coalitionEpochs);
  rows.push({ strategy: 'reputation-farmer', profit: farm.profit, caught: 0 });
  const w = await runWithholdingSim(Math.min(epochs, 4));
  for (const s of WITHHOLDING_STRATEGIES) rows.push({ strategy: s === 'honest' ? 'honest (withholding chain)' : s, profit: w.profits[s], caught: w.caught[s] });
  console.log(`${'strategy'.padEnd(26)}  ${'CAIRN gained or lost'.padStart(20)}  times caught`);
  for (const row of rows) console.log(`${row.strategy.padEnd(26)}  ${cairn(row.profit).padStart(20)}  ${String(row.caught).padStart(12)}`);
  console.log(`\n(frauds proved: ${f.proved.forged} forged receipt, ${f.proved.doubleClaims} double claim; griefing requests ${f.requests}, answered ${f.answered}; griefing capacity challenges ${f.capacityChallenges}; reputation bought by the farmer ${farm.score} vs ${farm.honestScore} for one real epoch; forgeries caught by withholding a sampled leaf ${w.forgeries.withheldSample}, by the watcher ${w.forgeries.provedByWatcher}; grinds that found a hash ${w.grinds.found}, sampled anyway ${w.grinds.sampledAnyway}; escrow the griefer locked ${cairn(w.griefLocked)})`);
  console.log('\nepoch  scheduled        budget           minted           supply');
  for (const p of r.curve) console.log(`${String(p.epoch).padStart(5)}  ${cairn(p.scheduled).padStart(15)}  ${cairn(p.budget).padStart(15)}  ${cairn(p.minted).padStart(15)}  ${cairn(p.supply).padStart(15)}`);
  console.log(`\nmax supply ${cairn(r.maxSupply)}`);
  const y = await runSybilSim(Math.min(epochs, 4));
  console.log(`\nsybil: one operator ${cairn(y.whole)} (emission ${cairn(y.wholeEmission)}), split across two ${cairn(y.split)} (emission ${cairn(y.splitEmission)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
