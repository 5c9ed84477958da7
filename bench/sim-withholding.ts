// The strategies of the economics simulation (bench/sim.ts) that hide data or consent, on their own
// chain beside an honest operator and an honest watcher (the author role, which has every batch an
// operator publishes and judges it like the chain), driven with real signed txs. The receipts params
// are the test market's but for max_open_requests, at its default (16), so the watcher can ask for
// every unrevealed leaf of a small batch it cannot fetch at once.
//   forger-withholding          operator2 forges one receipt of twelve (its amount inflated after the
//                               payer signed it; its careless payer signs the batch totals without
//                               rebuilding the root, the only way past payer consent) and does not
//                               reveal the forged leaf if the chain samples it: receipt fraud (5000
//                               bps, tombstone) since r2. Not sampled, the watcher proves it.
//   sample-grinder              adapterAuthor forges the same way and, as the proposer of the block
//                               that carries its batch, grinds that block's hash until a sample drawn
//                               from it would miss the forged leaf. The chain draws from the block
//                               sample_delay_blocks later: grinding buys nothing.
//   double-claimer-withholding  griefer submits batch A (twelve receipts), reveals its sample and
//                               publishes nothing, then claims A's unsampled receipts again in a
//                               published batch B. The watcher, unable to fetch A, requests its
//                               unrevealed leaves in random order (up to max_open_requests at a time);
//                               each is in B, so revealing one proves the double claim: it withholds
//                               them, data unavailable (1000 bps, jail, A rejected and refunded).
//   escrow-griefer              challenger registers as an operator and each epoch submits a junk
//                               batch naming the payer, signed by a key the payer never authorised:
//                               refused at submission, nothing locked.
// Profits count balance + escrow + bond change from after setup, fees included. The double claimer
// served real receipts; its figure is against serving them honestly (A paid once, no slash).
import { createHash } from 'node:crypto';
import { buildBatch, inclusionProof, type Batch } from '../sdk/receipts/batch.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { sampleIndices, sampleSize } from '../sdk/receipts/sample.ts';
import type { Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import * as receiptsKeys from '../modules/receipts/keys.ts';
import { fixedKey } from '../test/support/receipts-fixtures.ts';
import { type ReceiptsChain, type Role, type Submitted, receiptMsgs } from '../test/support/receipts-chain.ts';
import { EPOCH_BLOCKS, startEmissionChain } from '../test/support/emission-chain.ts';
import { DENOM, msgs as registryMsgs } from '../test/support/registry.ts';
import { countSlashes } from './sim-caught.ts';

export const WITHHOLDING_STRATEGIES = ['honest', 'forger-withholding', 'sample-grinder', 'double-claimer-withholding', 'escrow-griefer'] as const;
export type WithholdingStrategy = (typeof WITHHOLDING_STRATEGIES)[number];

export interface WithholdingSimResult {
  readonly profits: Record<WithholdingStrategy, bigint>;
  /** Slashes, and for the escrow griefer its refused submissions. */
  readonly caught: Record<WithholdingStrategy, number>;
  readonly status: Record<WithholdingStrategy, number>;
  /** How each forgery was caught: its sampled leaf withheld (chain) or proved by the watcher. */
  readonly forgeries: { readonly withheldSample: number; readonly provedByWatcher: number };
  /** Grinds: the grinder found a hash whose sample missed its forged leaf, and the chain's draw then sampled it anyway. */
  readonly grinds: { readonly found: number; readonly sampledAnyway: number };
  /** Payer escrow locked by the griefer's batches (must stay 0). */
  readonly griefLocked: bigint;
}

const ROLE_OF: Record<WithholdingStrategy, Role> = { honest: 'operator', 'forger-withholding': 'operator2', 'sample-grinder': 'adapterAuthor', 'double-claimer-withholding': 'griefer', 'escrow-griefer': 'challenger' };
const WATCHER: Role = 'author';
const UNIT_PRICE = '10000';
const RECEIPTS_PER_EPOCH = 12;
const sha = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest());

async function wealth(rc: ReceiptsChain, role: Role): Promise<bigint> {
  const address = rc.chain.app.addresses.decode(rc.address(role));
  const e = await receiptsKeys.escrows.get(rc.chain.store.committed, address);
  const escrow = e === undefined ? 0n : BigInt(e.available) + BigInt(e.locked);
  return (await rc.balance(rc.address(role))) + escrow + (await rc.bond(role).catch(() => 0n));
}

async function active(rc: ReceiptsChain, role: Role): Promise<boolean> {
  return (await rc.operatorStatus(role).catch(() => 0)) === OperatorStatus.OPERATOR_STATUS_ACTIVE;
}

