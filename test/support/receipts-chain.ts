// A receipts test chain: small windows, a registered operator with a GPU, a base model and an
// adapter with royalty terms, a payer with an authorised receipt key and an escrow, and helpers to
// sign receipts, build and submit batches, reveal samples, challenge, and prove that a refused
// message changed nothing. Used by test/receipts*.test.ts and bench/receipts.ts.
import { DirectSecp256k1HdWallet, type EncodeObject, makeCosmoshubPath } from '@cosmjs/proto-signing';
import { RECEIPTS_QUERY_SERVICE } from '../../sdk/receipts/queries.ts';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { moduleAddress } from '../../core/framework/address.ts';
import type * as rtx from '../../proto/gen/cairn/receipts/v1/tx.ts';
import { MsgSubmitBatchResponse } from '../../proto/gen/cairn/receipts/v1/tx.ts';
import * as q from '../../proto/gen/cairn/receipts/v1/query.ts';
import type { Batch as BatchRecord, InclusionProof, Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, type BatchTerms, batchTerms, buildBatch, inclusionProof } from '../../sdk/receipts/batch.ts';
import { signBatch } from '../../sdk/receipts/batch-signature.ts';
import type { Ed25519Signer } from '../../sdk/ed25519.ts';
import { signReceipt } from '../../sdk/receipts/receipt.ts';
import { AppChain, CHAIN_ID } from './app-chain.ts';
import { DENOM, FEE, MIN_BOND, gpu, msgs as registryMsgs, registryAppState } from './registry.ts';
import { MNEMONICS, type TestWallet, signTx } from './wallets.ts';
import { RECEIPTS_TYPE_URLS } from '../../sdk/receipts/messages.ts';
import * as keys from '../../modules/receipts/keys.ts';
import * as royaltyKeys from '../../modules/royalty/keys.ts';
import * as bankKeys from '../../modules/bank/keys.ts';
import * as registryKeys from '../../modules/registry/keys.ts';
import { fixedKey, receiptId, unsignedReceipt } from './receipts-fixtures.ts';

export { CHAIN_ID, DENOM, FEE, MIN_BOND };
export const OPERATOR_BOND = 100_000_000n;
export const BASE_MODEL = 'llama-3-8b';
export const ADAPTER = 'llama-3-8b-legal-lora';
export const GPU_ID = 'h100-a';
export const GPU_PRICE = 2_000_000n;
export const CHALLENGE_BOND = 1000n;

/** Small windows so a test walks a batch through its life in a few dozen blocks. */
export const TEST_RECEIPTS_PARAMS = {
  epoch_blocks: '10',
  dispute_window_blocks: '8',
  reveal_window: '3',
  escrow_withdraw_delay: '12',
  sample_count: 2,
  max_batch_age_epochs: '2',
  challenge_bond: { denom: DENOM, amount: CHALLENGE_BOND.toString() },
  max_open_requests: 4,
  max_pending_withdrawals: 3,
  start_window: '3',
  jail_blocks: '5',
};

export const ROLES = ['operator', 'payer', 'author', 'adapterAuthor', 'challenger', 'operator2', 'griefer'] as const;
export type Role = (typeof ROLES)[number];

/** Wallets on distinct HD paths of one test mnemonic (never funded anywhere real). */
export async function roleWallets(): Promise<Record<Role, TestWallet>> {
  const out: Partial<Record<Role, TestWallet>> = {};
  for (const [i, role] of ROLES.entries()) {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONICS[1], { prefix: 'cairn', hdPaths: [makeCosmoshubPath(i)] });
    const [account] = await wallet.getAccounts();
    out[role] = { wallet, address: account!.address, pubkey: account!.pubkey };
  }
  return out as Record<Role, TestWallet>;
}

/** Genesis app_state: funded roles, test registry params, small receipts windows. */
export function receiptsAppState(w: Record<Role, TestWallet>, receipts: Record<string, unknown> = {}, royalty: Record<string, unknown> = {}): Record<string, unknown> {
  const state = registryAppState(ROLES.map((r) => w[r].address), { max_royalty_bps: 5000 });
  const r = state['receipts'] as { params: Record<string, unknown> };
  r.params = { ...r.params, ...TEST_RECEIPTS_PARAMS, ...receipts };
  const y = state['royalty'] as { params: Record<string, unknown> };
  y.params = { ...y.params, ...royalty };
  return state;
}

export interface TxError {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
}

function encode<T>(name: keyof typeof RECEIPTS_TYPE_URLS, value: T): EncodeObject {
  return { typeUrl: RECEIPTS_TYPE_URLS[name], value };
}

