// An agent-based economics simulation on the real app, in process (test/support/app-chain.ts via
// the receipts test market): 10-block epochs, 4 epochs a "year" (a halving every 8 epochs), emission
// on. Each epoch every agent plays its strategy; at the end each strategy's profit (balance + escrow
// change, fees included) and the supply curve are printed. `npm run sim [epochs]`.
//
// Strategies:
//   honest      serves a real payer: paid by the payer through escrow, plus emission;
//   wash        operator2 pays itself (its own account is the payer): gets back its split and the
//               emission, loses the protocol fee, the royalties and its transaction fees;
//   idle-fleet  the griefer registers as an operator with a large committed fleet and serves nothing:
//               registration and idle capacity earn nothing.
import { fixedKey } from '../modules/receipts/testing/fixtures.ts';
import { type ReceiptsChain, type Role, receiptMsgs } from '../modules/receipts/testing/chain.ts';
import { EPOCH_BLOCKS, epochEmission, startEmissionChain } from '../modules/emission/testing/chain.ts';
import { DENOM, gpu, msgs as registryMsgs } from '../test/support/registry.ts';
import * as receiptsKeys from '../modules/receipts/keys.ts';

export interface EpochPoint {
  readonly epoch: bigint;
  readonly scheduled: bigint;
  readonly budget: bigint;
  readonly minted: bigint;
  readonly supply: bigint;
}

export interface SimResult {
  readonly profits: Record<Strategy, bigint>;
  readonly curve: readonly EpochPoint[];
  readonly maxSupply: bigint;
}

export const STRATEGIES = ['honest', 'wash', 'idle-fleet'] as const;
export type Strategy = (typeof STRATEGIES)[number];

const ROLE_OF: Record<Strategy, Role> = { honest: 'operator', wash: 'operator2', 'idle-fleet': 'griefer' };
const UNIT_PRICE = '10000';
const RECEIPTS_PER_EPOCH = 12;

async function wealth(rc: ReceiptsChain, role: Role): Promise<bigint> {
  const address = rc.chain.app.addresses.decode(rc.address(role));
  const e = await receiptsKeys.escrows.get(rc.chain.store.committed, address);
  const escrow = e === undefined ? 0n : BigInt(e.available) + BigInt(e.locked);
  return (await rc.balance(rc.address(role))) + escrow;
}

export async function runSim(epochs = 12, emission: Record<string, unknown> = {}): Promise<SimResult> {
  const rc = await startEmissionChain({ escrow: 5_000_000_000n, emission });
  // (The helper's option type overlaps Receipt.payer_key, hence the cast; the signer is what it uses.)
  const washKey = fixedKey('wash-payer-key');
  // The wash trader makes its own account a payer; the idle fleet registers with 64 GPUs.
  await rc.ok('operator2', [registryMsgs.authorizePayerKey(rc.address('operator2'), washKey.publicKey), receiptMsgs.deposit(rc.address('operator2'), 2_000_000_000n)]);
  await rc.ok('griefer', [
    registryMsgs.registerOperator(rc.address('griefer'), 77, { receiptKey: fixedKey('idle-receipt-key').publicKey, bond: { denom: DENOM, amount: '100000000' } }),
    registryMsgs.commitGpus(rc.address('griefer'), [gpu('fleet', { count: 64 })]),
  ]);
  const start = rc.height;
  // Profits count from after setup (bonds stay the operators' and are counted as wealth).
  const bond = async (role: Role): Promise<bigint> => rc.bond(role).catch(() => 0n);
  const before: Record<Strategy, bigint> = { honest: 0n, wash: 0n, 'idle-fleet': 0n };
  for (const s of STRATEGIES) before[s] = (await wealth(rc, ROLE_OF[s])) + (await bond(ROLE_OF[s]));
  const first = start / EPOCH_BLOCKS + 1n;
  const curve: EpochPoint[] = [];
  for (let e = first; e < first + BigInt(epochs); e++) {
    await rc.advanceTo(e * EPOCH_BLOCKS + 2n);
    await rc.honestBatch(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE });
    await rc.honestBatch(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, role: 'operator2', payer: rc.address('operator2'), payerKey: washKey as typeof washKey & Uint8Array });
    await rc.advanceTo((e + 1n) * EPOCH_BLOCKS);
    const { emission: rec } = await epochEmission(rc, e);
    curve.push({ epoch: e, scheduled: BigInt(rec.scheduled), budget: BigInt(rec.budget), minted: BigInt(rec.minted), supply: await rc.supply() });
  }
  // Let the last batches finalize and their epoch close.
  const last = first + BigInt(epochs);
  await rc.advanceTo((last + 1n) * EPOCH_BLOCKS);
  const profits: Record<Strategy, bigint> = { honest: 0n, wash: 0n, 'idle-fleet': 0n };
  for (const s of STRATEGIES) profits[s] = (await wealth(rc, ROLE_OF[s])) + (await bond(ROLE_OF[s])) - before[s];
  const maxSupply = BigInt(((await rc.chain.app.modules.find((m) => m.name === 'emission')!.genesis.export({ store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses })) as { params: { max_supply: string } }).params.max_supply);
  return { profits, curve, maxSupply };
}

function cairn(v: bigint): string {
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  return `${sign}${a / 1_000_000n}.${(a % 1_000_000n).toString().padStart(6, '0')}`;
}

async function main(): Promise<void> {
  const epochs = Number(process.argv[2] ?? '12');
  const r = await runSim(epochs);
  console.log('strategy      profit (CAIRN)');
  for (const s of STRATEGIES) console.log(`${s.padEnd(12)}  ${cairn(r.profits[s])}`);
  console.log('\nepoch  scheduled        budget           minted           supply');
  for (const p of r.curve) console.log(`${String(p.epoch).padStart(5)}  ${cairn(p.scheduled).padStart(15)}  ${cairn(p.budget).padStart(15)}  ${cairn(p.minted).padStart(15)}  ${cairn(p.supply).padStart(15)}`);
  console.log(`\nmax supply ${cairn(r.maxSupply)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
