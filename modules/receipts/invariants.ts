// SPEC §0 for receipts: every escrow, locked amount, request bond and reservation payment is backed
// by the receipts_escrow module account, exactly (sum per denom == its balance); the penalties
// account is always empty between steps; each payer's locked escrow equals the amounts of its pending
// ESCROW batches; each pending batch's open-request counter matches its stored requests.
import { moduleAddress } from '../../core/framework/address.ts';
import type { KVRead } from '../../core/store/types.ts';
import { BatchStatus, ReservationStatus, SettlementMode } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { bankView } from '../bank/api.ts';
import * as keys from './keys.ts';

async function balancesOf(store: KVRead, module: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const { denom, amount } of await bankView.balances(store, moduleAddress(module))) out.set(denom, amount);
  return out;
}

export async function checkReceiptsInvariants(store: KVRead): Promise<string[]> {
  if ((await keys.params.get(store)) === undefined) return [];
  const broken: string[] = [];
  const owed = new Map<string, bigint>();
  const add = (denom: string, amount: bigint): void => {
    owed.set(denom, (owed.get(denom) ?? 0n) + amount);
  };
  const locked = new Map<string, bigint>();
  for await (const [, e] of keys.escrows.entries(store)) {
    add(e.denom, BigInt(e.available) + BigInt(e.locked));
    locked.set(e.payer, BigInt(e.locked));
  }
  const requestCounts = new Map<bigint, number>();
  for await (const [, r] of keys.requests.entries(store)) {
    add(r.bond!.denom, BigInt(r.bond!.amount));
    requestCounts.set(r.batchId, (requestCounts.get(r.batchId) ?? 0) + 1);
  }
  for await (const [, r] of keys.reservations.entries(store)) {
    if (r.status === ReservationStatus.RESERVATION_STATUS_RESERVED || r.status === ReservationStatus.RESERVATION_STATUS_ACTIVE) add(r.amount!.denom, BigInt(r.amount!.amount));
  }
  const held = await balancesOf(store, keys.ESCROW_ACCOUNT);
  for (const denom of new Set([...owed.keys(), ...held.keys()])) {
    if ((held.get(denom) ?? 0n) !== (owed.get(denom) ?? 0n)) broken.push(`${keys.ESCROW_ACCOUNT} holds ${held.get(denom) ?? 0n}${denom} but escrows, bonds and reservations add up to ${owed.get(denom) ?? 0n}${denom}`);
  }
  for (const [denom, amount] of await balancesOf(store, keys.PENALTY_ACCOUNT)) broken.push(`${keys.PENALTY_ACCOUNT} holds ${amount}${denom}; it must be empty`);

  const pendingLocked = new Map<string, bigint>();
  for await (const [[, id]] of keys.batchesByStatus.entries(store, { subPrefix: statusPrefix(BatchStatus.BATCH_STATUS_PENDING) })) {
    const b = await keys.batches.get(store, id);
    if (b === undefined) {
      broken.push(`status index names a missing batch ${id}`);
      continue;
    }
    if (b.status !== BatchStatus.BATCH_STATUS_PENDING) broken.push(`batch ${id} is indexed as pending but is ${b.status}`);
    if (b.mode === SettlementMode.SETTLEMENT_MODE_ESCROW) pendingLocked.set(b.payer, (pendingLocked.get(b.payer) ?? 0n) + BigInt(b.amount!.amount));
    if ((requestCounts.get(id) ?? 0) !== b.openRequests) broken.push(`batch ${id} counts ${b.openRequests} open requests but ${requestCounts.get(id) ?? 0} are stored`);
  }
  for (const payer of new Set([...locked.keys(), ...pendingLocked.keys()])) {
    if ((locked.get(payer) ?? 0n) !== (pendingLocked.get(payer) ?? 0n)) broken.push(`${payer} has ${locked.get(payer) ?? 0n} locked but its pending ESCROW batches hold ${pendingLocked.get(payer) ?? 0n}`);
  }
  return broken;
}

function statusPrefix(status: BatchStatus): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, status);
  return out;
}