export const receiptMsgs = {
  deposit: (payer: string, amount: bigint): EncodeObject => encode<rtx.MsgDepositEscrow>('MsgDepositEscrow', { payer, amount: { denom: DENOM, amount: amount.toString() } }),
  withdraw: (payer: string, amount: bigint): EncodeObject => encode<rtx.MsgWithdrawEscrow>('MsgWithdrawEscrow', { payer, amount: { denom: DENOM, amount: amount.toString() } }),
  submit: (m: rtx.MsgSubmitBatch): EncodeObject => encode('MsgSubmitBatch', m),
  reveal: (sender: string, batchId: bigint, receipt: Receipt, proof: InclusionProof): EncodeObject => encode<rtx.MsgRevealReceipt>('MsgRevealReceipt', { sender, batchId, receipt, proof }),
  challengeReceipt: (challenger: string, batchId: bigint, receipt: Receipt, proof: InclusionProof): EncodeObject =>
    encode<rtx.MsgChallengeReceipt>('MsgChallengeReceipt', { challenger, batchId, receipt, proof }),
  challengeDoubleClaim: (challenger: string, receiptId: Uint8Array, first: rtx.Claim, second: rtx.Claim): EncodeObject =>
    encode<rtx.MsgChallengeDoubleClaim>('MsgChallengeDoubleClaim', { challenger, receiptId, first, second }),
  challengeSum: (challenger: string, batchId: bigint, proof: rtx.MsgChallengeSum['proof']): EncodeObject => encode<rtx.MsgChallengeSum>('MsgChallengeSum', { challenger, batchId, proof }),
  request: (requester: string, batchId: bigint, index: bigint, bond = CHALLENGE_BOND): EncodeObject =>
    encode<rtx.MsgRequestReceipt>('MsgRequestReceipt', { requester, batchId, index, bond: { denom: DENOM, amount: bond.toString() } }),
  reserve: (payer: string, operator: string, gpuId: string, gpuCount: number, hours: bigint): EncodeObject =>
    encode<rtx.MsgReserveCapacity>('MsgReserveCapacity', { payer, operator, gpuId, gpuCount, hours }),
  start: (operator: string, reservationId: bigint): EncodeObject => encode<rtx.MsgStartReservation>('MsgStartReservation', { operator, reservationId }),
  refusal: (payer: string, reservationId: bigint): EncodeObject => encode<rtx.MsgReportRefusal>('MsgReportRefusal', { payer, reservationId }),
};

export interface Submitted {
  readonly id: bigint;
  readonly sample: readonly bigint[];
  readonly batch: Batch;
}

export class ReceiptsChain {
  readonly chain: AppChain;
  readonly w: Record<Role, TestWallet>;
  /** The operator's registered receipt key and the payer's authorised key. */
  readonly operatorKey: Ed25519Signer = fixedKey('operator-receipt-key');
  readonly operator2Key: Ed25519Signer = fixedKey('operator2-receipt-key');
  readonly payerKey: Ed25519Signer = fixedKey('payer-key');
  /** The base model's data contributor (royalty weight 3000 beside its author's 7000): nobody signs for it. */
  readonly contributor: string;
  #receiptSeq = 0;

  private constructor(chain: AppChain, w: Record<Role, TestWallet>) {
    this.chain = chain;
    this.w = w;
    this.contributor = chain.app.addresses.encode(moduleAddress('test-data-contributor'));
  }

  static async start(opts: { receipts?: Record<string, unknown>; royalty?: Record<string, unknown>; escrow?: bigint } = {}): Promise<ReceiptsChain> {
    const w = await roleWallets();
    const chain = await AppChain.start({ appState: receiptsAppState(w, opts.receipts, opts.royalty) });
    const rc = new ReceiptsChain(chain, w);
    await rc.block();
    await rc.setupMarket(opts.escrow ?? 1_000_000_000n);
    // Into epoch 1, whose receipts all postdate the keys and models registered above.
    await rc.advanceTo(11n);
    return rc;
  }

  get height(): bigint {
    return this.chain.height;
  }

  address(role: Role): string {
    return this.w[role].address;
  }