/** Twelve receipts of `role` (its own receipt key) with the first one's amount inflated after the payer signed it. */
function forged(rc: ReceiptsChain, role: Role, operatorKey: ReturnType<typeof fixedKey>): { receipts: Receipt[]; bad: Receipt } {
  const receipts = rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, operator: rc.address(role), operatorKey });
  const r = receipts[0]!;
  receipts[0] = signReceipt({ ...r, amount: (BigInt(r.amount) * 10n).toString() }, 'operator', operatorKey);
  return { receipts, bad: receipts[0] };
}

/** The watcher's deterministic "random" order over `indices` (seeded by the batch id). */
function shuffled(indices: bigint[], seed: bigint): bigint[] {
  return indices.map((i) => ({ i, k: Buffer.from(sha(`watcher/${seed}/${i}`)).toString('hex') })).sort((a, b) => (a.k < b.k ? -1 : 1)).map((x) => x.i);
}

export async function runWithholdingSim(epochs = 4): Promise<WithholdingSimResult> {
  const rc = await startEmissionChain({ escrow: 5_000_000_000n, receipts: { max_open_requests: 16 } });
  const slashes = countSlashes(rc);
  const keyOf: Partial<Record<Role, ReturnType<typeof fixedKey>>> = {};
  for (const [i, role] of (['adapterAuthor', 'griefer', 'challenger'] as const).entries()) {
    keyOf[role] = fixedKey(`withholding-sim-${role}`);
    await rc.ok(role, registryMsgs.registerOperator(rc.address(role), 80 + i, { receiptKey: keyOf[role].publicKey, bond: { denom: DENOM, amount: '100000000' } }));
  }
  const operatorKey = (role: Role): ReturnType<typeof fixedKey> => (role === 'operator2' ? (rc.operator2Key as ReturnType<typeof fixedKey>) : keyOf[role]!);
  const before = {} as Record<WithholdingStrategy, bigint>;
  for (const s of WITHHOLDING_STRATEGIES) before[s] = await wealth(rc, ROLE_OF[s]);
  const forgeries = { withheldSample: 0, provedByWatcher: 0 };
  const grinds = { found: 0, sampledAnyway: 0 };
  let refused = 0;
  let griefLocked = 0n;
  /** What serving the double claimer's receipts honestly would have paid it (its batches A). */
  let claimerHonest = 0n;
  /** The forger's sample without the forged leaf (what it reveals). */
  const withheld = (s: Submitted, bad: Receipt): Submitted => ({ ...s, sample: s.sample.filter((x) => s.batch.receipts[Number(x)] !== bad) });
  /** After the reveals: a withheld sampled leaf is the chain's to punish; otherwise the watcher proves the forged leaf. */
  const watch = async (s: Submitted, bad: Receipt): Promise<void> => {
    const i = s.batch.receipts.indexOf(bad);
    if (s.sample.includes(BigInt(i))) {
      forgeries.withheldSample++;
      return;
    }
    if ((await rc.tx(WATCHER, receiptMsgs.challengeReceipt(rc.address(WATCHER), s.id, bad, inclusionProof(s.batch, i)))).code === 0) forgeries.provedByWatcher++;
  };
  const first = rc.height / EPOCH_BLOCKS + 1n;
  for (let e = first; e < first + BigInt(epochs); e++) {
    await rc.advanceTo(e * EPOCH_BLOCKS + 1n);
    const entries: { batch: Batch; role: Role }[] = [{ batch: buildBatch(rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE })), role: 'operator' }];
    const forgery = (await active(rc, 'operator2')) ? forged(rc, 'operator2', operatorKey('operator2')) : undefined;
    if (forgery !== undefined) entries.push({ batch: buildBatch(forgery.receipts), role: 'operator2' });
    const claiming = await active(rc, 'griefer');
    const claimed = claiming ? rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, operator: rc.address('griefer'), operatorKey: operatorKey('griefer') }) : [];
    if (claiming) entries.push({ batch: buildBatch(claimed), role: 'griefer' });
    const submitted = await rc.submitTogether(entries);
    const honest = submitted[0]!;
    const forger = forgery === undefined ? undefined : submitted[1]!;
    const a = claiming ? submitted[entries.length - 1]! : undefined;
    // Everyone reveals in one block; the forger keeps back its forged leaf.
    await rc.revealTogether([{ s: honest, role: 'operator' }, ...(forger === undefined ? [] : [{ s: withheld(forger, forgery!.bad), role: 'operator2' as Role }]), ...(a === undefined ? [] : [{ s: a, role: 'griefer' as Role }])]);
    if (forger !== undefined) await watch(forger, forgery!.bad);
    if (a !== undefined) {
      claimerHonest += a.batch.receipts.reduce((t, r) => t + BigInt(r.amount), 0n);
      // The watcher cannot fetch A: it requests A's unrevealed leaves, up to max_open_requests.
      const unrevealed = shuffled([...a.batch.receipts.keys()].map(BigInt).filter((i) => !a.sample.includes(i)), a.id).slice(0, 16);
      await rc.ok(WATCHER, unrevealed.map((i) => receiptMsgs.request(rc.address(WATCHER), a.id, i)));
      // Batch B: A's unsampled receipts claimed again, published (the watcher has them), its sample
      // revealed. Revealing any requested leaf of A would hand the watcher a double-claim proof:
      // the claimer answers none.
      const b = await rc.submit(buildBatch(a.batch.receipts.filter((_, i) => !a.sample.includes(BigInt(i)))), 'escrow', 'griefer');
      if (b.sample.length > 0) await rc.revealSample(b, 'griefer');
    }
    // The sample grinder proposes the block that carries its forged batch.
    if (await active(rc, 'adapterAuthor')) {
      const g = forged(rc, 'adapterAuthor', operatorKey('adapterAuthor'));
      const batch = buildBatch(g.receipts);
      const bad = batch.receipts.indexOf(g.bad);
      const id = (await receiptsKeys.nextBatchId.get(rc.chain.store.committed)) ?? 1n;
      const rp = (await receiptsKeys.params.get(rc.chain.store.committed))!;
      const total = batch.receipts.reduce((t, r) => t + BigInt(r.amount), 0n);
      const size = sampleSize(total, BigInt(batch.receipts.length), rp);
      let hash: Uint8Array | undefined;
      for (let c = 0; c < 256 && hash === undefined; c++) {
        const h = sha(`grind/${e}/${c}`);
        if (!sampleIndices(h, id, BigInt(batch.receipts.length), size).includes(BigInt(bad))) hash = h;
      }
      if (hash !== undefined) grinds.found++;
      const tx = await rc.sign('adapterAuthor', receiptMsgs.submit(rc.submitMsg(batch, 'escrow')));
      const [r] = await rc.chain.block([tx], hash === undefined ? {} : { hash });
      if (r!.code === 0) {
        const gid = MsgSubmitBatchResponse.decode(TxMsgData.decode(r!.data).msgResponses[0]!.value).batchId;
        const s = { id: gid, sample: await rc.drawnSample(gid), batch };
        if (s.sample.includes(BigInt(bad))) grinds.sampledAnyway++;
        const kept = withheld(s, g.bad);
        if (kept.sample.length > 0) await rc.revealSample(kept, 'adapterAuthor');
        await watch(s, g.bad);
      }
    }
    // The escrow griefer names the payer in a junk batch it signs with a key of its own.
    const junkKey = fixedKey(`junk-payer-key-${e}`);
    const junk = buildBatch(rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, operator: rc.address('challenger'), operatorKey: operatorKey('challenger'), payerKey: junkKey }));
    const lockedBefore = (await rc.escrow('payer')).locked;
    if ((await rc.tx('challenger', receiptMsgs.submit(rc.submitMsg(junk, 'escrow', {}, junkKey)))).code !== 0) refused++;
    griefLocked += (await rc.escrow('payer')).locked - lockedBefore;
  }
  // Let the last batches settle; the honest operator keeps nothing pending past the run.
  await rc.advanceTo((first + BigInt(epochs) + 1n) * EPOCH_BLOCKS);
  const profits = {} as Record<WithholdingStrategy, bigint>;
  const caught = {} as Record<WithholdingStrategy, number>;
  const status = {} as Record<WithholdingStrategy, number>;
  for (const s of WITHHOLDING_STRATEGIES) {
    profits[s] = (await wealth(rc, ROLE_OF[s])) - before[s];
    caught[s] = slashes.get(rc.address(ROLE_OF[s])) ?? 0;
    status[s] = await rc.operatorStatus(ROLE_OF[s]).catch(() => 0);
  }
  // Against serving A's receipts honestly: the operator's part of A (less the 500 bps protocol fee
  // and the base model's 500 bps royalty; rounding aside).
  profits['double-claimer-withholding'] -= claimerHonest - (2n * claimerHonest * 500n) / 10_000n;
  caught['escrow-griefer'] = refused;
  return { profits, caught, status, forgeries, grinds, griefLocked };
}
