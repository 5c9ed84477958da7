// receipts genesis: params and every piece of state, so an export at any height imports into a new
// chain that carries on every escrow, pending batch, open request and reservation. Validation checks
// addresses, amounts, ids and the cross-references the invariants rely on; init rebuilds the indexes
// and queues from the records and checks that the escrow account holds exactly what is owed.
import { type AddressCodec, AddressCodec as Codec, moduleAddress } from '../../core/framework/address.ts';
import type { Context, QueryContext } from '../../core/framework/context.ts';
import { GenesisError, at, fail } from '../../core/framework/json.ts';
import type { GenesisHandlers } from '../../core/framework/module.ts';
import { GenesisState } from '../../proto/gen/cairn/receipts/v1/genesis.ts';
import { BatchStatus, ReservationStatus, SettlementMode } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { parseU128 } from '../../sdk/bytes.ts';
import { readProtoJson, writeProtoJson } from '../../core/framework/proto-json.ts';
import { bankView } from '../bank/api.ts';
import type { ReceiptsAccounts } from './deps.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { defaultParams, validateParams } from './params.ts';

const amount = (text: string, path: string): bigint => at(path, () => parseU128(text, 'amount'));
const address = (addresses: AddressCodec, text: string, path: string): Uint8Array => at(path, () => addresses.decode(text));

function unique<T>(items: readonly T[], key: (t: T) => string, path: string): void {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const k = key(item);
    if (seen.has(k)) fail(`${path}[${i}]`, `duplicate ${k}`);
    seen.add(k);
  }
}

export function validateReceiptsGenesis(json: unknown, addresses: AddressCodec): GenesisState {
  const g = readProtoJson(GenesisState, json, 'receipts');
  const defaults = defaultParams(addresses);
  const params = g.params ?? defaults;
  if (params.authority === '') params.authority = defaults.authority;
  g.params = params;
  try {
    validateParams(params, addresses);
  } catch (e) {
    fail('receipts.params', (e as Error).message);
  }
  for (const [name, next] of [['next_batch_id', g.nextBatchId], ['next_withdrawal_id', g.nextWithdrawalId], ['next_reservation_id', g.nextReservationId]] as const) {
    if (next === 0n) fail(`receipts.${name}`, 'must be at least 1');
  }
  const locked = new Map<string, bigint>();
  for (const [i, e] of g.escrows.entries()) {
    address(addresses, e.payer, `receipts.escrows[${i}].payer`);
    amount(e.available, `receipts.escrows[${i}].available`);
    locked.set(e.payer, amount(e.locked, `receipts.escrows[${i}].locked`));
  }
  unique(g.escrows, (e) => e.payer, 'receipts.escrows');
  for (const [i, w] of g.withdrawals.entries()) {
    address(addresses, w.payer, `receipts.withdrawals[${i}].payer`);
    const asked = amount(w.amount?.amount ?? '', `receipts.withdrawals[${i}].amount`);
    if (w.paid !== '' && amount(w.paid, `receipts.withdrawals[${i}].paid`) > asked) fail(`receipts.withdrawals[${i}].paid`, 'is more than the amount asked');
    if (w.id === 0n || w.id >= g.nextWithdrawalId) fail(`receipts.withdrawals[${i}].id`, 'must be below next_withdrawal_id');
  }
  unique(g.withdrawals, (w) => String(w.id), 'receipts.withdrawals');
  const pendingLocked = new Map<string, bigint>();
  const openRequests = new Map<bigint, number>();
  for (const r of g.requests) openRequests.set(r.batchId, (openRequests.get(r.batchId) ?? 0) + 1);
  for (const [i, b] of g.batches.entries()) {
    const p = `receipts.batches[${i}]`;
    address(addresses, b.operator, `${p}.operator`);
    address(addresses, b.payer, `${p}.payer`);
    if (b.id === 0n || b.id >= g.nextBatchId) fail(`${p}.id`, 'must be below next_batch_id');
    if (b.root.length !== 32) fail(`${p}.root`, 'must be 32 bytes');
    if (b.terms === undefined) fail(`${p}.terms`, 'missing');
    const total = amount(b.amount?.amount ?? '', `${p}.amount`);
    if (b.status === BatchStatus.BATCH_STATUS_UNSPECIFIED) fail(`${p}.status`, 'unspecified');
    if (b.status === BatchStatus.BATCH_STATUS_PENDING) {
      if (b.mode === SettlementMode.SETTLEMENT_MODE_ESCROW) pendingLocked.set(b.payer, (pendingLocked.get(b.payer) ?? 0n) + total);
      if ((openRequests.get(b.id) ?? 0) !== b.openRequests) fail(`${p}.open_requests`, `does not match the ${openRequests.get(b.id) ?? 0} requests listed`);
    }
  }
  unique(g.batches, (b) => String(b.id), 'receipts.batches');
  unique(g.batches, (b) => Buffer.from(b.root).toString('hex'), 'receipts.batches (root)');
  for (const payer of new Set([...locked.keys(), ...pendingLocked.keys()])) {
    if ((locked.get(payer) ?? 0n) !== (pendingLocked.get(payer) ?? 0n)) fail('receipts.escrows', `${payer} has ${locked.get(payer) ?? 0n} locked; its pending ESCROW batches hold ${pendingLocked.get(payer) ?? 0n}`);
  }
  const pending = new Set(g.batches.filter((b) => b.status === BatchStatus.BATCH_STATUS_PENDING).map((b) => b.id));
  for (const [i, r] of g.requests.entries()) {
    if (!pending.has(r.batchId)) fail(`receipts.requests[${i}].batch_id`, `batch ${r.batchId} is not pending`);
    address(addresses, r.requester, `receipts.requests[${i}].requester`);
    amount(r.bond?.amount ?? '', `receipts.requests[${i}].bond`);
  }
  unique(g.requests, (r) => `${r.batchId}/${r.index}`, 'receipts.requests');
  for (const [i, r] of g.reservations.entries()) {
    address(addresses, r.payer, `receipts.reservations[${i}].payer`);
    address(addresses, r.operator, `receipts.reservations[${i}].operator`);
    amount(r.amount?.amount ?? '', `receipts.reservations[${i}].amount`);
    if (r.id === 0n || r.id >= g.nextReservationId) fail(`receipts.reservations[${i}].id`, 'must be below next_reservation_id');
  }
  unique(g.reservations, (r) => String(r.id), 'receipts.reservations');
  for (const [i, r] of g.revealed.entries()) address(addresses, r.payer, `receipts.revealed[${i}].payer`);
  unique(g.epochs, (e) => String(e.epoch), 'receipts.epochs');
  unique(g.epochRoots, (e) => String(e.epoch), 'receipts.epoch_roots');
  return g;
}