  /** Operator with a reservable GPU, a base model and an adapter, a payer key and escrow. */
  async setupMarket(escrow: bigint): Promise<void> {
    const { operator, payer, author, adapterAuthor, operator2 } = this.w;
    await this.ok('operator', [
      registryMsgs.registerOperator(operator.address, 0, { receiptKey: this.operatorKey.publicKey, bond: { denom: DENOM, amount: OPERATOR_BOND.toString() } }),
      registryMsgs.commitGpus(operator.address, [gpu(GPU_ID, { pricePerHour: { denom: DENOM, amount: GPU_PRICE.toString() }, count: 4 }), gpu('h100-b', { reservable: false })]),
    ]);
    await this.ok('operator2', registryMsgs.registerOperator(operator2.address, 0, { receiptKey: this.operator2Key.publicKey, bond: { denom: DENOM, amount: OPERATOR_BOND.toString() } }));
    await this.ok(
      'author',
      registryMsgs.registerModel(author.address, BASE_MODEL, {
        royaltyBps: 500,
        recipients: [
          { address: author.address, weightBps: 7000 },
          { address: this.contributor, weightBps: 3000 },
        ],
      }),
    );
    await this.ok('adapterAuthor', registryMsgs.registerAdapter(adapterAuthor.address, ADAPTER, BASE_MODEL, { royaltyBps: 300, recipients: [{ address: adapterAuthor.address, weightBps: 10_000 }] }));
    await this.ok('payer', [registryMsgs.authorizePayerKey(payer.address, this.payerKey.publicKey), receiptMsgs.deposit(payer.address, escrow)]);
  }

  // ---- receipts and batches ----

  /** Current epoch per the test params (10 blocks) as of the next block. */
  epochOfNext(): bigint {
    return (this.height) / 10n;
  }

  /** Block time (unix seconds) of height h in AppChain. */
  timeOf(height: bigint): bigint {
    return 1_800_000_000n + height * 5n;
  }

  /**
   * `n` receipts signed by the payer and operator keys, timed inside the epoch of the next block and
   * at or before the last committed block. `f` overrides fields (the receipt is signed after).
   */
  receipts(n: number, f: Partial<Omit<Receipt, 'payerKey'>> & { operatorKey?: Ed25519Signer; payerKey?: Ed25519Signer; role?: 'operator' | 'operator2' } = {}): Receipt[] {
    const payerKey = f.payerKey ?? this.payerKey;
    const operatorKey = f.operatorKey ?? (f.role === 'operator2' ? this.operator2Key : this.operatorKey);
    return this.unsignedReceipts(n, f).map((r) => signReceipt(signReceipt(r, 'payer', payerKey), 'operator', operatorKey));
  }

  /** Like receipts(), without the signatures. */
  unsignedReceipts(n: number, f: Partial<Omit<Receipt, 'payerKey'>> & { operatorKey?: Ed25519Signer; payerKey?: Ed25519Signer; role?: 'operator' | 'operator2' } = {}): Receipt[] {
    const { operatorKey: _o, payerKey, role, ...fields } = f;
    const epoch = fields.epoch ?? this.epochOfNext();
    const epochStart = this.timeOf(epoch * 10n + 1n);
    const last = this.timeOf(this.height);
    const out: Receipt[] = [];
    const party = {
      chainId: CHAIN_ID,
      operator: this.address(role ?? 'operator'),
      payer: this.address('payer'),
      payerKey: payerKey ?? this.payerKey,
      operatorKey: this.operatorKey,
    };
    for (let i = 0; i < n; i++) {
      const seq = this.#receiptSeq++;
      const t = epochStart + BigInt(seq % Number(last - epochStart + 1n));
      out.push(unsignedReceipt(party, seq, { id: receiptId(seq, 'chain'), modelId: BASE_MODEL, epoch, startedAt: t, finishedAt: t, ...fields }));
    }
    return out;
  }

  /**
   * The MsgSubmitBatch of `batch` with `override` applied, then signed by `payerKey` (the payer's
   * authorised key by default) as a payer that trusts its operator would: whatever the terms say.
   */
  submitMsg(batch: Batch, mode: 'escrow' | 'offchain' = 'escrow', override: Partial<BatchTerms> = {}, payerKey: Ed25519Signer = this.payerKey): rtx.MsgSubmitBatch {
    return signBatch({ ...batchTerms(batch, mode), ...override }, payerKey);
  }