export function receiptsGenesis(k: ReceiptsKeeper, accounts: ReceiptsAccounts): GenesisHandlers<GenesisState> {
  return {
    defaultGenesis: () => {
      const { authority: _, ...params } = writeProtoJson(GenesisState, GenesisState.fromPartial({ params: defaultParams(new Codec('cairn')) })).params as Record<string, unknown>;
      return { params, next_batch_id: '1', next_withdrawal_id: '1', next_reservation_id: '1' };
    },

    validate: validateReceiptsGenesis,

    async init(g, ctx: Context) {
      const store = ctx.store;
      const bech32 = (a: Uint8Array): string => ctx.addresses.encode(a);
      await accounts.ensureModuleAccount(store, keys.ESCROW_ACCOUNT, bech32);
      await accounts.ensureModuleAccount(store, keys.PENALTY_ACCOUNT, bech32);
      const p = g.params!;
      keys.params.set(store, p);
      keys.nextBatchId.set(store, g.nextBatchId);
      keys.nextWithdrawalId.set(store, g.nextWithdrawalId);
      keys.nextReservationId.set(store, g.nextReservationId);
      const owed = new Map<string, bigint>();
      const add = (denom: string, a: bigint): void => {
        owed.set(denom, (owed.get(denom) ?? 0n) + a);
      };
      for (const e of g.escrows) {
        keys.escrows.set(store, ctx.addresses.decode(e.payer), e);
        add(e.denom, BigInt(e.available) + BigInt(e.locked));
      }
      for (const w of g.withdrawals) {
        const payer = ctx.addresses.decode(w.payer);
        keys.withdrawals.set(store, [payer, w.id], w);
        keys.withdrawalQueue.set(store, [w.completionHeight, w.id], payer);
      }
      for (const b of g.batches) {
        k.indexBatch(store, b, ctx.addresses.decode(b.operator), ctx.addresses.decode(b.payer));
        k.setBatch(store, b);
        if (b.status !== BatchStatus.BATCH_STATUS_PENDING) continue;
        if (!b.sampleDrawn) {
          // Drawn at its height, or at the first block of this chain if that has passed.
          const at = b.sampleHeight > ctx.block.height ? b.sampleHeight : ctx.block.height + 1n;
          keys.draws.set(store, [at, b.id], true);
          if (b.sampleSize > 0) keys.deadlines.set(store, [b.revealDeadline, b.id], true);
        } else if (b.sample.some((s) => !s.revealed)) keys.deadlines.set(store, [b.revealDeadline, b.id], true);
        keys.finalizeQueue.set(store, [b.disputeEnd, b.id], true);
      }
      for (const r of g.requests) {
        keys.requests.set(store, [r.batchId, r.index], r);
        keys.deadlines.set(store, [r.deadline, r.batchId], true);
        add(r.bond!.denom, BigInt(r.bond!.amount));
      }
      for (const c of g.challenges) keys.challenges.set(store, [c.batchId, c.seq], c);
      for (const r of g.revealed) {
        keys.revealed.set(store, [ctx.addresses.decode(r.payer), r.receiptId, r.revealed!.batchId], r.revealed!);
        keys.revealedLeaves.set(store, [r.revealed!.batchId, r.revealed!.index], r.receiptId);
      }
      for (const hash of g.evidence) keys.evidence.set(store, hash, ctx.block.height);
      for (const e of g.epochs) keys.epochs.set(store, e.epoch, e);
      for (const r of g.epochRoots) keys.epochRoots.set(store, r.epoch, r);
      for (const u of g.usage) keys.usage.set(store, [u.epoch, ctx.addresses.decode(u.operator)], u);
      for (const r of g.reservations) {
        keys.reservations.set(store, r.id, r);
        keys.reservationsByPayer.set(store, [ctx.addresses.decode(r.payer), r.id], true);
        keys.reservationsByOperator.set(store, [ctx.addresses.decode(r.operator), r.id], true);
        if (r.status === ReservationStatus.RESERVATION_STATUS_ACTIVE) keys.reservationEnds.set(store, [r.endsAt < 0n ? 0n : r.endsAt, r.id], true);
        if (r.status === ReservationStatus.RESERVATION_STATUS_RESERVED || r.status === ReservationStatus.RESERVATION_STATUS_ACTIVE) add(r.amount!.denom, BigInt(r.amount!.amount));
      }
      for (const t of g.blockTimes) keys.blockTimes.set(store, [t.time < 0n ? 0n : t.time, t.height], true);
      const next = ctx.block.height + 1n;
      const open = k.epochOf(next, p);
      for (const id of g.openEpochBatches) keys.epochFinalized.set(store, [open, id], true);
      // A new chain knows the genesis time as its first block time (receipts may be signed before
      // block 1); the first block records its epoch itself when it opens one, otherwise the chain
      // starts mid-epoch. An imported state brings its own times and epochs.
      const time = ctx.block.time.seconds < 0n ? 0n : ctx.block.time.seconds;
      if (g.blockTimes.length === 0) keys.blockTimes.set(store, [time, ctx.block.height], true);
      if ((next - 1n) % p.epochBlocks !== 0n && (await keys.epochs.get(store, open)) === undefined) keys.epochs.set(store, open, { epoch: open, startHeight: next, startTime: time });
      for (const [denom, amount] of owed) {
        const held = await bankView.balance(store, moduleAddress(keys.ESCROW_ACCOUNT), denom);
        if (held !== amount) throw new GenesisError(`receipts: the ${keys.ESCROW_ACCOUNT} account holds ${held}${denom} but escrows, bonds and reservations add up to ${amount}${denom}`);
      }
    },

    async export(ctx: QueryContext) {
      const store = ctx.store;
      const p = await k.params(store);
      const g = GenesisState.fromPartial({
        params: p,
        nextBatchId: (await keys.nextBatchId.get(store)) ?? 1n,
        nextWithdrawalId: (await keys.nextWithdrawalId.get(store)) ?? 1n,
        nextReservationId: (await keys.nextReservationId.get(store)) ?? 1n,
      });
      for await (const [, e] of keys.escrows.entries(store)) g.escrows.push(e);
      for await (const [, w] of keys.withdrawals.entries(store)) g.withdrawals.push(w);
      for await (const [, b] of keys.batches.entries(store)) g.batches.push(b);
      for await (const [, r] of keys.requests.entries(store)) g.requests.push(r);
      for await (const [, c] of keys.challenges.entries(store)) g.challenges.push(c);
      for await (const [[payer, receiptId], r] of keys.revealed.entries(store)) g.revealed.push({ payer: ctx.addresses.encode(payer), receiptId, revealed: r });
      for await (const [hash] of keys.evidence.entries(store)) g.evidence.push(hash);
      for await (const [, e] of keys.epochs.entries(store)) g.epochs.push(e);
      for await (const [, r] of keys.epochRoots.entries(store)) g.epochRoots.push(r);
      for await (const [, u] of keys.usage.entries(store)) g.usage.push(u);
      for await (const [, r] of keys.reservations.entries(store)) g.reservations.push(r);
      for await (const [[time, height]] of keys.blockTimes.entries(store)) g.blockTimes.push({ height, time });
      for await (const [[, id]] of keys.epochFinalized.entries(store)) g.openEpochBatches.push(id);
      return writeProtoJson(GenesisState, g);
    },
  };
}