  /**
   * Submits a batch as its operator, signed by the payer, then (unless `draw` is false) commits
   * blocks until the chain has drawn its sample; returns the id and the sample.
   */
  async submit(batch: Batch, mode: 'escrow' | 'offchain' = 'escrow', role: Role = 'operator', override: Partial<BatchTerms> = {}, payerKey: Ed25519Signer = this.payerKey, draw = true): Promise<Submitted> {
    const r = await this.ok(role, receiptMsgs.submit(this.submitMsg(batch, mode, override, payerKey)));
    const res = MsgSubmitBatchResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value);
    if (!draw) return { id: res.batchId, sample: [], batch };
    return { id: res.batchId, sample: await this.drawnSample(res.batchId), batch };
  }

  /**
   * Submits several batches in one block, one tx each by a different role (signed by the payer key
   * given, the payer's by default), then commits blocks until their samples are drawn. A refused
   * submission gives undefined in its place.
   */
  async submitTogether(entries: readonly { batch: Batch; role: Role; payerKey?: Ed25519Signer; mode?: 'escrow' | 'offchain' }[]): Promise<(Submitted | undefined)[]> {
    const txs = await Promise.all(entries.map(async (e) => this.sign(e.role, receiptMsgs.submit(this.submitMsg(e.batch, e.mode ?? 'escrow', {}, e.payerKey ?? this.payerKey)))));
    const results = await this.block(txs);
    const ids = results.map((r) => (r.code === 0 ? MsgSubmitBatchResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).batchId : undefined));
    const out: (Submitted | undefined)[] = [];
    for (const [i, id] of ids.entries()) out.push(id === undefined ? undefined : { id, sample: await this.drawnSample(id), batch: entries[i]!.batch });
    return out;
  }

  /** Reveals the samples of several batches in one block, one tx each by a different role. */
  async revealTogether(entries: readonly { s: Submitted; role: Role }[]): Promise<ExecTxResult[]> {
    const reveal = ({ s, role }: { s: Submitted; role: Role }) => s.sample.map((i) => receiptMsgs.reveal(this.address(role), s.id, s.batch.receipts[Number(i)]!, inclusionProof(s.batch, Number(i))));
    const txs = await Promise.all(entries.filter((e) => e.s.sample.length > 0).map(async (e) => this.sign(e.role, reveal(e))));
    return this.block(txs);
  }

  /** Submits without waiting for the draw: the sample is not known yet ([]). */
  async submitNow(batch: Batch, mode: 'escrow' | 'offchain' = 'escrow', role: Role = 'operator'): Promise<Submitted> {
    return this.submit(batch, mode, role, {}, this.payerKey, false);
  }

  /** Commits blocks until the batch's sample is drawn (at its sample_height); returns it. */
  async drawnSample(id: bigint): Promise<bigint[]> {
    await this.advanceTo((await this.batch(id)).sampleHeight);
    const b = await this.batch(id);
    if (!b.sampleDrawn && b.status === 1) throw new Error(`batch ${id}'s sample was not drawn at height ${b.sampleHeight}`);
    return b.sample.map((s) => s.index);
  }

  /** Reveals every sampled leaf (one tx). */
  async revealSample(s: Submitted, role: Role = 'operator'): Promise<ExecTxResult> {
    const batch = s.batch;
    return this.ok(
      role,
      s.sample.map((i) => receiptMsgs.reveal(this.address(role), s.id, batch.receipts[Number(i)]!, inclusionProof(batch, Number(i)))),
    );
  }

  /** Build, submit and reveal: a batch on its way to finalization. */
  async honestBatch(n: number, f: Parameters<ReceiptsChain['receipts']>[1] = {}, mode: 'escrow' | 'offchain' = 'escrow'): Promise<Submitted> {
    const batch = buildBatch(this.receipts(n, f));
    const s = await this.submit(batch, mode, f.role ?? 'operator', {}, f.payerKey ?? this.payerKey);
    if (s.sample.length > 0) await this.revealSample(s, f.role ?? 'operator');
    return s;
  }

  // ---- blocks and txs ----

  async block(txs: Uint8Array[] = []): Promise<ExecTxResult[]> {
    return this.chain.block(txs);
  }

  async advance(blocks: number | bigint): Promise<void> {
    for (let i = 0n; i < BigInt(blocks); i++) await this.block();
  }

  /** Advances until the committed height is `h`. */
  async advanceTo(h: bigint): Promise<void> {
    while (this.height < h) await this.block();
  }

  async sign(role: Role, m: EncodeObject | EncodeObject[], gas = 4_000_000n): Promise<Uint8Array> {
    const w = this.w[role];
    const acc = await this.chain.account(w.address);
    return signTx(w, Array.isArray(m) ? m : [m], { chainId: CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence, gas, fee: [{ denom: DENOM, amount: FEE.toString() }] });
  }

  async tx(role: Role, m: EncodeObject | EncodeObject[]): Promise<ExecTxResult> {
    const [r] = await this.block([await this.sign(role, m)]);
    return r!;
  }

  async ok(role: Role, m: EncodeObject | EncodeObject[]): Promise<ExecTxResult> {
    const r = await this.tx(role, m);
    if (r.code !== 0) throw new Error(`tx failed: code ${r.code} (${r.codespace}): ${r.log}`);
    return r;
  }

  // ---- reading state ----

  async query<Req, Res>(method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req, path: string = RECEIPTS_QUERY_SERVICE): Promise<Res> {
    const r = await this.chain.query(`${path}${method}`, req.encode(value).finish());
    if (r.code !== 0) throw Object.assign(new Error(r.log), { code: r.code, codespace: r.codespace });
    return res.decode(r.value);
  }

  async batch(id: bigint): Promise<BatchRecord> {
    return (await this.query('Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id })).batch!;
  }

  async escrow(role: Role = 'payer'): Promise<{ available: bigint; locked: bigint }> {
    const e = (await this.query('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer: this.address(role) })).escrow!;
    return { available: BigInt(e.available), locked: BigInt(e.locked) };
  }

  async balance(address: string): Promise<bigint> {
    return this.chain.balance(address);
  }

  async moduleBalance(name: string): Promise<bigint> {
    return this.chain.balance(this.chain.app.addresses.encode(moduleAddress(name)));
  }

  async supply(): Promise<bigint> {
    return (await bankKeys.supply.get(this.chain.store.committed, DENOM)) ?? 0n;
  }

  async bond(role: Role = 'operator'): Promise<bigint> {
    const op = await registryKeys.operators.get(this.chain.store.committed, this.chain.app.addresses.decode(this.address(role)));
    return BigInt(op!.bond!.amount);
  }

  async operatorStatus(role: Role = 'operator'): Promise<number> {
    const op = await registryKeys.operators.get(this.chain.store.committed, this.chain.app.addresses.decode(this.address(role)));
    return op!.status;
  }

  /** receipts, royalty and registry state (without per-block entries) and every role's balance. */
  async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    // Written by every block (times) or every epoch's last block (roots), whatever the transactions.
    const skip = [keys.blockTimes.prefix, keys.epochs.prefix, keys.epochRoots.prefix, keys.epochFinalized.prefix, royaltyKeys.epochRoots.prefix, registryKeys.blockTime.key].map((p) => Buffer.from(p).toString('hex'));
    for (const prefix of [keys.STATE_PREFIX, royaltyKeys.STATE_PREFIX, registryKeys.STATE_PREFIX]) {
      for await (const [k, v] of this.chain.store.committed.iterate({ prefix })) {
        const hex = Buffer.from(k).toString('hex');
        if (skip.some((s) => hex.startsWith(s))) continue;
        out.set(hex, Buffer.from(v).toString('hex'));
      }
    }
    for (const role of ROLES) out.set(role, (await this.balance(this.address(role))).toString());
    for (const m of [keys.ESCROW_ACCOUNT, keys.PENALTY_ACCOUNT, royaltyKeys.TREASURY_ACCOUNT, registryKeys.BONDS_ACCOUNT]) out.set(m, (await this.moduleBalance(m)).toString());
    out.set('supply', (await this.supply()).toString());
    return out;
  }

  /**
   * Runs `m` as `role` and expects the given error; nothing may change but the fee (CheckTx refusals
   * cost nothing). Returns the error.
   */
  async expectRefused(role: Role, m: EncodeObject | EncodeObject[], code: { code: number; codespace: string }, log?: RegExp | string): Promise<TxError> {
    const before = await this.snapshot();
    const tx = await this.sign(role, m);
    const check = await this.chain.checkTx(tx);
    let result: TxError = check;
    if (check.code === 0) result = (await this.block([tx]))[0]!;
    else await this.block();
    if (result.code !== code.code || result.codespace !== code.codespace) throw new Error(`expected ${code.codespace}/${code.code}, got ${result.codespace}/${result.code}: ${result.log}`);
    if (log !== undefined && !(typeof log === 'string' ? result.log.includes(log) : log.test(result.log))) throw new Error(`log "${result.log}" does not match ${String(log)}`);
    const after = await this.snapshot();
    const charged = check.code === 0 ? FEE : 0n;
    before.set(role, (BigInt(before.get(role)!) - charged).toString());
    // The fee goes to the fee collector and is then distributed: compare everything else exactly.
    before.delete('supply');
    after.delete('supply');
    const diff = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    if (diff.length > 0) throw new Error(`state changed after a refused message: ${diff.map((k) => `${k}: ${before.get(k)} -> ${after.get(k)}`).join('; ')}`);
    return result;
  }
}
